// One Argus layout deployed for the storm on the Argus suite's harness (realworld/argus): the production render
// with one web Pod, its migration Job, the SMTP sink, a hosted PostgreSQL, and what an operator sets up: a
// notification profile of the admin that takes every incident, and S source systems with their own tokens.
import * as fs from "fs";
import { defaultArgusVersion, newestServerVersion } from "../../../releases/argus";
import { Client, Socket } from "../../argus/client";
import { pythonLayer } from "../../argus/image";
import { ADMIN, deploy, Layout, runMigrationJob, SMTP_SINK, sourceToken, startPod } from "../../argus/layout";
import { Pod } from "../../argus/pod";
import { Postgres, SmtpSink, startPostgres, startSmtpSink } from "../../argus/services";
import { Proc } from "../../shared/process";
import { Variant } from "./variants";

export type LayoutName = "server" | "spa";

/** What the storm drives: where sources post, users read, websocket clients listen, and what it counts. */
export interface StormTarget {
    readonly name: string;
    readonly layout: LayoutName;
    /** One client per source system, each with its own token. */
    readonly sources: readonly Client[];
    /** A logged-in user's client (the admin's token). */
    reader(): Client;
    /** API path of incidents: posts go there, reads list the open ones. */
    readonly incidentsPath: string;
    /** 1.x: a websocket client subscribed to incident events, as the webui is. */
    openSocket(): Promise<Socket>;
    readonly pg: Postgres;
    readonly sink: SmtpSink;
    /** The processes whose CPU counts as Argus's (every container of its Pods). */
    argusProcesses(): Proc[];
    stop(): Promise<void>;
}

const databaseName = (layout: LayoutName) => `storm_${layout}`;

/** Stored storm incidents whose description starts with `prefix`: rows, and distinct descriptions. */
export async function storedIncidents(target: StormTarget, prefix: string): Promise<{ rows: number; distinct: number }> {
    const out = await target.pg.sql(`SELECT count(*), count(DISTINCT description) FROM argus_incident_incident WHERE description LIKE '${prefix}%'`, databaseName(target.layout));
    const [rows, distinct] = out.split("|").map(Number);
    return { rows, distinct };
}

/** Deploys the layout: Argus 2.x at the newest release read (web and worker Pods), or 1.x at the default (the api Pod). */
export async function startTarget(layout: LayoutName, sourceCount: number, variant: Variant): Promise<StormTarget> {
    const version = layout === "server" ? newestServerVersion : defaultArgusVersion;
    const api = layout === "server" ? "v2" : "v1";
    const pods: Pod[] = [];
    const pg = await startPostgres();
    const sink = await startSmtpSink(await pythonLayer(SMTP_SINK));
    const stop = async () => {
        for (const pod of pods) await pod.stop();
        await sink.proc.stop();
        await pg.proc.stop();
    };
    try {
        // Production's profile with apiReplicas 1 (Pulumi.production.yaml): one web Pod. For 2.x, webuiReplicas
        // back at its default, as an operator's `pulumi config rm webuiReplicas` does when moving production to 2.x
        // (a 1.x-only key the program refuses for 2.x: stacks/sections/layout.ts).
        const toServer: Record<string, string> = layout === "server" ? { "argus:webuiReplicas": "1" } : {};
        const tuning = Object.fromEntries(Object.entries(variant.config).map(([k, v]) => [`argus:${k}`, v]));
        const deployed: Layout = await deploy({ stack: "production", version, databaseUrl: await pg.createDatabase(databaseName(layout)), smtpPort: sink.port, extraConfig: { ...toServer, ...tuning }, imageStack: "staging" });
        const migration = await runMigrationJob(deployed);
        if (!migration.ok) throw new Error(`the migration Job of ${version} failed:\n${migration.output.slice(-3000)}`);
        const components = layout === "server" ? ["web", "worker"] : ["api"];
        for (const component of components) pods.push(await startPod(deployed, component, `storm-${component}`));
        // The Pod's nginx in front of gunicorn, which the Service targets, in both layouts.
        const port = pods[0].namedPort();
        const container = layout === "server" ? "web" : "django";
        const client = () => new Client(port, deployed.publicHost);

        const admin = client();
        const login = await admin.post(`/api/${api}/token-auth/`, { username: ADMIN.username, password: deployed.adminPassword });
        if (login.status !== 200) throw new Error(`token-auth of the admin: ${login.status} ${login.body.slice(0, 300)}`);
        admin.token = login.json().token;
        await notifyEveryIncident(admin);

        const sources: Client[] = [];
        for (let i = 1; i <= sourceCount; i++) {
            const source = client();
            source.token = await sourceToken(admin, api, pods[0], container, `storm-source-${i}`);
            sources.push(source);
        }
        return {
            name: `${version} (${layout}), ${variant.name}`,
            layout,
            sources,
            reader: () => Object.assign(client(), { token: admin.token }),
            incidentsPath: `/api/${api}/incidents/`,
            async openSocket() {
                // As the webui's browser after a session login (realworld/argus/spa.test.ts): the session cookie, then subscribe.
                const browser = client();
                const session = await browser.formLogin("/admin/login/", ADMIN.username, deployed.adminPassword);
                if (session.status !== 302) throw new Error(`admin login for a websocket client: ${session.status}`);
                const socket = await Socket.open(port, deployed.publicHost, "/ws/open/", browser.cookieHeader());
                socket.send({ action: "subscribe" });
                await socket.waitFor((m) => m.type === "subscribed", 15000);
                return socket;
            },
            pg,
            sink,
            argusProcesses: () => pods.flatMap((pod) => [...pod.containers.values()]),
            stop,
        };
    } catch (error) {
        await stop();
        throw error;
    }
}

