// What the outage-storm benchmark reports (`npm run bench:argus`): per layout, throughput, latencies of the
// sources' posts and the users' list reads, how soon the notifications were all sent, CPU seconds per incident,
// and what went wrong; and what bad input beside a storm got. Pure functions (tests/bench/storm.test.ts).

/** The storm's shape: N incidents from S concurrent sources, U users listing open incidents meanwhile, W websocket clients (1.x). */
export interface StormShape {
    readonly incidents: number;
    readonly sources: number;
    readonly readers: number;
    readonly websockets: number;
}

/** What one kind of bad input beside a storm got (abuse.ts). */
export interface AbuseResult {
    readonly name: string;
    /** What the server answered, e.g. "201 ×5" or "401 ×812", or how slow clients ended. */
    readonly got: string;
    /** Median time to that answer. */
    readonly medianMs: number | undefined;
}

/** What one storm against one layout measured. Times in milliseconds from the first post. */
export interface StormMeasurement {
    /** "2.10.2 (server)", "1.37.0 (spa)". */
    readonly target: string;
    readonly shape: StormShape;
    /** Each post's latency, in the order they ended. */
    readonly postMs: readonly number[];
    /** Each list read's latency. */
    readonly readMs: readonly number[];
    /** When the last post was answered. */
    readonly lastPostAtMs: number;
    /** When the last notification reached the SMTP server; undefined if not all did within the wait. */
    readonly drainedAtMs: number | undefined;
    /**
     * CPU seconds the Argus containers used during the storm (until drained), and the database server: the
     * posts, the mails and every list read (readers list back to back, so a longer storm has more of them).
     */
    readonly argusCpuSeconds: number;
    readonly databaseCpuSeconds: number;
    /** Posts that were not answered 201, with their status (0: no answer) and a short reason. */
    readonly failedPosts: readonly string[];
    readonly failedReads: readonly string[];
    /** Rows of the storm's incidents in the database, and how many distinct descriptions among them. */
    readonly stored: { readonly rows: number; readonly distinct: number };
    /** Distinct storm incidents that were mailed. */
    readonly notified: number;
    /** Per websocket client, how many of the storm's incidents it got a "created" event for. */
    readonly websocketReceived: readonly number[];
    /** What the bad input beside the storm got (abuse.ts); empty for a storm without. */
    readonly abuse: readonly AbuseResult[];
}

/** The p-th percentile (0 < p <= 100) by nearest rank; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
    if (values.length === 0) return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * What makes the storm's result wrong, whatever the times: a failed request, an incident stored twice or not at
 * all, one not notified, a websocket client that missed one. Empty when all is right.
 */
export function stormProblems(m: StormMeasurement): string[] {
    const n = m.shape.incidents;
    const problems: string[] = [];
    if (m.failedPosts.length > 0) problems.push(`${m.failedPosts.length} of ${n} posts failed (first: ${m.failedPosts[0]})`);
    if (m.failedReads.length > 0) problems.push(`${m.failedReads.length} of ${m.readMs.length + m.failedReads.length} list reads failed (first: ${m.failedReads[0]})`);
    if (m.stored.rows !== n || m.stored.distinct !== n) problems.push(`stored ${m.stored.rows} rows of ${m.stored.distinct} distinct incidents, not ${n} once each`);
    if (m.notified !== n) problems.push(`${m.notified} of ${n} incidents were notified`);
    m.websocketReceived.forEach((got, i) => {
        if (got !== n) problems.push(`websocket client ${i + 1} got ${got} of ${n} incidents`);
    });
    return problems;
}

const seconds = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`);
const millis = (ms: number | undefined) => (ms === undefined ? "–" : `${Math.round(ms)} ms`);

/** One markdown row per measurement, under the header `stormTableHeader`. */
export function stormRow(m: StormMeasurement): string {
    const n = m.shape.incidents;
    const throughput = m.lastPostAtMs > 0 ? (n / (m.lastPostAtMs / 1000)).toFixed(1) : "–";
    const afterLast = m.drainedAtMs === undefined ? undefined : Math.max(0, m.drainedAtMs - m.lastPostAtMs);
    const shape = `${n} / ${m.shape.sources} / ${m.shape.readers}${m.shape.websockets > 0 ? ` / ${m.shape.websockets}` : ""}`;
    const problems = stormProblems(m);
    return [
        m.target,
        shape,
        `${throughput}/s`,
        millis(percentile(m.postMs, 50)),
        millis(percentile(m.postMs, 99)),
        String(m.readMs.length),
        millis(percentile(m.readMs, 50)),
        millis(percentile(m.readMs, 99)),
        afterLast === undefined ? "not all" : `${seconds(afterLast)} after the last`,
        (m.argusCpuSeconds / n).toFixed(3),
        (m.databaseCpuSeconds / n).toFixed(3),
        problems.length === 0 ? "none" : problems.join("; "),
    ].join(" | ").replace(/^/, "| ").concat(" |");
}

export const stormTableHeader = [
    "| Argus | incidents / sources / readers (/ websockets) | throughput | post p50 | post p99 | lists | list p50 | list p99 | mails drained | Argus CPU s per incident | PostgreSQL CPU s per incident | failures |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
].join("\n");

/** The bad input of each storm that had some: one row per kind, what the server made of it. */
export function abuseTable(measurements: readonly StormMeasurement[]): string[] {
    const rows = measurements.flatMap((m) => m.abuse.map((a) => `| ${m.target} | ${a.name} | ${a.got} | ${millis(a.medianMs)} |`));
    return rows.length === 0 ? [] : ["", "| Argus | bad input beside the storm | what it got | median time |", "|---|---|---|---|", ...rows];
}

/** The whole report: where and when, then the table. */
export function stormReport(measurements: readonly StormMeasurement[], where: { readonly date: string; readonly processors: number; readonly cpuModel: string }): string {
    return [
        `Outage storm, ${where.date}, ${where.processors} processors (${where.cpuModel}); one web Pod at the production profile's limits (not enforced here).`,
        "",
        stormTableHeader,
        ...measurements.map(stormRow),
        ...abuseTable(measurements),
        "",
    ].join("\n");
}
