/**
 * The ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) that limits every
 * write of the review identity to review namespaces: RBAC cannot match names by pattern, and the review
 * identity's Namespace and RoleBinding rights are cluster-wide (identities.ts). Admission sees writes only;
 * reads are RBAC's, which gives review no read outside its namespaces but Namespace and RoleBinding objects.
 *
 * CEL variables as k8s.io/apiserver v0.34.4 (kubernetes v1.34.4's staging copy) declares and fills them
 * (pkg/admission/plugin/cel/compile.go: `object`, `oldObject`, `request`; activation.go fills `object` from the
 * request's object, null for a DELETE, and `oldObject` from the stored one, null for a CREATE):
 * `request.userInfo.username` is the authenticated user, `request.namespace` the namespace of the request's
 * URL. A refusal reads "ValidatingAdmissionPolicy '<policy>' with binding '<binding>' denied request:
 * <message>" (pkg/admission/plugin/policy/validating/dispatcher.go).
 * The ValidatingAdmissionPolicy admission plugin is on by default (k8s.io/kubernetes v1.34.4,
 * pkg/kubeapiserver/options/plugins.go, DefaultOffAdmissionPlugins) and admissionregistration.k8s.io/v1 is
 * served by default (pkg/controlplane/instance.go, stableAPIGroupVersionsEnabledByDefault).
 */
import type { KubernetesObject } from "../rules/objects";
import { podSecurityLabel } from "../components/labels";
import { deployerName, deployerNamespace, deployerUsername, reviewDeployerRole, reviewNamespaceMaxLength, reviewNamespacePattern, reviewPolicyName } from "./names";

/** A CEL string literal (single-quoted; our names hold no quote or backslash). */
function literal(text: string): string {
    return `'${text}'`;
}

const isReviewName = (name: string) => `(${name}.matches(${literal(reviewNamespacePattern)}) && size(${name}) <= ${reviewNamespaceMaxLength})`;
const written = "(request.operation == 'DELETE' ? oldObject : object)";
const onNamespaces = "request.resource.resource == 'namespaces'";
const onRoleBindings = "request.resource.resource == 'rolebindings'";

export interface Validation {
    readonly expression: string;
    readonly message: string;
}

/** The policy's checks, each with the message the API server returns when it refuses (tests assert on it). */
export const reviewValidations: readonly Validation[] = [
    {
        expression: `!(${onNamespaces}) || ${isReviewName(`${written}.metadata.name`)}`,
        message: `the review deployer may create, change and delete only namespaces named ${reviewNamespacePattern}`,
    },
    {
        expression: `!(${onNamespaces}) || request.operation == 'DELETE' || (has(object.metadata.labels) && ${literal(podSecurityLabel.key)} in object.metadata.labels && object.metadata.labels[${literal(podSecurityLabel.key)}] == ${literal(podSecurityLabel.value)})`,
        message: `a review namespace must carry the label ${podSecurityLabel.key}=${podSecurityLabel.value}`,
    },
    {
        expression: `!(${onRoleBindings}) || ${isReviewName("request.namespace")}`,
        message: `the review deployer may create, change and delete RoleBindings only in namespaces named ${reviewNamespacePattern}`,
    },
    {
        expression:
            `!(${onRoleBindings}) || request.operation == 'DELETE' || (` +
            `object.roleRef.apiGroup == 'rbac.authorization.k8s.io' && object.roleRef.kind == 'ClusterRole' && object.roleRef.name == ${literal(reviewDeployerRole)} && ` +
            `has(object.subjects) && size(object.subjects) == 1 && object.subjects[0].kind == 'ServiceAccount' && ` +
            `object.subjects[0].name == ${literal(deployerName("review"))} && has(object.subjects[0].namespace) && object.subjects[0].namespace == ${literal(deployerNamespace)})`,
        message: `the review deployer may only bind the ClusterRole ${reviewDeployerRole} to itself`,
    },
];

/** The policy: Namespace and RoleBinding writes, only for requests by the review identity. */
export function reviewPolicy(): KubernetesObject {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: reviewPolicyName },
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                resourceRules: [
                    { apiGroups: [""], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["namespaces"] },
                    { apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["rolebindings"] },
                ],
            },
            matchConditions: [{ name: "review-deployer", expression: `request.userInfo.username == ${literal(deployerUsername("review"))}` }],
            validations: reviewValidations.map((v) => ({ ...v, reason: "Forbidden" })),
        },
    };
}

/** Its binding: cluster-wide, refusing (Deny) what a check rejects. */
export function reviewPolicyBinding(): KubernetesObject {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: reviewPolicyName },
        spec: { policyName: reviewPolicyName, validationActions: ["Deny"] },
    };
}
