/**
 * The RBAC rights a deployer identity needs for `pulumi up`, `preview`, `refresh` and `destroy` of one
 * environment, as data: exactly the kinds the program creates (a test compares them with every render,
 * tests/deployers/rights.test.ts) and what pulumi-kubernetes reads while it awaits them. No wildcard, no
 * `escalate`, `impersonate` or `bind` here: the one `bind` a deployer gets is review's, in identities.ts.
 */
import type { KubernetesObject } from "../rules/objects";
import { compareText } from "../util/compare";

/** One RBAC PolicyRule (rbac.authorization.k8s.io/v1), as plain data. */
export interface PolicyRule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly verbs: string[];
    readonly resourceNames?: string[];
}

/**
 * Which grant lets a deployer manage a kind. `inNamespace`: the rights inside its environment's namespace
 * (production's and staging's Role, review's `argus-review-deployer` bound per namespace; namespaceRules).
 * `reviewNamespaces`: review's cluster-wide `argus-review-namespaces` only (identities.ts reviewNamespacesRules),
 * every write of which the policy limits (admission.ts): the Namespace a review stack makes and the RoleBinding
 * it makes first in it. No other identity may touch these kinds.
 */
export type Grant = "inNamespace" | "reviewNamespaces";

/** A kind the program creates, with the API group and resource RBAC names it by, and the grant that covers it. */
export interface ManagedKind {
    readonly apiVersion: string;
    readonly kind: string;
    readonly resource: string;
    /** false for cluster-scoped kinds: only review stacks make one (their Namespace). */
    readonly namespaced: boolean;
    readonly grant: Grant;
}

/** The kinds every stack makes in its environment's namespace. */
const inNamespaceKinds = [
    { apiVersion: "v1", kind: "ConfigMap", resource: "configmaps", namespaced: true },
    { apiVersion: "v1", kind: "Secret", resource: "secrets", namespaced: true },
    { apiVersion: "v1", kind: "Service", resource: "services", namespaced: true },
    { apiVersion: "v1", kind: "ServiceAccount", resource: "serviceaccounts", namespaced: true },
    // The backup's volume (components/backup), which production keeps by default.
    { apiVersion: "v1", kind: "PersistentVolumeClaim", resource: "persistentvolumeclaims", namespaced: true },
    { apiVersion: "apps/v1", kind: "Deployment", resource: "deployments", namespaced: true },
    { apiVersion: "batch/v1", kind: "Job", resource: "jobs", namespaced: true },
    { apiVersion: "batch/v1", kind: "CronJob", resource: "cronjobs", namespaced: true },
    { apiVersion: "networking.k8s.io/v1", kind: "Ingress", resource: "ingresses", namespaced: true },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", resource: "networkpolicies", namespaced: true },
    { apiVersion: "policy/v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", namespaced: true },
    // 2.x's web autoscaler, when a stack sets webMaxReplicas (stacks/sections/autoscaling.ts).
    { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", resource: "horizontalpodautoscalers", namespaced: true },
];

/** What only a review stack makes: its Namespace, and first in it the RoleBinding of its deployer's rights there. */
const reviewNamespacesKinds = [
    { apiVersion: "v1", kind: "Namespace", resource: "namespaces", namespaced: false },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", resource: "rolebindings", namespaced: true },
];

/** Every kind any stack of the program creates, in either layout, with the grant that covers it. */
export const managedKinds: readonly ManagedKind[] = [
    ...inNamespaceKinds.map((k) => ({ ...k, grant: "inNamespace" as const })),
    ...reviewNamespacesKinds.map((k) => ({ ...k, grant: "reviewNamespaces" as const })),
];

/**
 * What pulumi-kubernetes v4.25.0 does to an object it manages (provider/pkg/await/await.go at tag v4.25.0):
 * creates and updates are server-side apply PATCHes (`client.Patch(..., types.ApplyPatchType, ...)`), and a
 * PATCH that creates is authorized a second time as `create` (k8s.io/apiserver v0.34.4,
 * pkg/endpoints/handlers/patch.go, `createAuthorizerAttributes`); `refresh` and every update first `Get` the
 * live object; `destroy` deletes it and watches until it is gone (condition/source.go: an informer, so
 * list and watch). `update` (a PUT) is used only for CRDs there (`updateResource`); it is kept because it
 * allows nothing `patch` does not (both are the admission operation UPDATE of the same object).
 */
export const deployVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];
export const readVerbs = ["get", "list", "watch"];

