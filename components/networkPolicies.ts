import * as k8s from "@pulumi/kubernetes";
import type { Destination, NetworkConfig } from "../stacks/types";
import { redisPort, RedisPlacement } from "./api/redis";
import { ArgusComponent, selectorLabels } from "./labels";
import { nginxPort } from "./nginx";
import { postgresPort } from "./database/spec";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Egress = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** The layout decides which Pods there are: 1.x with its redis placement, 2.x with or without the version check. */
export type NetworkPolicyArgs = {
    readonly instance: string;
    readonly network: NetworkConfig;
    /** A backup Job dumps the database before each migration (components/backup). */
    readonly backup?: boolean;
} & (
    | { readonly layout: "spa"; readonly redis: RedisPlacement }
    | { readonly layout: "server"; readonly versionCheck: boolean; readonly oidcPort?: number }
);

/** One NetworkPolicy: its name suffix and spec. */
export interface NamedPolicy {
    readonly name: string;
    readonly spec: PolicySpec;
}

/** DNS queries to the kube-dns Pods, or to address ranges (NodeLocal DNSCache answers on a link-local address). */
function dnsEgress(dns: NetworkConfig["dns"]): Egress {
    const to: Peer[] = dns === "kube-dns" ? [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }] : dns.map((cidr) => ({ ipBlock: { cidr } }));
    return {
        to,
        ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
        ],
    };
}

function egressTo(destination: Destination): Egress {
    return { to: [{ ipBlock: { cidr: destination.cidr } }], ports: [{ protocol: "TCP", port: destination.port }] };
}

/** The Pods of each layout that talk to PostgreSQL. */
const databaseClients: Readonly<Record<NetworkPolicyArgs["layout"], readonly ArgusComponent[]>> = {
    spa: ["api", "migrate"],
    server: ["web", "worker", "migrate", "housekeeping", "version-check"],
};

/** Any address on one port, for a service known by host name only: a policy can name no host. */
function anyAddressOn(port: number): Egress {
    return { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port }] };
}

/** The version check's package index has no fixed address a policy could name. */
const https = anyAddressOn(443);

/**
 * The policies of one instance: everything of it is denied by default, then each component is allowed
 * exactly what it needs. Kubelet probes come from the node and are not affected.
 */
export function networkPolicies(args: NetworkPolicyArgs): NamedPolicy[] {
    const pods = (component: ArgusComponent) => ({ matchLabels: selectorLabels(args.instance, component) });
    const ingressController: Peer = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.network.ingressControllerNamespace } },
    };
    const fromIngressController = (port: number) => [{ from: [ingressController], ports: [{ protocol: "TCP", port }] }];
    const dns = dnsEgress(args.network.dns);
    // The stack's own PostgreSQL is reached by its Pods' labels: an ipBlock does not reliably match Pod addresses.
    const ownDatabase = args.network.database === "inCluster";
    const postgres = [{ protocol: "TCP" as const, port: postgresPort.containerPort }];
    const database = args.network.database === "inCluster" ? { to: [{ podSelector: pods("database") }], ports: postgres } : egressTo(args.network.database);

    const email = args.network.email ? [egressTo(args.network.email)] : [];
    const policy = (component: ArgusComponent, ingress: PolicySpec["ingress"], egress: Egress[]): NamedPolicy => ({
        name: component,
        spec: { podSelector: pods(component), policyTypes: ["Ingress", "Egress"], ingress, egress },
    });
    const defaultDeny: NamedPolicy = {
        name: "default-deny",
        spec: {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "argus", "app.kubernetes.io/instance": args.instance } },
            policyTypes: ["Ingress", "Egress"],
        },
    };
    const migrate = policy("migrate", [], [dns, database]);
    // Only this stack's Argus Pods reach its own PostgreSQL; it reaches nothing.
    // The backup Job reaches the database as the migration Job does, and nothing else.
    const backup = args.backup ? [policy("backup", [], [dns, database])] : [];
    const clients = [...databaseClients[args.layout], ...(args.backup ? (["backup"] as const) : [])];
    const databasePolicy = ownDatabase ? [policy("database", [{ from: clients.map((c) => ({ podSelector: pods(c) })), ports: postgres }], [])] : [];

    if (args.layout === "server") {
        // The web Pods fetch the OpenID issuer's discovery document and keys and exchange each login's code there
        // (social_core/backends/open_id_connect.py).
        const oidcIssuer = args.oidcPort ? [anyAddressOn(args.oidcPort)] : [];
        return [
            defaultDeny,
            policy("web", fromIngressController(nginxPort), [dns, database, ...email, ...oidcIssuer]),
            // Nothing connects to the worker; it sends the notifications.
            policy("worker", [], [dns, database, ...email]),
            migrate,
            ...backup,
            policy("housekeeping", [], [dns, database]),
            ...(args.versionCheck ? [policy("version-check", [], [dns, database, https])] : []),
            ...databasePolicy,
        ];
    }
    const sharedRedis = args.redis === "shared";
    const redisPeer = { ports: [{ protocol: "TCP" as const, port: redisPort.containerPort }] };
    // The webui nginx passes the webui's websockets to the api Service (components/webui/nginx.ts says why).
    const apiPort = [{ protocol: "TCP" as const, port: nginxPort }];
    return [
        defaultDeny,
        policy(
            "api",
            [...fromIngressController(nginxPort), { from: [{ podSelector: pods("webui") }], ports: apiPort }],
            [dns, database, ...email, ...(sharedRedis ? [{ to: [{ podSelector: pods("redis") }], ...redisPeer }] : [])],
        ),
        policy("webui", fromIngressController(nginxPort), [dns, { to: [{ podSelector: pods("api") }], ports: apiPort }]),
        migrate,
        ...backup,
        ...(sharedRedis ? [policy("redis", [{ from: [{ podSelector: pods("api") }], ...redisPeer }], [])] : []),
        ...databasePolicy,
    ];
}
