// What the engine suite's tests share beyond the harness: stack preparation, plan parsing and comparison.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Result } from "../shared/process";
import { Workspace } from "./harness";
import { layoutOnlyKeys } from "../../stacks/sections/layout";


/** The committed stack file a stack's config comes from (a review-<n> stack's: the template). */
export function stackFile(ws: Workspace, stack: string): string {
    return path.join(ws.dir, stack.startsWith("review-") ? "Pulumi.review.yaml" : `Pulumi.${stack}.yaml`);
}

/**
 * Moves a stack file to the 2.x layout as docs/operations.md's "Upgrade to Argus 2.x" step 4 says:
 * argusVersion 2.9.1, the 1.x-only keys removed.
 */
export function toLayout2(file: string): void {
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config = { ...(doc.config ?? {}) };
    for (const key of layoutOnlyKeys.spa.keys) delete config[`argus:${key}`];
    config["argus:argusVersion"] = "2.9.1";
    fs.writeFileSync(file, yaml.dump({ ...doc, config }));
}

/** Sets one value in a stack file directly (as an operator edits it), keeping the rest. */
export function setInFile(file: string, values: Record<string, string>): void {
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    fs.writeFileSync(file, yaml.dump({ ...doc, config: { ...(doc.config ?? {}), ...values } }));
}

/** Staging and production exist before CI runs (docs/operations.md, "Set up a new environment"). */
export async function initStack(ws: Workspace, stack: string): Promise<void> {
    if (stack.startsWith("review-")) return; // ci/stack.sh creates review stacks itself
    const init = await ws.pulumi(["stack", "init", stack, "--non-interactive"]);
    if (init.code !== 0) throw new Error(`pulumi stack init ${stack} failed:\n${init.output}`);
}

export interface PlannedResource {
    type: string;
    name: string;
    /** "type::name" of the parent, as the render's resources.json has it; undefined for the stack. */
    parent?: string;
    custom: boolean;
    op: string;
}

/** type::name of a URN (urn:pulumi:stack::project::parentType$type::name). */
export function typeAndName(urn: string): string {
    const parts = urn.split("::");
    const types = parts[2].split("$");
    return `${types[types.length - 1]}::${parts.slice(3).join("::")}`;
}

/** The steps of `pulumi preview --json`, as type, name, parent and operation. */
export function planOf(previewJson: string): PlannedResource[] {
    const doc = JSON.parse(previewJson) as { steps?: { op: string; urn: string; newState?: { type: string; parent?: string; custom?: boolean }; oldState?: { type: string; parent?: string; custom?: boolean } }[] };
    return (doc.steps ?? []).map((step) => {
        const state = step.newState ?? step.oldState!;
        const [type, name] = typeAndName(step.urn).split(/::(.*)/s);
        return { type, name, parent: state.parent ? typeAndName(state.parent) : undefined, custom: Boolean(state.custom), op: step.op };
    });
}

/** The render's resources.json, in the same shape. */
export function renderedResources(outDir: string): { type: string; name: string; parent?: string; custom: boolean }[] {
    const listing = JSON.parse(fs.readFileSync(path.join(outDir, "resources.json"), "utf8")) as { type: string; name: string; parent?: string; custom: boolean }[];
    return listing.map((r) => ({ type: r.type, name: r.name, parent: r.parent, custom: Boolean(r.custom) }));
}

/** "+ 31 to create" from a preview's text summary. */
export function toCreate(output: string): number | undefined {
    const m = /\+ (\d+) to create/.exec(output);
    return m ? Number(m[1]) : undefined;
}

/** The warning lines of a CLI run (the diagnostics it prints as "warning: ..."). */
export function warnings(output: string): string[] {
    return output
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^warning:/i.test(l));
}

/** Text with runs of whitespace collapsed, so an indented diagnostic compares with the render's message. */
export function squash(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

/** A failed command's output for an assertion message, cut to its last lines. */
export function tail(result: Result, lines = 60): string {
    return result.output.split("\n").slice(-lines).join("\n");
}
