/** What the run's summary line counts (printed by hooks.ts after the run; the README quotes it). */
export const stats = { containers: 0, probes: 0, requests: 0, websocketEvents: 0, mails: 0, migrations: 0, cronJobs: 0 };
const startedAt = Date.now();

export function summaryLine(): string {
    const s = stats;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    return (
        `argus real-world summary: ${s.containers} containers started, ${s.probes} probes passed, ${s.requests} requests, ` +
        `${s.websocketEvents} websocket events, ${s.mails} mails, ${s.migrations} migration Jobs, ${s.cronJobs} CronJob runs; ${seconds} s`
    );
}
