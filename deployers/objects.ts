/**
 * Everything a cluster admin applies once per cluster for the deployer identities (issue #29), in the order
 * to apply it: the namespace, the identities and their tokens, their rights, the policy that limits the review
 * identity's writes and its binding, and only then review's cluster-wide binding, so that the review identity
 * never holds its cluster-wide rights before the policy limits them. Plain objects: the program of this folder
 * (program.ts) makes each one a resource in this order; `kubectl apply -f` of their YAML works too.
 */
import type { KubernetesObject } from "../rules/objects";
import { reviewPolicy, reviewPolicyBinding } from "./admission";
import { deployerNamespaceObject, environments, fixedEnvironmentRights, reviewNamespacesBinding, reviewRoles, serviceAccount, tokenSecret } from "./identities";

export function deployerObjects(): KubernetesObject[] {
    return [
        deployerNamespaceObject(),
        ...environments.flatMap((e) => [serviceAccount(e), tokenSecret(e)]),
        ...fixedEnvironmentRights("production"),
        ...fixedEnvironmentRights("staging"),
        ...reviewRoles(),
        reviewPolicy(),
        reviewPolicyBinding(),
        reviewNamespacesBinding(),
    ];
}
