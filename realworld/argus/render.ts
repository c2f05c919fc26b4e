/**
 * The offline render (`npm run render -- <stack> --out DIR`) the suite runs Argus from: its manifests.yaml
 * and resources.json, and what the image's Dockerfile sets. Nothing here starts a long-running process.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

import { repoRoot } from "../shared/paths";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type K8sObject = any;

export interface Rendering {
    readonly dir: string;
    readonly objects: K8sObject[];
    readonly resources: { type: string; name: string; inputs: any }[];
}

/**
 * Renders `stack` with extra config (full keys); secretKeys are marked secret as CI sets them. Each value is a
 * string, as PULUMI_CONFIG takes them, or a map for an object-valued key (render/stackConfig.ts).
 */
export function render(stack: string, config: Record<string, string | Record<string, string>>, secretKeys: string[], outDir: string): Rendering {
    const result = spawnSync("npm", ["run", "--silent", "render", "--", stack, "--out", outDir], {
        cwd: repoRoot,
        env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) },
        encoding: "utf8",
        timeout: 120000,
    });
    if (result.status !== 0) {
        throw new Error(`npm run render -- ${stack} failed (${result.status}):\n${result.stderr}\n${result.stdout}`);
    }
    const objects = (yaml.loadAll(fs.readFileSync(path.join(outDir, "manifests.yaml"), "utf8")) as K8sObject[]).filter((o) => o);
    const resources = JSON.parse(fs.readFileSync(path.join(outDir, "resources.json"), "utf8"));
    return { dir: outDir, objects, resources };
}

export function objectsOf(r: Rendering, kind: string): K8sObject[] {
    return r.objects.filter((o) => o.kind === kind);
}

export function one(r: Rendering, kind: string, component: string): K8sObject {
    const found = objectsOf(r, kind).filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === component || o.metadata.name.endsWith(`-${component}`));
    if (found.length !== 1) throw new Error(`expected one ${kind} ${component}, found ${found.map((o) => o.metadata.name).join(", ") || "none"}`);
    return found[0];
}

/** The ConfigMaps and Secrets of the render, by name. */
export function configMaps(r: Rendering): Record<string, Record<string, string>> {
    return Object.fromEntries(objectsOf(r, "ConfigMap").map((o) => [o.metadata.name, o.data ?? {}]));
}

export function secretKeys(r: Rendering): Record<string, string[]> {
    return Object.fromEntries(objectsOf(r, "Secret").map((o) => [o.metadata.name, Object.keys(o.stringData ?? o.data ?? {})]));
}

/** The docker.Image build arguments of the Argus runtime image (the only image with ARGUS_REQUIREMENT). */
export function argusBuildArgs(r: Rendering): Record<string, string> {
    const image = r.resources.find((x) => x.type === "docker:index/image:Image" && x.inputs?.build?.args?.ARGUS_REQUIREMENT);
    if (!image) throw new Error(`no docker.Image with ARGUS_REQUIREMENT in ${r.dir}/resources.json (render a stack that builds: staging or review)`);
    return image.inputs.build.args;
}

/** The requirements pip installs, as the Dockerfile's `pip wheel` names them. */
export function requirementsOf(args: Record<string, string>): string[] {
    return [args.ARGUS_REQUIREMENT, ...(args.RUNTIME_PACKAGES ?? "").split(/\s+/), ...(args.EXTRA_PACKAGES ?? "").split(/\s+/)].filter((s) => s);
}

export const dockerfile = path.join(repoRoot, "components", "argus", "image", "Dockerfile");

/** Joins the Dockerfile's continuation lines. */
function instructions(): string[] {
    return fs
        .readFileSync(dockerfile, "utf8")
        .replace(/\\\n/g, " ")
        .split("\n")
        .filter((l) => l.trim() && !l.trim().startsWith("#"));
}

/** key=value pairs of an ENV instruction or a RUN's leading assignments, with ${ARG} substituted. */
function assignments(text: string, args: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const m of text.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S*)/g)) {
        env[m[1]] = m[2].replace(/^"|"$/g, "").replace(/\$\{(\w+)\}/g, (_, a) => args[a] ?? "");
    }
    return env;
}

/** The runtime stage's ENV lines, with the build arguments substituted. */
export function imageEnv(args: Record<string, string>): Record<string, string> {
    const all = instructions();
    const runtimeStart = all.map((l, i) => (/^FROM\s/.test(l) ? i : -1)).filter((i) => i >= 0).pop()!;
    return Object.assign({}, ...all.slice(runtimeStart).filter((l) => /^ENV\s/.test(l)).map((l) => assignments(l.replace(/^ENV\s+/, ""), args)));
}

/** The stand-in variables of the Dockerfile's collectstatic RUN, and its command. */
export function collectstaticStep(args: Record<string, string>): { env: Record<string, string>; argv: string[] } {
    const run = instructions().find((l) => /^RUN\s.*collectstatic/.test(l));
    if (!run) throw new Error("the Dockerfile has no collectstatic step");
    const body = run.replace(/^RUN\s+/, "");
    const command = body.slice(body.indexOf("django-admin"));
    return { env: assignments(body.slice(0, body.indexOf("django-admin")), args), argv: command.trim().split(/\s+/) };
}

/** The runtime stage's USER (uid:gid). */
export function imageUser(): { uid: number; gid: number } {
    const user = instructions().filter((l) => /^USER\s/.test(l)).pop();
    const [uid, gid] = (user ?? "USER 0:0").replace(/^USER\s+/, "").split(":").map(Number);
    return { uid, gid: gid ?? uid };
}
