/** Who may talk to whom, when NetworkPolicies are on. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { list } from "../valueReaders";
import { isCidr, isDnsLabel } from "../../util/validators";
import { DatabaseConfig } from "./database";

export const networkKeys = {
    networkPolicies: {
        type: "boolean",
        description: "Make NetworkPolicies: deny by default, admit only the ingress controller, api to redis, and api egress to DNS, PostgreSQL and mail.",
        example: "false",
        default: true,
    },
    ingressControllerNamespace: {
        type: "string",
        description: "Namespace of the ingress controller, the only source of traffic to the web ports.",
        example: "ingress-nginx",
        default: "ingress-nginx",
    },
    dnsEgress: {
        type: "string",
        description: "Where Pods may send DNS queries: kube-dns (Pods labelled k8s-app=kube-dns, in any namespace), or address ranges, comma-separated, e.g. 169.254.20.10/32 for NodeLocal DNSCache.",
        example: "169.254.20.10/32",
        default: "kube-dns",
    },
    databaseCidr: {
        type: "string",
        description: "Address range of the PostgreSQL server the api may reach. Empty: any address, on databasePort only.",
        example: "10.20.0.0/16",
        default: "",
    },
    databasePort: {
        type: "integer",
        description: "Port of the PostgreSQL server.",
        example: "5432",
        default: 5432,
    },
    emailCidr: {
        type: "string",
        description: "Address range of the mail server the api may reach. Empty: any address, on emailPort only.",
        example: "10.30.0.25/32",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type NetworkKey = keyof typeof networkKeys;

/** Who may talk to whom, when NetworkPolicies are on. */
export interface NetworkConfig {
    readonly policies: boolean;
    /** DNS servers: the kube-dns Pods, or address ranges (NodeLocal DNSCache). */
    readonly dns: "kube-dns" | readonly string[];
    readonly ingressControllerNamespace: string;
    /** Where Argus reaches PostgreSQL: an address range, or the stack's own database Pods. */
    readonly database: Destination | "inCluster";
    /** Only when the api sends mail. */
    readonly email?: Destination;
}

export interface Destination {
    /** An address range; 0.0.0.0/0 when config does not narrow it. */
    readonly cidr: string;
    readonly port: number;
}

/** `emailHost` (stacks/sections/mail.ts) says whether mail goes out at all, `emailPort` where to. */
export function readNetwork(read: ConfigReader<NetworkKey | "emailHost">, emailPort: number, database: DatabaseConfig): NetworkConfig {
    const destination = (cidrKey: "databaseCidr" | "emailCidr", port: number): Destination => {
        const range = read.string(cidrKey);
        if (range && !isCidr(range)) {
            read.fail(cidrKey, `"${range}" is not an IPv4 address range like 10.20.0.0/16.`, read.setCommand(cidrKey));
        }
        return { cidr: range || "0.0.0.0/0", port };
    };
    const ingressControllerNamespace = read.string("ingressControllerNamespace");
    if (!isDnsLabel(ingressControllerNamespace)) {
        read.fail("ingressControllerNamespace", `"${ingressControllerNamespace}" is not a namespace name.`, read.setCommand("ingressControllerNamespace"));
    }
    const dnsEgress = read.string("dnsEgress").trim();
    const dnsRanges = list(dnsEgress);
    if (dnsRanges.length === 0) {
        // An empty list of destinations would render an egress rule to every address on port 53.
        read.fail("dnsEgress", "is empty, which would let the Pods send DNS queries anywhere; name where they go.", read.setCommand("dnsEgress", "kube-dns"));
    } else if (dnsEgress !== "kube-dns") {
        for (const range of dnsRanges.filter((r) => !isCidr(r))) {
            read.fail("dnsEgress", `"${range}" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.`, read.setCommand("dnsEgress"));
        }
    }
    return {
        policies: read.boolean("networkPolicies"),
        dns: dnsEgress === "kube-dns" ? "kube-dns" : dnsRanges,
        ingressControllerNamespace,
        database: database.mode === "inCluster" ? "inCluster" : destination("databaseCidr", read.integer("databasePort", { min: 1, max: 65535 })),
        // Only a configured mail server is reached; without one EMAIL_HOST is localhost.
        email: read.string("emailHost") ? destination("emailCidr", emailPort) : undefined,
    };
}
