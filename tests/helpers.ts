import { expect } from "chai";
import { shared, Shared } from "./support/shared";
import { ConfigError, parseStackConfig } from "../stacks";
import type { ArgusConfig } from "../stacks/types";
import { RawConfigSource } from "../stacks/configReader";
import * as path from "path";
import { renderStack, Rendering } from "../render";
import { ProgramConfig, readStackConfigFile, withCiProvidedSecrets } from "../render/stackConfig";
import { projectRoot } from "../util/projectRoot";
import { ConfigKeySpec, configSchema } from "../stacks/schema";
import { parseStackName, StackIdentity } from "../stacks/stackName";
import { KubernetesObject } from "../rules/objects";
import { RenderMocks } from "../render/mocks";
import { podSpecOf } from "../util/podTemplates";
import { ResourceSpec } from "../stacks/resourceProfiles";

/** Config overrides as `argus:` keys without the namespace; null removes a key the stack file or CI sets. */
export type Overrides = Record<string, string | null>;

/** The config a deploy job gives a stack's program: its committed config file plus overrides, then CI's secrets where it needs them. */
export function stackConfigWith(stack: string, overrides: Overrides = {}, secretOverrides: Record<string, string> = {}): ProgramConfig {
    const identity = parseStackName(stack) as StackIdentity;
    const base = readStackConfigFile(path.join(projectRoot, identity.configFile));
    const values: Record<string, string> = { ...base.values };
    for (const [key, value] of Object.entries({ ...overrides, ...secretOverrides })) {
        if (value === null) {
            delete values[`argus:${key}`];
        } else {
            values[`argus:${key}`] = value;
        }
    }
    const secretKeys = [...base.secretKeys, ...Object.keys(secretOverrides).map((k) => `argus:${k}`)].filter((k) => k in values);
    // A key of type object is a map in the stack, as `pulumi config set --path` makes it; its override is its JSON text.
    const isObjectKey = (key: string) => (configSchema as Record<string, ConfigKeySpec>)[key]?.type === "object";
    const objectKeys = [...(base.objectKeys ?? []), ...Object.keys({ ...overrides, ...secretOverrides }).filter(isObjectKey).map((k) => `argus:${k}`)].filter((k) => k in values);
    return withCiProvidedSecrets({ values, secretKeys, ...(objectKeys.length > 0 ? { objectKeys } : {}) }, identity.environment);
}

/** Renders a stack from its committed config file plus overrides, then CI's secrets where it needs them, as a deploy job would. */
export async function renderWith(stack: string, overrides: Overrides = {}, secretOverrides: Record<string, string> = {}, mocks?: RenderMocks): Promise<Rendering> {
    return renderStack(stack, stackConfigWith(stack, overrides, secretOverrides), undefined, mocks);
}

/** A raw config source from a map of plain values and a map of secret ones. */
export function mapSource(plain: Record<string, string>, secrets: Record<string, string> = {}): RawConfigSource {
    const all = { ...plain, ...secrets };
    return {
        keys: () => Object.keys(all),
        get: (key) => all[key],
        isSecret: (key) => key in secrets,
    };
}

/** The smallest valid config of a stack. */
export const minimalConfig = { domain: "paas2.uninett.no", imageRepository: "registry.example.org/sikt/argus", certIssuer: "letsencrypt" };
export const minimalSecrets = { databaseUrl: "postgresql://argus:pw@db.example.org:5432/argus" };

export function parseMinimal(stack: string, plain: Record<string, string> = {}, secrets: Record<string, string> = {}): ArgusConfig {
    // A review stack runs its own PostgreSQL unless it says otherwise: then nothing gives it a database URL.
    const ownDatabase = (parseStackName(stack) as StackIdentity).environment === "review" ? plain.database !== "external" : plain.database === "inCluster";
    return parseStackConfig(stack, mapSource({ ...minimalConfig, ...plain }, { ...(ownDatabase ? {} : minimalSecrets), ...secrets }));
}

export function findObject(rendering: Rendering, kind: string, namePart: string): KubernetesObject {
    const found = rendering.objects.filter((o) => o.kind === kind && o.metadata.name.includes(namePart));
    expect(found, `${kind} named like ${namePart}`).to.have.length(1);
    return found[0];
}

/** The name of every container, init containers included, of every Deployment, Job and CronJob of a rendering. */
export function containerNames(rendering: Rendering): string[] {
    return rendering.objects
        .filter((o) => ["Deployment", "Job", "CronJob"].includes(o.kind))
        .flatMap((o) => {
            const pod = podSpecOf(o);
            return [...(pod.initContainers ?? []), ...pod.containers].map((c: { name: string }) => c.name);
        });
}

/** Names of everything in a rendering that must be unique per instance: objects, namespaces and hosts. */
export function identifyingNames(rendering: Rendering): Set<string> {
    const names = new Set<string>();
    for (const o of rendering.objects) {
        names.add(`${o.kind}/${o.metadata.name}`);
        if (o.metadata.namespace) names.add(`namespace/${o.metadata.namespace}`);
        for (const rule of ((o.spec as any)?.rules ?? []) as { host: string }[]) names.add(`host/${rule.host}`);
    }
    return names;
}

const renders = new Map<string, Shared<Rendering>>();

/**
 * The render of a stack with these overrides and secrets, made once (per Stryker context, see support/shared)
 * and handed to every test of any file that asks for the same one. A rendering is plain data: tests read it
 * and never change it.
 */
export function sharedRender(stack: string, overrides: Overrides = {}, secretOverrides: Record<string, string> = {}): Promise<Rendering> {
    const key = JSON.stringify([stack, overrides, secretOverrides]);
    if (!renders.has(key)) {
        renders.set(key, shared(() => renderWith(stack, overrides, secretOverrides)));
    }
    return renders.get(key)!();
}

/**
 * Called inside a `describe`: a `beforeEach` hook fetches the shared render, and the function returned hands it
 * to the tests, so no test renders as part of what it checks.
 */
export function renderedBeforeEach(stack: string, overrides: Overrides = {}, secretOverrides: Record<string, string> = {}): () => Rendering {
    let rendering: Rendering | undefined;
    beforeEach(async () => (rendering = await sharedRender(stack, overrides, secretOverrides)));
    return () => rendering!;
}

/** The requests and limits a container gets for a size of its profile, as the Kubernetes quantities the program writes. */
export function quantities(spec: ResourceSpec): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
    return {
        requests: { cpu: `${spec.cpuMillis.request}m`, memory: `${spec.memoryMiB.request}Mi` },
        limits: { cpu: `${spec.cpuMillis.limit}m`, memory: `${spec.memoryMiB.limit}Mi` },
    };
}

/** The config problems of a minimal stack with these plain values, each as `key: problem Fix: fix`; none when it parses. */
export function configProblems(stack: string, plain: Record<string, string>): string[] {
    try {
        parseMinimal(stack, plain);
    } catch (err) {
        return (err as ConfigError).problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
    }
    return [];
}

/** Renders of several stacks with the same overrides, made one after another (renders under mocks share the runtime's globals), shared by a suite's tests (see support/shared). */
export function sharedRenders(stacks: readonly string[], overrides: Overrides = {}): Shared<Map<string, Rendering>> {
    return shared(async () => {
        const all = new Map<string, Rendering>();
        for (const stack of stacks) all.set(stack, await renderWith(stack, overrides));
        return all;
    });
}
