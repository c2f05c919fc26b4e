import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { compareText } from "../util/compare";
import { ProgramConfig } from "./stackConfig";
import { projectRoot } from "../util/projectRoot";

/**
 * The config the Pulumi CLI hands a program, made from a stack's own config the way the CLI makes it
 * before `preview`, `up` and `destroy` (pulumi/pulumi v3.248.0, sdk/go/common/workspace/config.go,
 * `ValidateStackConfigAndApplyProjectConfig` → `mergeConfig`, `validateStackConfigValues`):
 *   1. every key Pulumi.yaml declares that the stack lacks gets the declared `value` or `default`, as a
 *      plain (not secret) value written with Go's `%v`: false → "false", 1 → "1" (`createConfigValue`);
 *   2. a key of the project's namespace with neither is missing: all missing keys are reported together,
 *      and nothing runs;
 *   3. then key by key, sorted, the first value whose declared type it does not match stops the command
 *      (`ValidateConfigValue` in sdk/go/common/workspace/project.go at the same tag).
 * So the program cannot tell a default from an operator's value by its presence (stacks/configReader.ts
 * compares with the default instead).
 */

/** A key as Pulumi.yaml's `config:` block declares it (the subset of `ProjectConfigType` we use). */
export interface ProjectConfigType {
    readonly type?: string;
    readonly default?: unknown;
    readonly value?: unknown;
    readonly secret?: boolean;
}

export interface ProjectFile {
    readonly name: string;
    readonly config: Record<string, ProjectConfigType>;
}

/** The CLI refused the stack's config before the program ran; the message is the CLI's own text. */
export class EngineConfigError extends Error {
    constructor(
        readonly stack: string,
        cliMessage: string,
        hint: string,
    ) {
        // The CLI prints `error: validating stack config: <message>` (pkg/cmd/pulumi/operations/preview.go, v3.248.0).
        super(`error: validating stack config: ${cliMessage}\n${hint}`);
        this.name = "EngineConfigError";
    }
}

export function readProjectFile(root = projectRoot): ProjectFile {
    const parsed = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, ProjectConfigType> };
    return { name: parsed.name, config: parsed.config ?? {} };
}

/** Go's `%v` of a YAML scalar, as `createConfigValue` writes a default into the stack's config. */
function goText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** `formatMissingKeys`: 'a' alone; 'a' and 'b'; 'a', 'b' and 'c'. */
function formatMissingKeys(keys: readonly string[]): string {
    const quoted = [...keys].sort(compareText).map((k) => `'${k}'`);
    return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** `ValidateConfigValue`: the types our Pulumi.yaml declares; an object type takes a map, and only a map. */
function matchesType(type: string, text: string, isObject: boolean): boolean {
    if (type === "object" || isObject) {
        return type === "object" && isObject && /^\{/.test(text);
    }
    switch (type) {
        case "string":
            return true;
        case "integer":
            // strconv.Atoi: an optional sign and decimal digits that fit in a 64-bit int.
            return /^[+-]?\d+$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n;
        case "boolean":
            return text === "true" || text === "false";
        default:
            return false;
    }
}

/**
 * The stack's own config (its file, and what CI sets) turned into what the program sees, or the CLI's
 * refusal. `objectKeys` are keys whose stack value is a YAML map or list (the CLI keeps them as objects).
 */
export function applyProjectConfig(stack: string, own: ProgramConfig & { readonly objectKeys?: readonly string[] }, project: ProjectFile = readProjectFile()): ProgramConfig {
    const values = { ...own.values };
    const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const declared = Object.keys(project.config).sort(compareText);
    const missing: string[] = [];
    const objects = new Set(own.objectKeys ?? []);
    for (const key of declared) {
        const spec = project.config[key];
        if (values[fullKey(key)] !== undefined) {
            continue;
        }
        const fallback = spec.default ?? spec.value;
        if (fallback === undefined || fallback === null) {
            if (fullKey(key).startsWith(`${project.name}:`)) missing.push(key);
            continue;
        }
        values[fullKey(key)] = goText(fallback);
        // createConfigValue: a map default becomes an object value (NewObjectValue of its JSON).
        if (typeof fallback === "object") objects.add(fullKey(key));
    }
    if (missing.length > 0) {
        throw new EngineConfigError(
            stack,
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${formatMissingKeys(missing)}`,
            `Set ${missing.length > 1 ? "each" : "it"} in the stack: pulumi config set --stack ${stack} <key> <value> (docs/configuration.md says what each key means).`,
        );
    }
    const secret = new Set(own.secretKeys);
    for (const key of declared) {
        const spec = project.config[key];
        if (spec.type === undefined) {
            continue;
        }
        if (spec.secret && !secret.has(fullKey(key))) {
            throw new EngineConfigError(stack, `Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`, `Set it with --secret: pulumi config set --secret --stack ${stack} ${key}`);
        }
        if (!matchesType(spec.type, values[fullKey(key)], objects.has(fullKey(key)))) {
            throw new EngineConfigError(
                stack,
                `Stack '${stack}' with configuration key '${key}' must be of type '${spec.type}'`,
                `Set a value of that type: pulumi config set --stack ${stack} ${key} <value> (docs/configuration.md says what each key takes).`,
            );
        }
    }
    return { values, secretKeys: [...own.secretKeys].sort(compareText) };
}
