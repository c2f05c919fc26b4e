/**
 * Reads a stack's configuration into one typed object (stacks/types.ts). Each section's keys, bounds and
 * reader live in stacks/sections/; this only runs the readers in order and puts their results together.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./configError";
import { ConfigReader, RawConfigSource } from "./configReader";
import { configNamespace, configSchema } from "./schema";
import { knownStacksHelp, parseStackName } from "./stackName";
import { ArgusConfig } from "./types";
import { readApi } from "./sections/api";
import { readBackup } from "./sections/backup";
import { readCapacity } from "./sections/capacity";
import { readAutoscaling } from "./sections/autoscaling";
import { readCluster, readNamespace } from "./sections/cluster";
import { readDatabase } from "./sections/database";
import { readExtraSettings } from "./sections/extraSettings";
import { readDomain, readHosts } from "./sections/hosts";
import { readImages } from "./sections/images";
import { readIngress } from "./sections/ingress";
import { layoutOf, refuseOtherLayoutKeys } from "./sections/layout";
import { readOidc } from "./sections/login";
import { readNetwork } from "./sections/network";
import { readResources } from "./sections/resources";
import { readRollout } from "./sections/rollout";
import { readServer } from "./sections/server";
import { readWebui } from "./sections/webui";

/** What loadStackConfig and parseStackConfig throw, listing every problem. */
export { ConfigError } from "./configError";

/** Reads the current stack's configuration from the Pulumi runtime. Throws ConfigError listing every problem. */
export function loadStackConfig(): ArgusConfig {
    return parseStackConfig(pulumi.getStack(), pulumiConfigSource());
}

/** The Pulumi runtime as a raw config source of the keys under `namespace` (deployers/ reads `argus-deployers:`). */
export function pulumiConfigSource(namespace: string = configNamespace): RawConfigSource {
    // isConfigSecret is exported by the SDK at run time but left out of its typings.
    const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?(key: string): boolean };
    const prefix = `${namespace}:`;
    return {
        keys: () =>
            Object.keys(pulumi.runtime.allConfig())
                .filter((k) => k.startsWith(prefix))
                .map((k) => k.slice(prefix.length)),
        get: (key) => pulumi.runtime.getConfig(prefix + key),
        isSecret: (key) => runtime.isConfigSecret?.(prefix + key) ?? false,
    };
}

/**
 * Pure: validates raw config for a stack into the typed object. The sections are read in a fixed order, so
 * the problems of a stack are listed in the same order every time.
 */
export function parseStackConfig(stack: string, source: RawConfigSource): ArgusConfig {
    const identity = parseStackName(stack);
    if (typeof identity === "string") {
        throw new ConfigError(stack, [{ key: "stack", problem: identity, fix: knownStacksHelp }]);
    }
    const read = new ConfigReader(source, stack, configSchema);

    const domain = readDomain(read);
    const { namespace, createNamespace, bindReviewDeployer } = readNamespace(read, identity);
    const jsonLogging = read.boolean("jsonLogging");
    const images = readImages(read, identity, jsonLogging);
    const layout = layoutOf(images.argusVersion);
    refuseOtherLayoutKeys(read, layout);
    const hosts = readHosts(read, identity, domain, layout);

    const ingress = readIngress(read);
    const scheme = ingress.tls ? "https" : "http";
    const urls = { webui: `${scheme}://${hosts.webui}`, ...(hosts.api ? { api: `${scheme}://${hosts.api}` } : {}) };
    const publicHosts = layout === "spa" ? [hosts.api!] : [hosts.webui, ...(hosts.api ? [hosts.api] : [])];
    const database = readDatabase(read, identity);
    const backup = readBackup(read, identity, database);
    const resources = readResources(read, identity, layout);
    const apiAlone = readApi(read, identity, { webuiHost: hosts.webui, publicHosts, webuiUrl: urls.webui }, database, jsonLogging);
    const oidc = readOidc(read, layout);
    const extraSettings = readExtraSettings(read, "existingSecretName" in apiAlone.secrets ? apiAlone.secrets.existingSecretName : "");
    const autoscaling = readAutoscaling(read, layout, apiAlone.replicas);
    const api = { ...apiAlone, ...(oidc ? { oidc } : {}), extraSettings, capacity: readCapacity(read, resources, layout), ...(autoscaling ? { autoscaling } : {}) };
    const webui = readWebui(read);
    const server = readServer(read, layout, images.argusVersion);
    const network = readNetwork(read, api.settings.emailPort, database);
    const rollout = readRollout(read);
    const cluster = readCluster(read, identity);

    if (read.problems.length > 0) {
        throw new ConfigError(stack, read.redactedProblems());
    }
    return {
        identity,
        layout,
        namespace,
        createNamespace,
        bindReviewDeployer,
        hosts,
        urls,
        images,
        api,
        webui,
        ingress,
        rollout,
        resources,
        network,
        database,
        ...(backup ? { backup } : {}),
        cluster,
        server,
        externalObjects: [
            ...("existingSecretName" in api.secrets ? [`Secret/${api.secrets.existingSecretName}`] : []),
            ...(images.pull && "existingSecret" in images.pull ? [`Secret/${images.pull.existingSecret}`] : []),
            ...(ingress.tls?.secretName ? [`Secret/${ingress.tls.secretName}`] : []),
        ],
    };
}
