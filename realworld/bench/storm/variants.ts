// The tuning steps of issue #34 as stack config, so that one run measures each against the others under the same
// load of the machine: the README's before/after rows. Each names only keys the program has.

export interface Variant {
    readonly name: string;
    /** Config keys (without the `argus:` namespace) and their values. */
    readonly config: Readonly<Record<string, string>>;
}

export const variants: readonly Variant[] = [
    // What the program deployed before: a new database connection per request, 3 sync workers.
    { name: "before", config: { databaseConnMaxAge: "0", webWorkers: "3", webThreads: "1" } },
    { name: "connections", config: { webWorkers: "3", webThreads: "1" } },
    // The defaults: workers from the CPU limit, 4 threads each, connections kept 60 s.
    { name: "defaults", config: {} },
];

/** The variants STORM_VARIANTS names (comma-separated; default: the defaults alone). */
export function chosenVariants(names: string | undefined): Variant[] {
    const wanted = (names ?? "defaults").split(",").map((n) => n.trim()).filter(Boolean);
    const unknown = wanted.filter((n) => !variants.some((v) => v.name === n));
    if (unknown.length > 0 || wanted.length === 0) {
        throw new Error(`STORM_VARIANTS names ${unknown.length ? `"${unknown.join(", ")}", which is not a variant` : "nothing"}: choose from ${variants.map((v) => v.name).join(", ")}`);
    }
    return wanted.map((n) => variants.find((v) => v.name === n)!);
}
