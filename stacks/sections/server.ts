/** What only the 2.x layout runs: the task worker and the housekeeping CronJobs. */
import { ConfigReader } from "../configReader";
import { cronScheduleProblem } from "../cron";
import { ConfigKeySpec } from "../keySpec";
import { argusRelease } from "../../releases/argus";
import type { ArgusLayout } from "../../releases/argusRelease";

export const serverKeys = {
    workerReplicas: {
        type: "integer",
        description: "2.x: number of task worker Pods (django-tasks db_worker), which send the notifications.",
        example: "2",
        default: 1,
    },
    pruneSchedule: {
        type: "string",
        description: "2.x: cron schedule (UTC) of the job that removes old task results (prune_db_task_results).",
        example: "30 2 * * *",
        default: "17 3 * * *",
    },
    pruneMinAgeDays: {
        type: "integer",
        description: "2.x: days a finished task result is kept before the prune job removes it.",
        example: "30",
        default: 14,
    },
    versionCheck: {
        type: "boolean",
        description: "2.x: look up the newest Argus release daily (check_version), which lets the Pods reach the Internet on port 443.",
        example: "true",
        default: false,
    },
    heartbeatSchedule: {
        type: "string",
        description: "2.x from 2.10: cron schedule (UTC) of sync_heartbeat_incidents, which opens an incident for a source whose heartbeats stopped and closes it when they come back. Upstream: no less often than the smallest heartbeat frequency.",
        example: "* * * * *",
        default: "*/5 * * * *",
    },
    tokenExpiryCheck: {
        type: "boolean",
        description: "2.x: run check_token_expiry on tokenExpirySchedule, which opens an incident for each source system whose API token expires within tokenExpiryDays (and closes it once the token is renewed).",
        example: "false",
        default: true,
    },
    tokenExpirySchedule: {
        type: "string",
        description: "2.x: cron schedule (UTC) of check_token_expiry.",
        example: "0 7 * * 1-5",
        default: "23 6 * * *",
    },
    tokenExpiryDays: {
        type: "integer",
        description: "2.x: days before a source system's token expires that check_token_expiry opens its incident (--days; upstream's default is 7). Tokens live authTokenExpiresAfterDays.",
        example: "14",
        default: 7,
    },
} satisfies Record<string, ConfigKeySpec>;

export type ServerKey = keyof typeof serverKeys;

export interface ServerConfig {
    readonly workerReplicas: number;
    readonly prune: { readonly schedule: string; readonly minAgeDays: number };
    readonly versionCheck: boolean;
    /** When sync_heartbeat_incidents runs (releases that have it). */
    readonly heartbeatSchedule: string;
    /** check_token_expiry's schedule and warning days; undefined when switched off. */
    readonly tokenExpiry?: { readonly schedule: string; readonly days: number };
}

export function readServer(read: ConfigReader<ServerKey>, layout: ArgusLayout, argusVersion: string): ServerConfig {
    const server: ServerConfig = {
        workerReplicas: read.integer("workerReplicas", { min: 1, max: 20 }),
        prune: { schedule: readSchedule(read, "pruneSchedule"), minAgeDays: read.integer("pruneMinAgeDays", { min: 1, max: 3650 }) },
        versionCheck: read.boolean("versionCheck"),
        heartbeatSchedule: readSchedule(read, "heartbeatSchedule"),
        ...readTokenExpiry(read),
    };
    if (layout === "server" && read.isChosen("heartbeatSchedule") && !argusRelease(argusVersion).heartbeats) {
        read.fail("heartbeatSchedule", `applies to Argus 2.10.0 and later, which sync heartbeats; this stack deploys ${argusVersion}.`, `pulumi config rm --stack ${read.stack} heartbeatSchedule`);
    }
    return server;
}

/** check_token_expiry's CronJob, unless switched off; its other keys are refused then rather than ignored. */
function readTokenExpiry(read: ConfigReader<ServerKey>): Pick<ServerConfig, "tokenExpiry"> {
    const schedule = readSchedule(read, "tokenExpirySchedule");
    const days = read.integer("tokenExpiryDays", { min: 1, max: 365 });
    if (read.boolean("tokenExpiryCheck")) {
        return { tokenExpiry: { schedule, days } };
    }
    for (const key of (["tokenExpirySchedule", "tokenExpiryDays"] as const).filter((k) => read.isChosen(k))) {
        read.fail(key, "has no effect: tokenExpiryCheck is false, so check_token_expiry never runs.", `pulumi config rm --stack ${read.stack} ${key}`);
    }
    return {};
}

/** A CronJob schedule the API server takes (stacks/cron.ts). */
function readSchedule(read: ConfigReader<ServerKey>, key: ServerKey): string {
    const schedule = read.string(key).trim().replace(/\s+/g, " ");
    const problem = cronScheduleProblem(schedule);
    if (problem) {
        read.fail(key, `"${schedule}" is not a schedule a CronJob takes: it ${problem}. Give five fields like "17 3 * * *" (UTC).`, read.setCommand(key));
    }
    return schedule;
}
