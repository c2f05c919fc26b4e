import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerResources, IngressConfig, RolloutConfig } from "../../stacks/types";
import { terminationGracePeriodSeconds, WebPort } from "./containers";

type Input<T> = pulumi.Input<T>;
export type PodSpec = k8s.types.input.core.v1.PodSpec;

/** Port a web Service listens on; TLS ends at the ingress controller. */
export const servicePort = 80;

export interface IngressSpecArgs {
    readonly hosts: readonly string[];
    readonly className: string;
    readonly serviceName: Input<string>;
    readonly tls?: { readonly secretName: string; readonly clusterIssuer?: string };
    readonly annotations?: Record<string, string>;
}

/**
 * Annotations that tell pulumi-kubernetes how long, or whether, to wait for an object to become ready
 * (provider/pkg/metadata/annotations.go, pulumi-kubernetes v4.32.0).
 */
function awaitAnnotations(wait: boolean, timeoutSeconds: number): Record<string, string> {
    return wait ? { "pulumi.com/timeoutSeconds": String(timeoutSeconds) } : { "pulumi.com/skipAwait": "true" };
}

export function deploymentAwait(rollout: RolloutConfig): Record<string, string> {
    return awaitAnnotations(rollout.awaitDeployments, rollout.timeoutSeconds);
}

export function ingressAwait(rollout: RolloutConfig): Record<string, string> {
    return awaitAnnotations(rollout.awaitIngresses, rollout.timeoutSeconds);
}

/**
 * The migration Job, whatever the await settings: always awaited, since the Deployments depend on it and
 * skipAwait would make it "ready" at once; and replaced when a previous update left it unready
 * (`pulumi.com/replaceUnready`, provider/pkg/provider/provider.go at v4.32.0), so re-running the pipeline
 * retries a failed migration instead of waiting on the failed Job forever.
 */
export function migrationJobAwait(deadlineSeconds: number): Record<string, string> {
    return { ...awaitAnnotations(true, deadlineSeconds + 60), "pulumi.com/replaceUnready": "true" };
}

/** Prefer spreading replicas over nodes, then zones, as the seed did; never refuse to schedule. */
export function spreadAffinity(selector: Record<string, string>): k8s.types.input.core.v1.Affinity {
    const term = (topologyKey: string, weight: number) => ({
        weight,
        podAffinityTerm: { topologyKey, labelSelector: { matchLabels: selector } },
    });
    return {
        podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                term("kubernetes.io/hostname", 100),
                term("topology.kubernetes.io/zone", 50),
            ],
        },
    };
}

/** What every part of an instance (1.x api and webui, 2.x server) gets from it. */
export interface InstancePartArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly namespace: Input<string>;
    readonly ingress: IngressConfig;
    readonly rollout: RolloutConfig;
    readonly identity: PodIdentity;
    readonly resources: ContainerResources;
}

/** Who a Pod runs as towards the cluster and the registry. */
export interface PodIdentity {
    /** A ServiceAccount of its own, holding no permissions. */
    readonly serviceAccountName: Input<string>;
    /** The docker-registry Secret the kubelet pulls our images with. */
    readonly pullSecret?: Input<string>;
}

/** Pod-level settings every Argus Pod shares: no API token, no service links, restricted defaults. */
export function hardenedPodSpec(pod: PodSpec, selector: Record<string, string>, identity: PodIdentity): PodSpec {
    return {
        serviceAccountName: identity.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        affinity: spreadAffinity(selector),
        ...(identity.pullSecret ? { imagePullSecrets: [{ name: identity.pullSecret }] } : {}),
        ...pod,
    };
}

export function deploymentSpec(
    replicas: number,
    selector: Record<string, string>,
    labels: Record<string, string>,
    pod: PodSpec,
    podAnnotations: Input<Record<string, Input<string>>>,
    rollout: "rolling" | "recreate" = "rolling",
): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        replicas,
        selector: { matchLabels: selector },
        // Rolling keeps capacity; recreate never runs two Pods at once (a database with its own data).
        strategy: rollout === "rolling" ? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } : { type: "Recreate" },
        template: { metadata: { labels, annotations: podAnnotations }, spec: pod },
    };
}

/** Node drains may take Pods away one at a time, never the last one. */
export function disruptionBudgetSpec(selector: Record<string, string>): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: 1, selector: { matchLabels: selector } };
}

export function serviceSpec(selector: Record<string, string>, target: WebPort, port: number): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector,
        ports: [{ name: target.name, port, targetPort: target.name, protocol: "TCP" }],
    };
}

export function ingressAnnotations(args: IngressSpecArgs): Record<string, string> {
    return {
        ...(args.tls?.clusterIssuer ? { "cert-manager.io/cluster-issuer": args.tls.clusterIssuer } : {}),
        ...args.annotations,
    };
}

export function ingressSpec(args: IngressSpecArgs): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: args.className,
        rules: args.hosts.map((host) => ({
            host,
            http: {
                paths: [
                    {
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: args.serviceName, port: { name: "http" } } },
                    },
                ],
            },
        })),
        ...(args.tls ? { tls: [{ hosts: [...args.hosts], secretName: args.tls.secretName }] } : {}),
    };
}
