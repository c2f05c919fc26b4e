/**
 * How much the Argus web server takes at once: gunicorn's processes and threads, derived from its container's
 * limits unless set, and how long each keeps its database connection. Measured by `npm run bench:argus`
 * (README, "Outage storm"); the reasons for each default are there.
 */
import type { ArgusLayout } from "../../releases/argusRelease";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import type { ContainerResources, ResourceSpec } from "../resourceProfiles";

export const capacityKeys = {
    webWorkers: {
        type: "integer",
        description: "gunicorn worker processes per web Pod (1.x: the django container). 0: 3 per core of the container's CPU limit in 2.x, 2 in 1.x, at least 2 and at most 8, and no more than its memory limit holds.",
        example: "2",
        default: 0,
    },
    webThreads: {
        type: "integer",
        description: "Threads per gunicorn worker: 1 runs the sync worker, one request per process; more run gthread, which serves more posts at once but makes long requests (the incident list) wait far longer in a storm (README, \"Outage storm\"). 2.x only: 1.x forks a process for each notification.",
        example: "1",
        default: 1,
    },
    databaseConnMaxAge: {
        type: "integer",
        description: "Seconds a process keeps its database connection for the next request (Django CONN_MAX_AGE, checked before reuse with CONN_HEALTH_CHECKS). 0: a new connection for every request.",
        example: "300",
        default: 60,
    },
} satisfies Record<string, ConfigKeySpec>;

export type CapacityKey = keyof typeof capacityKeys;

export interface WebCapacity {
    readonly workers: number;
    readonly threads: number;
    /** Seconds; 0 closes the connection after each request. */
    readonly databaseConnMaxAge: number;
}

/** Bounds of the worker count: two so one restarting worker never leaves the Pod without one. */
export const workerBounds = { min: 2, max: 8 } as const;

/**
 * Memory one gunicorn worker of Argus keeps, and the master besides, in MiB: their anonymous memory (what a
 * container's memory limit counts and cannot reclaim; /proc/<pid>/smaps_rollup) while serving a storm, Argus
 * 2.10.2 with 4 threads per worker: 143 and 13 MiB (2026-12-07), rounded up.
 */
export const workerMemoryMiB = 150;
export const masterMemoryMiB = 32;

/** The most workers the container's memory limit holds. */
export function workersMemoryHolds(web: ResourceSpec): number {
    return Math.floor((web.memoryMiB.limit - masterMemoryMiB) / workerMemoryMiB);
}

/**
 * Workers per core of the CPU limit when the stack sets none, measured by `npm run bench:argus` on 2 cores
 * (README, "Outage storm", 2026-12-07): 2.x took 31 to 33 incidents a second with 4 sync workers and 33 to 38 with
 * 6, whose posts waited as little as with any setting tried and whose lists about half as long as with 4 threads a
 * worker (which took 38 to 43 by serving half the lists); 1.x, which spends twice the CPU a request, took as many
 * with 3 as with 4.
 */
export const workersPerCore: Readonly<Record<ArgusLayout, number>> = { spa: 2, server: 3 };

/** workersPerCore of the CPU limit in cores, within the bounds and what the memory limit holds (at least one). */
export function derivedWorkers(web: ResourceSpec, layout: ArgusLayout): number {
    const byCpu = Math.min(workerBounds.max, Math.max(workerBounds.min, Math.round((workersPerCore[layout] * web.cpuMillis.limit) / 1000)));
    return Math.max(1, Math.min(byCpu, workersMemoryHolds(web)));
}

/** The container that runs gunicorn in each layout. */
export const webContainer: Readonly<Record<ArgusLayout, "django" | "web">> = { spa: "django", server: "web" };

export function readCapacity(read: ConfigReader<CapacityKey>, resources: ContainerResources, layout: ArgusLayout): WebCapacity {
    const web = resources[webContainer[layout]];
    const chosen = read.integer("webWorkers", { min: 0, max: 16 });
    const holds = workersMemoryHolds(web);
    if (chosen > 0 && chosen > holds) {
        read.fail(
            "webWorkers",
            `${chosen} workers need about ${masterMemoryMiB + chosen * workerMemoryMiB}Mi, and the ${webContainer[layout]} container's memory limit of ${web.memoryMiB.limit}Mi holds ${holds}.`,
            `set fewer (${read.setCommand("webWorkers", String(Math.max(1, holds)))}), or raise the limit with resourceOverrides (${webContainer[layout]}.memory=...).`,
        );
    }
    const threads = read.integer("webThreads", { min: 1, max: 32 });
    // 1.x sends each notification from a process it forks in the request's thread (background_send_notification,
    // src/argus/notificationprofile/media/__init__.py at v1.37.0, on every Event saved: src/argus/incident/apps.py),
    // and a fork of a threaded process may deadlock in the child (Python 3.12's os.fork warns of it; the 1.x image
    // runs 3.12): one storm with 4 threads lost 6 of 500 mails.
    if (layout === "spa" && threads > 1) {
        read.fail(
            "webThreads",
            `is ${threads}, and Argus 1.x takes one thread per worker: it forks a process for each notification, which a threaded process cannot do safely.`,
            `pulumi config rm --stack ${read.stack} webThreads (and raise webWorkers for more requests at once)`,
        );
    }
    return {
        workers: chosen > 0 ? chosen : derivedWorkers(web, layout),
        threads,
        databaseConnMaxAge: read.integer("databaseConnMaxAge", { min: 0, max: 3600 }),
    };
}
