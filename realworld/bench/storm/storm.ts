// The storm itself: S sources post N incidents as fast as they are answered while U users list the open
// incidents, and (1.x) W websocket clients listen; then it waits for every notification and every websocket event.
import { Answer, Client, Socket } from "../../argus/client";
import { StormMeasurement, StormShape } from "./report";
import { Abuser } from "./abuse";
import { cpuSecondsOf, storedIncidents, StormTarget } from "./target";

/** How long after the last post the notifications and websocket events may take before they count as missing. */
const settleMs = 120_000;

/** The incidents source `source` of `sources` posts: every S-th, so the N are shared out as evenly as they can be. */
export function shareOf(source: number, sources: number, incidents: number): number[] {
    const mine: number[] = [];
    for (let i = source; i < incidents; i += sources) mine.push(i);
    return mine;
}

async function timed(request: () => Promise<Answer>): Promise<{ ms: number; answer?: Answer; error?: string }> {
    const started = performance.now();
    try {
        const answer = await request();
        return { ms: performance.now() - started, answer };
    } catch (error) {
        return { ms: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
    }
}

/** Descriptions of the storm's incidents that `texts` mention (mails, websocket payloads). */
function mentioned(texts: readonly string[], prefix: string): Set<string> {
    const found = new Set<string>();
    const pattern = new RegExp(`${prefix}\\d+\\b`, "g");
    for (const text of texts) for (const m of text.match(pattern) ?? []) found.add(m);
    return found;
}

/** The storm, with `abusers` (abuse.ts) running beside its sources and readers until the last post is answered. */
export async function runStorm(target: StormTarget, shape: StormShape, abusers: readonly Abuser[] = []): Promise<StormMeasurement> {
    const prefix = `storm-${Date.now()}-`;
    const sockets: Socket[] = [];
    for (let i = 0; i < shape.websockets; i++) sockets.push(await target.openSocket());
    const mailsBefore = target.sink.messages().length;
    const cpuBefore = { argus: cpuSecondsOf(target.argusProcesses()), database: cpuSecondsOf([target.pg.proc]) };

    const postMs: number[] = [];
    const readMs: number[] = [];
    const failedPosts: string[] = [];
    const failedReads: string[] = [];
    const start = performance.now();
    let posting = true;

    const post = async (source: Client, i: number) => {
        const body = { start_time: new Date().toISOString(), end_time: "infinity", description: `${prefix}${i}`, level: 1 + (i % 5), tags: [{ tag: `storm=${i % 10}` }] };
        const r = await timed(() => source.post(target.incidentsPath, body));
        if (r.answer?.status === 201) postMs.push(r.ms);
        else failedPosts.push(`${prefix}${i}: ${r.answer ? `${r.answer.status} ${r.answer.body.slice(0, 120)}` : r.error}`);
    };
    const abuse = Promise.all(abusers.map((a) => a.run(() => posting)));
    const sources = target.sources.slice(0, shape.sources).map(async (source, s) => {
        for (const i of shareOf(s, shape.sources, shape.incidents)) await post(source, i);
    });
    const readers = Array.from({ length: shape.readers }, async () => {
        const reader = target.reader();
        while (posting) {
            const r = await timed(() => reader.get(`${target.incidentsPath}?open=true`));
            if (r.answer?.status === 200) readMs.push(r.ms);
            else failedReads.push(r.answer ? `${r.answer.status} ${r.answer.body.slice(0, 120)}` : String(r.error));
        }
    });
    await Promise.all(sources);
    const lastPostAtMs = performance.now() - start;
    posting = false;
    await Promise.all(readers);
    const abuseResults = await abuse;

    let drainedAtMs: number | undefined;
    let notified = 0;
    while (performance.now() - start < lastPostAtMs + settleMs) {
        notified = mentioned(target.sink.messages().slice(mailsBefore), prefix).size;
        if (notified >= shape.incidents) {
            drainedAtMs = performance.now() - start;
            break;
        }
        await new Promise((r) => setTimeout(r, 200));
    }
    const cpuAfter = { argus: cpuSecondsOf(target.argusProcesses()), database: cpuSecondsOf([target.pg.proc]) };

    const received = () => sockets.map((s) => mentioned(s.messages.filter((m) => m.type === "created").map((m) => JSON.stringify(m.payload)), prefix).size);
    while (received().some((n) => n < shape.incidents) && performance.now() - start < lastPostAtMs + settleMs) await new Promise((r) => setTimeout(r, 200));
    const websocketReceived = received();
    for (const s of sockets) s.close();

    return {
        target: abusers.length > 0 ? `${target.name}, with bad input` : target.name,
        shape,
        postMs,
        readMs,
        lastPostAtMs,
        drainedAtMs,
        argusCpuSeconds: cpuAfter.argus - cpuBefore.argus,
        databaseCpuSeconds: cpuAfter.database - cpuBefore.database,
        failedPosts,
        failedReads,
        stored: await storedIncidents(target, prefix),
        notified,
        websocketReceived,
        abuse: abuseResults,
    };
}
