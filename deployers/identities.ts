/**
 * The deployer identities as plain Kubernetes objects, for a cluster admin to apply once: one ServiceAccount
 * per environment with a token Secret, and its rights. Production and staging get a Role in their namespace;
 * review gets a ClusterRole to make and remove its namespaces and to bind one named ClusterRole
 * (`argus-review-deployer`, the in-namespace rights) to itself per namespace, never a cluster-wide grant of
 * them, so it cannot read a Secret of another environment. admission.ts limits those writes to review
 * namespaces, since RBAC cannot match names by pattern.
 */
import type { KubernetesObject } from "../rules/objects";
import type { Environment } from "../stacks/stackName";
import { deployerName, deployerNamespace, fixedNamespaces, reviewDeployerRole, reviewNamespacesRole } from "./names";
import { namespaceRules, PolicyRule, reviewNamespacesKindRules } from "./rights";
import { podSecurityLabel } from "../components/labels";

const rbacGroup = "rbac.authorization.k8s.io";
const labels = { "app.kubernetes.io/part-of": "argus", "app.kubernetes.io/component": "deployer" };

export const environments: readonly Environment[] = ["production", "staging", "review"];

export function deployerNamespaceObject(): KubernetesObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: deployerNamespace, labels: { ...labels, [podSecurityLabel.key]: podSecurityLabel.value } } };
}

export function serviceAccount(environment: Environment): KubernetesObject {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: deployerName(environment), namespace: deployerNamespace, labels } };
}

/**
 * A long-lived token for CI's kubeconfig: the token controller fills a Secret of this type with the named
 * ServiceAccount's token (k8s.io/kubernetes v1.34.4, pkg/controller/serviceaccount/tokens_controller.go).
 */
export function tokenSecret(environment: Environment): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/service-account-token",
        metadata: { name: `${deployerName(environment)}-token`, namespace: deployerNamespace, labels, annotations: { "kubernetes.io/service-account.name": deployerName(environment) } },
    };
}

function subject(environment: Environment): { kind: string; name: string; namespace: string } {
    return { kind: "ServiceAccount", name: deployerName(environment), namespace: deployerNamespace };
}

/** Production's or staging's Role in its namespace and the RoleBinding that gives it to the environment's identity. */
export function fixedEnvironmentRights(environment: "production" | "staging"): KubernetesObject[] {
    const namespace = fixedNamespaces[environment];
    const name = `argus-${environment}-deployer`;
    return [
        { apiVersion: `${rbacGroup}/v1`, kind: "Role", metadata: { name, namespace, labels }, rules: namespaceRules() },
        {
            apiVersion: `${rbacGroup}/v1`,
            kind: "RoleBinding",
            metadata: { name, namespace, labels },
            roleRef: { apiGroup: rbacGroup, kind: "Role", name },
            subjects: [subject(environment)],
        },
    ];
}

/**
 * What the review identity may do cluster-wide, every write limited by admission.ts: its Namespaces; the
 * RoleBinding that gives it `argus-review-deployer` in one of them; and `bind` of that one ClusterRole. Without
 * `bind`, creating a RoleBinding needs every right the role holds (k8s.io/kubernetes v1.34.4,
 * pkg/registry/rbac/rolebinding/policybased/storage.go, Create: BindingAuthorized, else ConfirmNoEscalation);
 * `bind` is checked against the role's name (pkg/registry/rbac/escalation_check.go, BindingAuthorized: verb
 * `bind`, resource `clusterroles`, Name = roleRef.Name), so resourceNames limits it to that role.
 */
export function reviewNamespacesRules(): PolicyRule[] {
    return [
        ...reviewNamespacesKindRules(),
        { apiGroups: [rbacGroup], resources: ["clusterroles"], verbs: ["bind"], resourceNames: [reviewDeployerRole] },
    ];
}

/** Review's ClusterRoles: the in-namespace rights (bound per namespace, by the review stack) and its namespaces' rights. */
export function reviewRoles(): KubernetesObject[] {
    return [
        { apiVersion: `${rbacGroup}/v1`, kind: "ClusterRole", metadata: { name: reviewDeployerRole, labels }, rules: namespaceRules() },
        { apiVersion: `${rbacGroup}/v1`, kind: "ClusterRole", metadata: { name: reviewNamespacesRole, labels }, rules: reviewNamespacesRules() },
    ];
}

/**
 * The cluster-wide binding of `argus-review-namespaces` to the review identity: the one grant whose writes only
 * admission.ts limits, so it is applied after the policy and its binding (deployers/objects.ts).
 */
export function reviewNamespacesBinding(): KubernetesObject {
    return {
        apiVersion: `${rbacGroup}/v1`,
        kind: "ClusterRoleBinding",
        metadata: { name: reviewNamespacesRole, labels },
        roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: reviewNamespacesRole },
        subjects: [subject("review")],
    };
}

/** The RoleBinding a review stack makes in its namespace (what admission.ts allows it, and nothing else). */
export function reviewRoleBinding(namespace: string): KubernetesObject {
    return {
        apiVersion: `${rbacGroup}/v1`,
        kind: "RoleBinding",
        metadata: { name: reviewDeployerRole, namespace, labels },
        roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: reviewDeployerRole },
        subjects: [subject("review")],
    };
}