/**
 * What the provider's await logic reads in the object's namespace (provider/pkg/await at tag v4.25.0):
 * Pods (deployment.go, job.go and watchers.go's PodAggregator: a Deployment's and a Job's Pods), ReplicaSets
 * and PersistentVolumeClaims (deployment.go), Endpoints (service.go, ingress.go), and Events of every object
 * (watchers.go, NewEventAggregator; await.go subscribes it for every create, update and delete). Each is an
 * informer whose Subscribe waits for its cache to sync (informers/factory.go), so a kind the identity cannot
 * list stalls that await until its timeout. A Namespace's Events are watched cluster-wide; no deployer may
 * read Events there, which only silences that observer (internal/awaiter.go runs observers beside the
 * condition).
 */
export const awaitReads: readonly { group: string; resource: string }[] = [
    { group: "", resource: "endpoints" },
    { group: "", resource: "events" },
    { group: "", resource: "persistentvolumeclaims" },
    { group: "", resource: "pods" },
    { group: "apps", resource: "replicasets" },
];

/** The API group of an apiVersion ("" for the core group's "v1"). */
export function apiGroupOf(apiVersion: string): string {
    return apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
}

/** One rule per API group, groups and resources in code-unit order, so the objects are the same on every machine. */
function groupedRules(entries: readonly { group: string; resource: string }[], verbs: string[]): PolicyRule[] {
    const groups = [...new Set(entries.map((e) => e.group))].sort(compareText);
    return groups.map((group) => ({
        apiGroups: [group],
        resources: [...new Set(entries.filter((e) => e.group === group).map((e) => e.resource))].sort(compareText),
        verbs: [...verbs],
    }));
}

/** The kinds of one grant, as RBAC names them. */
function kindsOfGrant(kinds: readonly ManagedKind[], grant: Grant): { group: string; resource: string }[] {
    return kinds.filter((k) => k.grant === grant).map((k) => ({ group: apiGroupOf(k.apiVersion), resource: k.resource }));
}

/** The rights inside one environment's namespace: every `inNamespace` kind the program makes, and the await's reads. */
export function namespaceRules(kinds: readonly ManagedKind[] = managedKinds): PolicyRule[] {
    const managed = kindsOfGrant(kinds, "inNamespace");
    const managedNames = new Set(managed.map((m) => `${m.group}/${m.resource}`));
    const readOnly = awaitReads.filter((r) => !managedNames.has(`${r.group}/${r.resource}`));
    return [...groupedRules(managed, deployVerbs), ...groupedRules(readOnly, readVerbs)];
}

/** The `reviewNamespaces` kinds (a review stack's Namespace and its RoleBinding) with the verbs to manage them: review's cluster-wide rights, which the policy limits. */
export function reviewNamespacesKindRules(kinds: readonly ManagedKind[] = managedKinds): PolicyRule[] {
    return groupedRules(kindsOfGrant(kinds, "reviewNamespaces"), deployVerbs);
}

/** `apiVersion/kind` of every object, each once, in code-unit order. */
export function kindsOf(objects: readonly KubernetesObject[]): string[] {
    return [...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))].sort(compareText);
}

/** The kinds among `objects` that no deployer may touch: what a render must never make. */
export function uncoveredKinds(objects: readonly KubernetesObject[], kinds: readonly ManagedKind[] = managedKinds): string[] {
    const covered = new Set(kinds.map((k) => `${k.apiVersion}/${k.kind}`));
    return kindsOf(objects).filter((k) => !covered.has(k));
}
