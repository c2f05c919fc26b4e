// Bad input during a storm (issue #34): a source posting 1 MB descriptions, a flood of requests with tokens
// Argus never issued, and slow clients that send their request a byte a second. Each runs beside the storm's
// sources and readers; what each got is reported, and the storm beside them is judged as any other.
import * as net from "net";
import { randomBytes } from "crypto";
import { Client } from "../../argus/client";
import { AbuseResult, percentile } from "./report";

/** Answers by status, as "401 ×812, 0 ×3" (0: no answer), sorted by status. */
export function statusCounts(statuses: readonly number[]): string {
    const counts = new Map<number, number>();
    for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s} ×${n}`).join(", ") || "none";
}

export interface Abuser {
    /** Runs until `running()` is false; then says what it got. */
    run(running: () => boolean): Promise<AbuseResult>;
}

/** Requests one after another while `running()` (and fewer than `limit`): each status (0: no answer) and time. */
async function requestLoop(running: () => boolean, request: () => Promise<number>, limit = Infinity): Promise<{ statuses: number[]; times: number[] }> {
    const statuses: number[] = [];
    const times: number[] = [];
    while (running() && statuses.length < limit) {
        const started = performance.now();
        statuses.push(await request().catch(() => 0));
        times.push(performance.now() - started);
    }
    return { statuses, times };
}

/** A source with a valid token posting incidents whose description is 1 MB (1,000,000 characters), one after another. */
export function oversizedPosts(source: Client, incidentsPath: string, count: number): Abuser {
    const description = "x".repeat(1_000_000);
    return {
        async run(running) {
            const post = async () => (await source.post(incidentsPath, { start_time: new Date().toISOString(), end_time: "infinity", description, level: 5, tags: [] })).status;
            const { statuses, times } = await requestLoop(running, post, count);
            return { name: `${count} posts with a 1 MB description (a valid source token)`, got: statusCounts(statuses), medianMs: percentile(times, 50) };
        },
    };
}

/** `clients` loops posting an incident with a token of their own making, as fast as they are answered. */
export function invalidTokens(port: number, host: string, incidentsPath: string, clients: number): Abuser {
    return {
        async run(running) {
            const loops = await Promise.all(
                Array.from({ length: clients }, () => {
                    const client = new Client(port, host);
                    return requestLoop(running, async () => {
                        client.token = randomBytes(20).toString("hex");
                        return (await client.post(incidentsPath, { description: "flood" })).status;
                    });
                }),
            );
            return { name: `${clients} clients posting with tokens never issued`, got: statusCounts(loops.flatMap((l) => l.statuses)), medianMs: percentile(loops.flatMap((l) => l.times), 50) };
        },
    };
}

/**
 * `clients` connections that send a request's headers a byte a second and never finish, as a slowloris attack
 * does; each ends when the server closes it, or at the end of the storm.
 */
export function slowClients(port: number, host: string, clients: number): Abuser {
    return {
        async run(running) {
            const request = Buffer.from(`GET /api/ HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-Proto: https\r\nX-Padding: ${"a".repeat(4096)}\r\n\r\n`);
            const ends = await Promise.all(
                Array.from(
                    { length: clients },
                    () =>
                        new Promise<{ how: string; ms: number }>((resolve) => {
                            const started = performance.now();
                            const socket = net.connect(port, "127.0.0.1");
                            let sent = 0;
                            let answer = "";
                            const finish = (how: string) => {
                                clearInterval(timer);
                                socket.destroy();
                                resolve({ how, ms: performance.now() - started });
                            };
                            const timer = setInterval(() => {
                                if (!running()) return finish("still open at the storm's end");
                                if (sent < request.length) socket.write(request.subarray(sent, ++sent));
                            }, 1000);
                            socket.on("data", (d) => (answer += d.toString("latin1")));
                            socket.on("close", () => finish(answer ? `answered ${/^HTTP\/1\.\d (\d+)/.exec(answer)?.[1] ?? "?"}` : "closed by the server"));
                            socket.on("error", () => finish("reset by the server"));
                        }),
                ),
            );
            const counts = new Map<string, number>();
            for (const e of ends) counts.set(e.how, (counts.get(e.how) ?? 0) + 1);
            return { name: `${clients} slow clients (a byte a second)`, got: [...counts].map(([how, n]) => `${how} ×${n}`).join(", "), medianMs: percentile(ends.map((e) => e.ms), 50) };
        },
    };
}
