/**
 * The entry of the deployers program (Pulumi.yaml's `main`): wiring only. Reads the config, asks the cluster
 * (apiClient.ts) through the pre-flight, then makes the identities (stack.ts).
 */
import { clusterAsker } from "./apiClient";
import { loadDeployersConfig } from "./config";
import { deployersStack } from "./stack";

export = async () => {
    const config = loadDeployersConfig();
    return deployersStack(config, clusterAsker(config.target));
};
