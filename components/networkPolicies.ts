import * as k8s from "@pulumi/kubernetes";
import { Destination, NetworkConfig } from "../stacks";
import { redisPort, RedisPlacement } from "./api/redis";
import { selectorLabels } from "./labels";
import { nginxPort } from "./nginx";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Egress = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

export interface NetworkPolicyArgs {
    readonly instance: string;
    readonly network: NetworkConfig;
    readonly redis: RedisPlacement;
}

/** One NetworkPolicy: its name suffix and spec. */
export interface NamedPolicy {
    readonly name: string;
    readonly spec: PolicySpec;
}

const dns: Egress = {
    to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
    ],
};

function egressTo(destination: Destination): Egress {
    return { to: [{ ipBlock: { cidr: destination.cidr } }], ports: [{ protocol: "TCP", port: destination.port }] };
}

/**
 * The policies of one instance: everything of it is denied by default, then each component is allowed
 * exactly what it needs. Kubelet probes come from the node and are not affected.
 */
export function networkPolicies(args: NetworkPolicyArgs): NamedPolicy[] {
    const pods = (component: "api" | "webui" | "migrate" | "redis") => ({ matchLabels: selectorLabels(args.instance, component) });
    const ingressController: Peer = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.network.ingressControllerNamespace } },
    };
    const fromIngressController = [{ from: [ingressController], ports: [{ protocol: "TCP", port: nginxPort }] }];
    const database = egressTo(args.network.database);
    const email = args.network.email ? [egressTo(args.network.email)] : [];
    const sharedRedis = args.redis === "shared";
    const toRedis: Egress[] = sharedRedis ? [{ to: [{ podSelector: pods("redis") }], ports: [{ protocol: "TCP", port: redisPort.containerPort }] }] : [];

    const policies: NamedPolicy[] = [
        {
            name: "default-deny",
            spec: {
                podSelector: { matchLabels: { "app.kubernetes.io/name": "argus", "app.kubernetes.io/instance": args.instance } },
                policyTypes: ["Ingress", "Egress"],
            },
        },
        { name: "api", spec: { podSelector: pods("api"), policyTypes: ["Ingress", "Egress"], ingress: fromIngressController, egress: [dns, database, ...email, ...toRedis] } },
        { name: "webui", spec: { podSelector: pods("webui"), policyTypes: ["Ingress", "Egress"], ingress: fromIngressController, egress: [] } },
        { name: "migrate", spec: { podSelector: pods("migrate"), policyTypes: ["Ingress", "Egress"], ingress: [], egress: [dns, database] } },
    ];
    if (sharedRedis) {
        policies.push({
            name: "redis",
            spec: {
                podSelector: pods("redis"),
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: pods("api") }], ports: [{ protocol: "TCP", port: redisPort.containerPort }] }],
                egress: [],
            },
        });
    }
    return policies;
}
