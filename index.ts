import { kubernetesProvider } from "./components/cluster";
import { ArgusInstance } from "./components/instance";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStackConfig } from "./stacks";
import { upgradeProblem } from "./stacks/upgrade";

/**
 * The Pulumi program: reads and validates this stack's config, then deploys one Argus instance.
 * Exported as a function so the mock runtime (render, tests) can run it once per stack.
 */
export = async () => {
    const config = loadStackConfig();
    // This stack's own last outputs: the release it runs now (an upgrade may need a stepping stone first), and
    // the images it built last (their layers are the next build's cache).
    const instance = config.identity.instanceName;
    const current = new pulumi.StackReference(`${instance}-current`, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
    const runsNow = (await current.getOutputDetails("argusVersion")).value as string | undefined;
    const refusal = upgradeProblem(config.identity.stack, runsNow, config.images.argusVersion);
    if (refusal) {
        throw new ConfigError(config.identity.stack, [refusal]);
    }
    const previous = async (key: string) => (await current.getOutputDetails(key)).value as string | undefined;
    // What a backup's dump names as the release it replaces (components/backup/spec.ts replacedRelease).
    const previousRelease = config.backup ? { argusVersion: runsNow, argusImage: await previous("argusImage"), backupReplaces: await previous("backupReplaces") } : undefined;
    const cluster = kubernetesProvider(`${instance}-kubernetes`, config.cluster);
    const argus = new ArgusInstance(instance, { ...config, current, previousRelease }, { providers: { kubernetes: cluster } });
    const { runtime, api, webui, server } = argus;
    return {
        layout: config.layout,
        argusVersion: config.images.argusVersion,
        namespace: argus.namespace,
        url: config.urls.webui,
        ...(config.urls.api ? { apiUrl: config.urls.api } : {}),
        // `repo:<content tag>` and what its build reused: the next update's cache, and what production promotes.
        argusImage: runtime.imageReference,
        argusImageCacheFrom: runtime.imageCacheFrom,
        argusImageDigest: runtime.imageDigest,
        secret: runtime.secretName,
        // What an operator must have made in the namespace before this update.
        externalObjects: config.externalObjects,
        migrationJob: runtime.migrationJobName,
        ...(runtime.backup ? { backupJob: runtime.backup.job.metadata.name, backupClaim: runtime.backup.claimName, backupReplaces: runtime.backupReplaces } : {}),
        ...(api && webui
            ? {
                  webuiImage: webui.imageReference,
                  webuiImageCacheFrom: webui.imageCacheFrom,
                  webuiImageDigest: webui.imageDigest,
                  apiDeployment: api.deploymentName,
                  apiService: api.serviceName,
                  webuiDeployment: webui.deploymentName,
                  webuiService: webui.serviceName,
              }
            : {}),
        ...(server
            ? {
                  webDeployment: server.webDeploymentName,
                  webService: server.webServiceName,
                  workerDeployment: server.workerDeploymentName,
                  cronJobs: server.cronJobNames,
              }
            : {}),
    };
};