/**
 * The admin's notification profile that takes every incident: a filter of every level (an empty filter takes
 * none: `incident_fits` in src/argus/filter/filterwrapper.py at 2.10.2 and 1.37.0 returns False for it), the
 * first time slot (initial_setup's "Always"), the admin's email destination. Through API v2 in both layouts:
 * 1.37.0 serves it too (src/argus/site/urls.py), and only v2 has destinations.
 */
async function notifyEveryIncident(admin: Client): Promise<void> {
    const base = "/api/v2/notificationprofiles";
    const timeslots = (await admin.get(`${base}/timeslots/`)).json();
    const destinations = (await admin.get(`${base}/destinations/`)).json();
    const email = destinations.find((d: { settings?: { email_address?: string } }) => d.settings?.email_address === ADMIN.email);
    if (!timeslots[0] || !email) throw new Error(`the admin has no time slot or email destination: ${JSON.stringify({ timeslots, destinations }).slice(0, 500)}`);
    const filter = await admin.post(`${base}/filters/`, { name: "every incident", filter: { maxlevel: 5 } });
    if (filter.status !== 201) throw new Error(`filter: ${filter.status} ${filter.body.slice(0, 300)}`);
    const profile = await admin.post(`${base}/`, { name: "storm", timeslot: timeslots[0].pk, filters: [filter.json().pk], destinations: [email.pk], active: true });
    if (profile.status !== 201) throw new Error(`notification profile: ${profile.status} ${profile.body.slice(0, 300)}`);
}

/**
 * CPU seconds (user and system, with reaped children's) of the processes of `procs` and all their descendants:
 * gunicorn's workers, 1.x's mail processes, PostgreSQL's backends (each in a process group and session of its
 * own, as `ps -o pgid,sid` shows for Debian's PostgreSQL 15 here, so a process group would miss them).
 */
export function cpuSecondsOf(procs: readonly Proc[]): number {
    const ticksPerSecond = 100; // USER_HZ on Linux (sysconf(_SC_CLK_TCK)), which /proc/<pid>/stat counts in.
    const processes = new Map<number, { parent: number; ticks: number }>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        let stat: string;
        try {
            stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        } catch {
            continue; // gone meanwhile
        }
        // After the command name in parentheses: state, ppid, ..., utime (14th field), stime, cutime, cstime.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        processes.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    }
    const roots = new Set(procs.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined));
    const isCounted = (pid: number): boolean => {
        for (let p: number | undefined = pid; p !== undefined && p > 1; p = processes.get(p)?.parent) if (roots.has(p)) return true;
        return false;
    };
    let ticks = 0;
    for (const [pid, { ticks: t }] of processes) if (isCounted(pid)) ticks += t;
    return ticks / ticksPerSecond;
}
