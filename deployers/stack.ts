/**
 * What the deployers program makes of its config: the pre-flight first (nothing is registered, not even the
 * provider, until the cluster has answered that it can take the identities), then one provider for the admin's
 * cluster, every object of deployerObjects() through it, and each identity's kubeconfig as a secret output.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../stacks/stackName";
import type { DeployersConfig } from "./config";
import { environments } from "./identities";
import { identityKubeconfig } from "./identityKubeconfig";
import { deployerNamespace, deployerUsername, fixedNamespaces, reviewNamespacePattern } from "./names";
import { deployerObjects } from "./objects";
import { Ask, preflight } from "./preflight";
import { DeployerIdentities } from "./resources";

/** Each environment's namespaces: production's and staging's one, review's a pattern (made per merge request). */
const namespaces: Record<Environment, string> = { ...fixedNamespaces, review: reviewNamespacePattern };

export async function deployersStack(config: DeployersConfig, ask: Ask): Promise<Record<string, unknown>> {
    await preflight(config.stack, config.target.server, ask);
    // Options as in provider.d.ts of @pulumi/kubernetes 4.34.2: no kubeconfig means $KUBECONFIG, no context its current one.
    const provider = new k8s.Provider("admin-cluster", {
        ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
        ...(config.context ? { context: config.context } : {}),
    });
    const identities = new DeployerIdentities(deployerNamespace, { objects: deployerObjects() }, { provider });
    // The provider creates a service-account-token Secret only once the token controller filled its data
    // (provider/pkg/await/awaiters.go, untilCoreV1SecretInitialized, at v4.25.0), so `data` holds ca.crt and token.
    const kubeconfigOf = (environment: Environment) =>
        pulumi.secret(
            identities.tokenSecrets[environment].data.apply((data) =>
                identityKubeconfig({ environment, apiServer: config.apiServer, tokenSecretData: data, namespace: environment === "review" ? undefined : namespaces[environment] }),
            ),
        );
    return {
        apiServer: config.apiServer,
        productionKubeconfig: kubeconfigOf("production"),
        stagingKubeconfig: kubeconfigOf("staging"),
        reviewKubeconfig: kubeconfigOf("review"),
        usernames: Object.fromEntries(environments.map((e) => [e, deployerUsername(e)])),
        namespaces,
    };
}
