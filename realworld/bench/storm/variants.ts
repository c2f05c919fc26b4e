// The tuning steps of issue #34 as stack config, so that one run measures each against the others under the same
// load of the machine: the README's before/after rows. Each names only keys the program has.
import type { ArgusLayout } from "../../../releases/argusRelease";

export interface Variant {
    readonly name: string;
    /** Config keys (without the `argus:` namespace) and their values. */
    readonly config: Readonly<Record<string, string>>;
    /** The layouts the variant applies to; all when unset. */
    readonly layouts?: readonly ArgusLayout[];
}

export const variants: readonly Variant[] = [
    // What the program deployed before: a new database connection per request, 3 sync workers.
    { name: "before", config: { databaseConnMaxAge: "0", webWorkers: "3", webThreads: "1" } },
    { name: "connections", config: { webWorkers: "3", webThreads: "1" } },
    // 2.x's default until 2026-12-07: 4 gthread workers of 4 threads. The memory limit is production's own, for
    // staging's render, which gives the image (realworld/argus/layout.ts imageStack), and refuses 4 workers in 512Mi.
    { name: "threads", config: { webWorkers: "4", webThreads: "4", resourceOverrides: "web.memory=512Mi/1Gi" }, layouts: ["server"] },
    // The defaults: sync workers from the CPU limit (production: 6 in 2.x, 4 in 1.x), connections kept 60 s.
    { name: "defaults", config: {} },
];

/** Whether a variant applies to a layout. */
export function appliesTo(variant: Variant, layout: ArgusLayout): boolean {
    return !variant.layouts || variant.layouts.includes(layout);
}

/** The variants STORM_VARIANTS names (comma-separated; default: the defaults alone). */
export function chosenVariants(names: string | undefined): Variant[] {
    const wanted = (names ?? "defaults").split(",").map((n) => n.trim()).filter(Boolean);
    const unknown = wanted.filter((n) => !variants.some((v) => v.name === n));
    if (unknown.length > 0 || wanted.length === 0) {
        throw new Error(`STORM_VARIANTS names ${unknown.length ? `"${unknown.join(", ")}", which is not a variant` : "nothing"}: choose from ${variants.map((v) => v.name).join(", ")}`);
    }
    return wanted.map((n) => variants.find((v) => v.name === n)!);
}
