// What the deploy benchmark reports: for every step, each tool's median seconds over the rounds, the ratios of
// pulumi to kubectl and to Helm, and where and when it ran. Pure functions (tests/bench/table.test.ts).

/** The tools compared, in the table's column order. */
export const toolNames = ["pulumi", "kubectl", "helm"] as const;
export type ToolName = (typeof toolNames)[number];

/** The steps of one round, in the order each tool runs them (only pulumi has a preview). */
export const stepNames = ["preview", "from nothing", "no change", "one setting", "delete"] as const;
export type StepName = (typeof stepNames)[number];

/** Seconds each tool took for each step: one entry per round in which the step passed. */
export type Timings = Record<ToolName, Partial<Record<StepName, number[]>>>;

export function emptyTimings(): Timings {
    return { pulumi: {}, kubectl: {}, helm: {} };
}

/** Where and when the benchmark ran, and what it compared. */
export interface RunDescription {
    /** ISO date and time, UTC. */
    readonly date: string;
    /** `nproc`: the processors this process may use. */
    readonly processors: number;
    readonly cpuModel: string;
    readonly rounds: number;
    /** What one-setting change means in this run, e.g. "autoRefreshInterval 30 → 60 (the webui Deployment only)". */
    readonly change: string;
    /** The tools' versions, e.g. "pulumi v3.248.0, kubectl v1.34.4, helm v4.3.2". */
    readonly versions: string;
}

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
    if (values.length === 0) return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One cell: the median in seconds, and how many rounds it stands for when a step failed in some. */
function secondsCell(values: readonly number[] | undefined, rounds: number): string {
    const m = median(values ?? []);
    if (m === undefined) return "–";
    return values!.length < rounds ? `${m.toFixed(2)} s (${values!.length} of ${rounds})` : `${m.toFixed(2)} s`;
}

/** pulumi's median over another tool's, as "12.3×"; "–" when either is missing. */
export function ratio(pulumi: readonly number[] | undefined, other: readonly number[] | undefined): string {
    const p = median(pulumi ?? []);
    const o = median(other ?? []);
    return p === undefined || o === undefined || o === 0 ? "–" : `${(p / o).toFixed(1)}×`;
}

/** The report as markdown: what ran where, then one row per step. */
export function markdownReport(timings: Timings, run: RunDescription): string {
    const rows = stepNames.map((step) => {
        const cells = toolNames.map((tool) => secondsCell(timings[tool][step], run.rounds));
        return `| ${step} | ${cells.join(" | ")} | ${ratio(timings.pulumi[step], timings.kubectl[step])} | ${ratio(timings.pulumi[step], timings.helm[step])} |`;
    });
    return [
        `Deploy benchmark, production, medians of ${run.rounds} round${run.rounds === 1 ? "" : "s"} (interleaved); ${run.date}; ${run.processors} processors, ${run.cpuModel}; ${run.versions}; one setting: ${run.change}.`,
        "",
        "| step | pulumi | kubectl --server-side + waits | Helm v4 | pulumi/kubectl | pulumi/helm |",
        "|---|---|---|---|---|---|",
        ...rows,
        "",
    ].join("\n");
}
