/**
 * The names of the deployer identities (issue #29): one ServiceAccount per environment in a namespace of their
 * own, and the namespaces each may change. The namespaces are the program's defaults (stacks/stackName.ts: the
 * instance name is the namespace unless a stack sets `namespace`).
 */
import { Environment, maxInstanceNameLength, parseStackName, reviewInstancePrefix, StackIdentity } from "../stacks/stackName";

/** Where the deployer ServiceAccounts and their token Secrets live; no stack deploys there. */
export const deployerNamespace = "argus-deployers";

/** Each environment's deployer ServiceAccount, named after the environment. */
export function deployerName(environment: Environment): string {
    return environment;
}

/** The username the API server gives a ServiceAccount's token (k8s.io/apiserver v0.34.4, pkg/authentication/serviceaccount/util.go, MakeUsername). */
export function deployerUsername(environment: Environment): string {
    return `system:serviceaccount:${deployerNamespace}:${deployerName(environment)}`;
}

/** The namespace production's and staging's identities may change (their stacks' instance names); review's are made per merge request. */
export const fixedNamespaces = {
    production: (parseStackName("production") as StackIdentity).instanceName,
    staging: (parseStackName("staging") as StackIdentity).instanceName,
} as const;

/**
 * A review namespace's name: `argus-review-<slug>` with the slug of a review stack (a DNS label's characters,
 * starting and ending alphanumeric), no longer than an instance name may be. Also the CEL regex of the policy
 * (RE2 accepts it as JavaScript does), so both agree with parseStackName (tests/deployers/names.test.ts).
 */
export const reviewNamespacePattern = `^${reviewInstancePrefix}[a-z0-9]([-a-z0-9]*[a-z0-9])?$`;
export const reviewNamespaceMaxLength = maxInstanceNameLength;

/** The ClusterRole holding a review identity's rights inside a review namespace, bound there per namespace. */
export const reviewDeployerRole = "argus-review-deployer";
/** The ClusterRole (and its cluster-wide binding) that lets the review identity make and remove its namespaces. */
export const reviewNamespacesRole = "argus-review-namespaces";
/** The ValidatingAdmissionPolicy (and its binding) that limits what the review identity may write. */
export const reviewPolicyName = "argus-review-deployer-limits";
