/**
 * Every configuration key the program reads, with its type and default: the sections' tables
 * (stacks/sections/), merged.
 *
 * This table is the single source of truth: `Pulumi.yaml` declares the same keys (a test keeps the two
 * in step), the loader applies these defaults, and unknown keys are reported against it.
 */

import { closestName } from "./configReader";
import { apiKeys } from "./sections/api";
import { capacityKeys } from "./sections/capacity";
import { autoscalingKeys } from "./sections/autoscaling";
import { backupKeys } from "./sections/backup";
import { clusterKeys } from "./sections/cluster";
import { databaseKeys } from "./sections/database";
import { extraSettingsKeys } from "./sections/extraSettings";
import { hostKeys } from "./sections/hosts";
import { imageKeys } from "./sections/images";
import { ingressKeys } from "./sections/ingress";
import { loginKeys } from "./sections/login";
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
    ...capacityKeys,
    ...apiKeys,
    ...autoscalingKeys,
    ...secretKeys,
    ...loginKeys,
    ...mailKeys,
    ...extraSettingsKeys,
    ...ticketKeys,
    ...databaseKeys,
    ...backupKeys,
    ...webuiKeys,
    ...serverKeys,
    ...ingressKeys,
    ...networkKeys,
    ...rolloutKeys,
};

export type ConfigKey = keyof typeof configSchema;

/**
 * Every key, section by section in the order an operator sets up a stack (hosts, cluster, images, ...): the
 * order of Pulumi.yaml and of docs/configuration.md, both generated from it (npm run sync-schema).
 */
export const configSchema = sectionKeys;

export const configKeys = Object.keys(configSchema) as ConfigKey[];

/** The known key nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closestKey(unknown: string): ConfigKey | undefined {
    return closestName(unknown, configKeys);
}
