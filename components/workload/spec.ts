import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerResources, IngressConfig, RolloutConfig, WebAutoscaling } from "../../stacks/types";
import { terminationGracePeriodSeconds, WebPort } from "./containers";

type Input<T> = pulumi.Input<T>;
export type PodSpec = k8s.types.input.core.v1.PodSpec;

/** An autoscaler's range and target, and the container whose CPU use it follows. */
export interface Autoscaled extends WebAutoscaling {
    readonly container: string;
}

/** How many Pods a Deployment runs: a fixed count, or what a HorizontalPodAutoscaler chooses within its range. */
export type Replicas = number | Autoscaled;

/** The fewest Pods a Deployment runs: its count, or its autoscaler's minimum. */
export function fewestReplicas(replicas: Replicas): number {
    return typeof replicas === "number" ? replicas : replicas.minReplicas;
}

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
export function deploymentAwait(rollout: RolloutConfig, replicas: Replicas): Record<string, string> {
    if (!rollout.awaitDeployments) return awaitAnnotations(false, rollout.timeoutSeconds);
    const fields = ["updatedReplicas", "availableReplicas", "replicas"];
    const rolledOut = typeof replicas === "number" ? fields.map((field) => `jsonpath={.status.${field}}=${replicas}`) : fields.map(equalsLiveCount);
    return { ...awaitAnnotations(true, rollout.timeoutSeconds), "pulumi.com/waitFor": JSON.stringify(rolledOut) };
}

/**
 * With an autoscaler the program does not know the count: the same three counts, each compared with the
 * Deployment's own spec.replicas as the autoscaler left it, which is exactly the `kubectl rollout status`
 * judgement above. The provider's JSONPath is RFC 9535 (github.com/theory/jsonpath v0.9.0, provider/go.mod and
 * pkg/jsonpath/jsonpath.go Parse and Matches at v4.25.0): a filter over the root's members whose test reads
 * absolute paths selects them all when the two counts are equal and nothing otherwise, and a path that
 * selects nothing does not match (tried against that module: equal, rolling, not yet available, just scaled up).
 * Not the Progressing condition's reason NewReplicaSetAvailable: after a change back to an older template the
 * controller may write the new observedGeneration before it replaces a stale reason (progress.go
 * syncRolloutStatus changes it only on progress, sync.go getNewReplicaSet only for a new ReplicaSet; k8s
 * v1.34.4 pkg/controller/deployment), so it could end the wait before the rollout starts.
 */
function equalsLiveCount(field: string): string {
    return `jsonpath={$[?$.status.${field}==$.spec.replicas]}`;
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

/**
 * An autoscaled Deployment names no spec.replicas: the program's server-side apply would otherwise set the
 * count back to the minimum at every update (Kubernetes docs, concepts/workloads/autoscaling/
 * horizontal-pod-autoscale.md, "Migrating Deployments and StatefulSets to horizontal autoscaling"). The
 * first update without it drops the count to 1 until the autoscaler raises it (docs/operations.md, "Capacity").
 */
export function deploymentSpec(
    replicas: Replicas,
    selector: Record<string, string>,
    labels: Record<string, string>,
    pod: PodSpec,
    podAnnotations: Input<Record<string, Input<string>>>,
    rollout: "rolling" | "recreate" = "rolling",
): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        ...(typeof replicas === "number" ? { replicas } : {}),
        selector: { matchLabels: selector },
        // Rolling keeps capacity; recreate never runs two Pods at once (a database with its own data).
        strategy: rollout === "rolling" ? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } : { type: "Recreate" },
        template: { metadata: { labels, annotations: podAnnotations }, spec: pod },
    };
}

/**
 * The web autoscaler (autoscaling/v2, served since Kubernetes 1.23): between the fewest and most Pods, by one
 * container's average CPU use in percent of its CPU request (every container here has one:
 * workload/containers.ts resourceRequirements). A ContainerResource metric, not a Resource one: the latter sums
 * every container of the Pod (the nginx beside gunicorn too) against the sum of their requests
 * (pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas with an empty container, k8s v1.34.4,
 * where ContainerResource metrics have no feature gate left). The controller reads that use from the metrics API
 * (metrics-server); without it, it only holds the count within the range (horizontal.go reconcileAutoscaler: the
 * min and max clamps come before the metrics).
 */
export function autoscalerSpec(deploymentName: Input<string>, autoscaled: Autoscaled): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const target = { type: "Utilization", averageUtilization: autoscaled.targetCpuPercent };
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: autoscaled.minReplicas,
        maxReplicas: autoscaled.maxReplicas,
        metrics: [{ type: "ContainerResource", containerResource: { name: "cpu", container: autoscaled.container, target } }],
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
