/**
 * Everything a cluster admin applies once per cluster for the deployer identities (issue #29), in the order
 * to apply it: the namespace, the identities and their tokens, their rights, then the policy that limits the
 * review identity's writes. Plain objects: `kubectl apply -f` of their YAML, or a program of its own later.
 */
import type { KubernetesObject } from "../rules/objects";
import { reviewPolicy, reviewPolicyBinding } from "./admission";
import { deployerNamespaceObject, environments, fixedEnvironmentRights, reviewRights, serviceAccount, tokenSecret } from "./identities";

export function deployerObjects(): KubernetesObject[] {
    return [
        deployerNamespaceObject(),
        ...environments.flatMap((e) => [serviceAccount(e), tokenSecret(e)]),
        ...fixedEnvironmentRights("production"),
        ...fixedEnvironmentRights("staging"),
        ...reviewRights(),
        reviewPolicy(),
        reviewPolicyBinding(),
    ];
}
