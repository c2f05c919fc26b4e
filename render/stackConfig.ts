import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { defaultDatabase } from "../stacks/sections/database";
import { Environment } from "../stacks/stackName";
import { closestKey, ConfigKeySpec, configNamespace, configSchema } from "../stacks/schema";
import { secretPlaceholder } from "../rules/hardening";
import { projectRoot } from "../util/projectRoot";

/** Config as the Pulumi engine hands it to a program: full keys (`argus:domain`) to strings. */
export interface ProgramConfig {
    readonly values: Record<string, string>;
    readonly secretKeys: string[];
    /** Keys whose stack value is a YAML map or list, which the CLI keeps as an object (render/engineConfig.ts). */
    readonly objectKeys?: string[];
}

/** The project name from Pulumi.yaml, which namespaces config keys. */
export function projectName(root = projectRoot): string {
    const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
    return project.name;
}

function schemaEntry(fullKey: string): ConfigKeySpec | undefined {
    const [namespace, key] = fullKey.split(":");
    return namespace === configNamespace ? (configSchema as Record<string, ConfigKeySpec>)[key] : undefined;
}

/**
 * Stands in for a secret only the stack's secrets provider or CI knows. It stays marked secret, so it is
 * redacted in every output; it is the key's example so that validation passes as it would with the real value.
 */
function secretStandIn(fullKey: string): string {
    return schemaEntry(fullKey)?.example ?? secretPlaceholder;
}

/**
 * Reads a stack config file as `pulumi` would pass it to the program, except that `secure:` values,
 * which only the stack's secrets provider can decrypt, become stand-ins that stay secret.
 */
export function readStackConfigFile(file: string): ProgramConfig {
    if (!fs.existsSync(file)) {
        throw new Error(`stack config file ${file} does not exist.`);
    }
    const parsed = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const objectKeys: string[] = [];
    for (const [key, value] of Object.entries(parsed.config ?? {})) {
        if (isSecure(value)) {
            values[key] = secretStandIn(key);
            secretKeys.push(key);
        } else if (hasSecureLeaf(value)) {
            // `pulumi config set --secret --path key.NAME`: a map with encrypted leaves, secret as a whole
            // (object.go `Secure`, any secure leaf, and `MarshalString`, pulumi/pulumi v3.248.0 sdk/go/common/resource/config).
            values[key] = JSON.stringify(value, (_, leaf) => (isSecure(leaf) ? secretPlaceholder : leaf));
            secretKeys.push(key);
            objectKeys.push(key);
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
            if (typeof value === "object" && value !== null) objectKeys.push(key);
        }
    }
    return { values, secretKeys, ...(objectKeys.length > 0 ? { objectKeys } : {}) };
}

/** Where the pipeline sets a CI-provided secret, given the stack's environment and other values; everywhere if not listed. */
const ciSetsWhen: Record<string, (values: Record<string, string>, environment: Environment) => boolean> = {
    // Only for a hosted database whose URL no operator's Secret holds (ci/stack.sh sets none otherwise).
    databaseUrl: (values, environment) =>
        !values[`${configNamespace}:existingApiSecret`] && (values[`${configNamespace}:database`] || defaultDatabase[environment]) === "external",
    // The token only means something beside the deploy token's user, which the stack file names.
    registryPullToken: (values) => Boolean(values[`${configNamespace}:registryPullUsername`]),
};

/**
 * Adds a secret stand-in for every key the CI pipeline sets from a masked variable and the file leaves
 * unset, where the deploy job would set it.
 */
export function withCiProvidedSecrets(config: ProgramConfig, environment: Environment): ProgramConfig {
    const values = { ...config.values };
    const secretKeys = [...config.secretKeys];
    for (const [key, spec] of Object.entries(configSchema as Record<string, ConfigKeySpec>)) {
        const fullKey = `${configNamespace}:${key}`;
        const setByCi = ciSetsWhen[key]?.(config.values, environment) ?? true;
        if (spec.ciVariable && values[fullKey] === undefined && setByCi) {
            values[fullKey] = secretStandIn(fullKey);
            secretKeys.push(fullKey);
        }
    }
    return { ...config, values, secretKeys: secretKeys.sort() };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

function hasSecureLeaf(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.values(value).some((v) => isSecure(v) || hasSecureLeaf(v));
}

/**
 * Overrides from the environment, in the engine's own variables (PULUMI_CONFIG, a JSON object of full keys
 * to strings, and PULUMI_CONFIG_SECRET_KEYS, a JSON array), so real values can be rendered without writing
 * them to a file.
 */
export function withEnvironmentOverrides(config: ProgramConfig, env: NodeJS.ProcessEnv): ProgramConfig {
    const raw = parseJson(env.PULUMI_CONFIG, "PULUMI_CONFIG");
    const overrides = configValues(raw);
    const secretOverrides = secretKeyList(parseJson(env.PULUMI_CONFIG_SECRET_KEYS, "PULUMI_CONFIG_SECRET_KEYS"));
    const objectOverrides = Object.keys(overrides).filter((key) => isMap((raw as Record<string, unknown>)[key]));
    const objectKeys = [...(config.objectKeys ?? []).filter((key) => !(key in overrides)), ...objectOverrides];
    return {
        values: { ...config.values, ...overrides },
        secretKeys: [...new Set([...config.secretKeys, ...secretOverrides])].sort(),
        ...(objectKeys?.length ? { objectKeys } : {}),
    };
}

function isMap(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a JSON value is, for a message: "an array", "a string", "null". */
function jsonKind(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Config values as the program reads them, strings: the engine may pass numbers and booleans as JSON,
 * which mean their text. Anything else has no config meaning. Every key is `<namespace>:<key>`, as the
 * engine passes them: a key without one would never reach the program.
 */
function configValues(raw: unknown): Record<string, string> {
    if (raw === undefined) {
        return {};
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new Error(`PULUMI_CONFIG is ${jsonKind(raw)}; it must be a JSON object of full keys to values, like {"${configNamespace}:apiReplicas": "2"}.`);
    }
    return Object.fromEntries(
        Object.entries(raw).map(([key, value]) => {
            if (!/^[^:]+:[^:]+$/.test(key)) {
                const meant = `${configNamespace}:${closestKey(key) ?? key}`;
                throw new Error(`PULUMI_CONFIG: key ${JSON.stringify(key)} has no namespace, so no program would see it; did you mean ${JSON.stringify(meant)}?`);
            }
            if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
                return [key, String(value)];
            }
            // A map, as `pulumi config set --path` makes one: the program reads its JSON text.
            if (isMap(value)) {
                return [key, JSON.stringify(value)];
            }
            throw new Error(`PULUMI_CONFIG: ${key} is ${jsonKind(value)}; give a string, number, boolean or a map.`);
        }),
    );
}

/** PULUMI_CONFIG_SECRET_KEYS: a JSON array of full key names. */
function secretKeyList(raw: unknown): string[] {
    if (raw === undefined) {
        return [];
    }
    if (!Array.isArray(raw) || !raw.every((key) => typeof key === "string")) {
        throw new Error(`PULUMI_CONFIG_SECRET_KEYS is ${Array.isArray(raw) ? "an array with an item that is not a string" : jsonKind(raw)}; it must be a JSON array of full key names, like ["${configNamespace}:databaseUrl"].`);
    }
    return raw as string[];
}

function parseJson(text: string | undefined, name: string): unknown {
    if (!text) {
        return undefined;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        throw new Error(`${name} is not valid JSON.`);
    }
}
