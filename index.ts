import { kubernetesProvider } from "./components/cluster";
import { ArgusInstance } from "./components/instance";
import { loadStackConfig } from "./stacks";

/**
 * The Pulumi program: reads and validates this stack's config, then deploys one Argus instance.
 * Exported as a function so the mock runtime (render, tests) can run it once per stack.
 */
export = async () => {
    const config = loadStackConfig();
    const cluster = kubernetesProvider(`${config.identity.instanceName}-kubernetes`, config.cluster);
    const argus = new ArgusInstance(config.identity.instanceName, config, { providers: { kubernetes: cluster } });
    return {
        namespace: argus.namespace,
        webuiUrl: argus.webui.url,
        apiUrl: argus.api.url,
        // `repo:<content tag>`: what the next build reuses as cache, and what production promotes.
        apiImage: argus.api.imageReference,
        webuiImage: argus.webui.imageReference,
        // What each build reused; the next update passes it on while the image's content stays the same.
        apiImageCacheFrom: argus.api.imageCacheFrom,
        webuiImageCacheFrom: argus.webui.imageCacheFrom,
        webuiImageDigest: argus.webui.imageDigest,
        apiImageDigest: argus.api.imageDigest,
        apiDeployment: argus.api.deploymentName,
        webuiDeployment: argus.webui.deploymentName,
        apiService: argus.api.serviceName,
        webuiService: argus.webui.serviceName,
        apiSecret: argus.api.secretName,
        migrationJob: argus.api.migrationJobName,
    };
};
