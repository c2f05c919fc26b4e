/** The Ingresses of the public hosts, and where their TLS certificates come from. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { checkObjectName } from "../valueReaders";

export const ingressKeys = {
    webuiIngress: {
        type: "boolean",
        description: "Create the webui Ingress; false where another tool makes it.",
        example: "false",
        default: true,
    },
    apiIngress: {
        type: "boolean",
        description: "Create the api Ingress; false where another tool makes it.",
        example: "false",
        default: true,
    },
    ingressClassName: {
        type: "string",
        description: "IngressClass of both Ingresses.",
        example: "nginx",
        default: "nginx",
    },
    tls: {
        type: "boolean",
        description: "Serve the Ingresses over TLS; needs tlsSecretName or certIssuer.",
        example: "false",
        default: true,
    },
    tlsSecretName: {
        type: "string",
        description: "Existing TLS Secret covering both hosts. Empty: one made by certIssuer.",
        example: "argus-tls",
        default: "",
    },
    certIssuer: {
        type: "string",
        description: "cert-manager ClusterIssuer that issues the certificates. Empty: use tlsSecretName.",
        example: "letsencrypt",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type IngressKey = keyof typeof ingressKeys;

export interface IngressConfig {
    readonly webui: boolean;
    readonly api: boolean;
    readonly className: string;
    /** An existing certificate Secret covering both hosts, or a cert-manager issuer that makes one per host. */
    readonly tls?: { readonly secretName?: string; readonly clusterIssuer?: string };
}

export function readIngress(read: ConfigReader<IngressKey>): IngressConfig {
    const tls = read.boolean("tls");
    const secretName = checkObjectName(read, "tlsSecretName", "Secret");
    const clusterIssuer = checkObjectName(read, "certIssuer", "ClusterIssuer");
    if (secretName && clusterIssuer) {
        read.fail(
            "tlsSecretName",
            `and certIssuer are both set: cert-manager would issue each Ingress its own certificate into the one Secret "${secretName}", and refuse the second.`,
            `pulumi config rm --stack ${read.stack} tlsSecretName (to let certIssuer make the certificates), or pulumi config rm --stack ${read.stack} certIssuer`,
        );
    }
    for (const [key, value] of [["certIssuer", clusterIssuer], ["tlsSecretName", secretName]] as const) {
        if (!tls && value) {
            read.fail(key, `is set ("${value}"), but tls is off: the Ingresses would serve plain HTTP and never use it.`, `pulumi config rm --stack ${read.stack} ${key} (or pulumi config set --stack ${read.stack} tls true)`);
        }
    }
    if (tls && !secretName && !clusterIssuer) {
        read.fail("tls", "is on, but neither tlsSecretName nor certIssuer says where the certificate comes from.", read.setCommand("certIssuer") + " (or set tlsSecretName)");
    }
    return {
        webui: read.boolean("webuiIngress"),
        api: read.boolean("apiIngress"),
        className: checkObjectName(read, "ingressClassName", "IngressClass"),
        tls: tls ? { secretName: secretName || undefined, clusterIssuer: clusterIssuer || undefined } : undefined,
    };
}
