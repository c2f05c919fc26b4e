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
 * (provider/pkg/metadata/annotations.go and overrides.go, pulumi-kubernetes v4.25.0, the provider we run).
 */
function awaitAnnotations(wait: boolean, timeoutSeconds: number): Record<string, string> {
    return wait ? { "pulumi.com/timeoutSeconds": String(timeoutSeconds) } : { "pulumi.com/skipAwait": "true" };
}

/**
 * A Deployment is ready when its rollout is done, as `kubectl rollout status` judges it
 * (k8s.io/kubectl v0.34.4 pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer): the controller has
 * seen this generation, and every one of `replicas` Pods is updated and available, no old one left. The
 * provider's own Deployment await is not that: it compares the new ReplicaSet's ready Pods with that
 * ReplicaSet's spec.replicas, which the controller raises step by step during a rolling update, so an update
 * that scales and changes the Pods at once ended half rolled out (await/deployment.go checkReplicaSetStatus,
 * v4.25.0; docs/awaits.md). `pulumi.com/waitFor` with a JSON array replaces that await, every expression must
 * hold (metadata/overrides.go ReadyCondition; await/await.go Creation and Update use the built-in await only
 * when no such annotation is set), and a JSONPath condition is checked only once status.observedGeneration
 * has reached metadata.generation (await/condition/jsonpath.go Satisfied), syntax `{.path}=value`
 * (jsonpath/jsonpath.go Parse), all at v4.25.0. What is lost: the built-in await's messages about each Pod;
 * the Deployment's warning Events are still shown (await/watchers.go NewEventAggregator).
 */
export function deploymentAwait(rollout: RolloutConfig, replicas: number): Record<string, string> {
    if (!rollout.awaitDeployments) return awaitAnnotations(false, rollout.timeoutSeconds);
    const rolledOut = ["updatedReplicas", "availableReplicas", "replicas"].map((field) => `jsonpath={.status.${field}}=${replicas}`);
    return { ...awaitAnnotations(true, rollout.timeoutSeconds), "pulumi.com/waitFor": JSON.stringify(rolledOut) };
}

export function ingressAwait(rollout: RolloutConfig): Record<string, string> {
    return awaitAnnotations(rollout.awaitIngresses, rollout.timeoutSeconds);
}

/**
 * A Service is not awaited. The provider's Service await requires no ready address, only 10 s without a new
 * Endpoints event, re-armed by each one (await/service.go checkAndLogStatus and processEndpointEvent,
 * pulumi-kubernetes v4.25.0): it proved nothing the Deployment's rollout await beside it does not, delayed the
 * end of a deploy and the Ingress that reads the Service's name, and on a review stack the database URL
 * (docs/awaits.md). With skipAwait the provider still returns only once the API server has made the Service
 * (metadata/overrides.go ReadyCondition, an immediate condition), so its name and cluster IP exist.
 */
export const serviceAwait: Readonly<Record<string, string>> = { "pulumi.com/skipAwait": "true" };

/**
 * The migration Job, whatever the await settings: always awaited, since the Deployments depend on it and
 * skipAwait would make it "ready" at once; and replaced when a previous update left it unready
 * (`pulumi.com/replaceUnready`, provider/pkg/provider/provider.go Diff at v4.25.0), so re-running the pipeline
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
