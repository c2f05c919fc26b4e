/**
 * Every configuration key the program reads, with its type and default: the sections' tables
 * (stacks/sections/), merged.
 *
 * This table is the single source of truth: `Pulumi.yaml` declares the same keys (a test keeps the two
 * in step), the loader applies these defaults, and unknown keys are reported against it.
 */

import { closestName } from "./configReader";
import { apiKeys } from "./sections/api";
import { clusterKeys } from "./sections/cluster";
import { databaseKeys } from "./sections/database";
import { hostKeys } from "./sections/hosts";
import { imageKeys } from "./sections/images";
import { ingressKeys } from "./sections/ingress";
import { mailKeys } from "./sections/mail";
import { networkKeys } from "./sections/network";
import { resourceKeys } from "./sections/resources";
import { rolloutKeys } from "./sections/rollout";
import { secretKeys } from "./sections/secrets";
import { serverKeys } from "./sections/server";
import { ticketKeys } from "./sections/ticket";
import { webuiKeys } from "./sections/webui";

export type { ConfigKeySpec, ConfigType } from "./keySpec";

/** Config keys live under this namespace: `argus:<key>`. */
export const configNamespace = "argus";

const sectionKeys = {
    ...hostKeys,
    ...clusterKeys,
    ...imageKeys,
    ...resourceKeys,
    ...apiKeys,
    ...secretKeys,
    ...mailKeys,
    ...ticketKeys,
    ...databaseKeys,
    ...webuiKeys,
    ...serverKeys,
    ...ingressKeys,
    ...networkKeys,
    ...rolloutKeys,
};

export type ConfigKey = keyof typeof sectionKeys;

/**
 * The order of the keys in Pulumi.yaml and in the README's table, both generated from configSchema
 * (npm run sync-schema): grouped as an operator reads them, which is not section by section. A new key
 * goes here too, where Pulumi.yaml should list it; a key of a section left out is a compile error below.
 */
const keyOrder = [
    "domain", "namespace", "createNamespace", "webuiHost", "apiHost", "imageRepository", "registryUsername",
    "registryPassword", "buildOnPreview", "imagePullSecret", "registryPullUsername", "registryPullToken",
    "kubeconfig", "adoptExistingObjects", "kubeContext", "argusVersion", "frontendVersion", "extraPythonPackages",
    "nginxImage", "redisImage", "resourceProfile", "resourceOverrides", "apiReplicas", "webuiReplicas",
    "workerReplicas", "pruneSchedule", "pruneMinAgeDays", "versionCheck", "heartbeatSchedule", "argusExtras",
    "jsonLogging", "adminUsername", "adminEmail", "adminPassword", "database", "postgresImage",
    "databaseStorageGi", "databaseUrl", "djangoSecretKey", "existingApiSecret", "timeZone",
    "authTokenExpiresAfterDays", "fallbackFilter", "admins", "serverEmail", "socialAuthImmutableUserFields",
    "mediaPlugins", "ticketPlugin", "ticketEndpoint", "ticketInformation", "ticketAuthenticationSecret",
    "sendNotifications", "emailHost", "emailPort", "emailUseTls", "defaultFromEmail", "dataportenKey",
    "dataportenSecret", "debug", "autoRefreshInterval", "realtimeMaxRetries", "webuiIngress", "apiIngress",
    "ingressClassName", "tls", "tlsSecretName", "certIssuer", "networkPolicies", "ingressControllerNamespace",
    "dnsEgress", "databaseCidr", "databasePort", "emailCidr", "awaitDeployments", "awaitIngresses",
    "migrationTimeoutSeconds", "awaitTimeoutSeconds",
] as const satisfies readonly ConfigKey[];

/** Names the keys missing from keyOrder, if any: the type of `true` only when none is. */
type Unordered = Exclude<ConfigKey, (typeof keyOrder)[number]>;
const everyKeyOrdered: [Unordered] extends [never] ? true : Unordered = true;
void everyKeyOrdered;

export const configSchema: typeof sectionKeys = Object.fromEntries(keyOrder.map((key) => [key, sectionKeys[key]])) as typeof sectionKeys;

export const configKeys = Object.keys(configSchema) as ConfigKey[];

/** The known key nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closestKey(unknown: string): ConfigKey | undefined {
    return closestName(unknown, configKeys);
}
