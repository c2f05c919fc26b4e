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
        description: "gunicorn worker processes per web Pod (1.x: the django container). 0: twice the container's CPU limit in cores, at least 2 and at most 8, as many as its memory limit holds.",
        example: "2",
        default: 0,
    },
    webThreads: {
        type: "integer",
        description: "Threads per gunicorn worker (gthread): requests one process serves at once while others wait on the database. 0: 4 in 2.x; 1.x takes only 1 (one request per process), since it forks a process for each notification.",
        example: "1",
        default: 0,
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

/** Twice the CPU limit in cores, within the bounds and what the memory limit holds (at least one). */
export function derivedWorkers(web: ResourceSpec): number {
    const byCpu = Math.min(workerBounds.max, Math.max(workerBounds.min, Math.round((2 * web.cpuMillis.limit) / 1000)));
    return Math.max(1, Math.min(byCpu, workersMemoryHolds(web)));
}

/**
 * Threads per worker when the stack sets none. 1.x sends each notification from a process it forks in the
 * request's thread (background_send_notification, src/argus/notificationprofile/media/__init__.py at v1.37.0, on
 * every Event saved: src/argus/incident/apps.py), and a fork of a threaded process may deadlock in the child
 * (Python 3.12's os.fork warns of it; the 1.x image runs 3.12): one storm with 4 threads lost 6 of 500 mails.
 */
export const defaultThreads: Readonly<Record<ArgusLayout, number>> = { spa: 1, server: 4 };

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
    const threads = read.integer("webThreads", { min: 0, max: 32 });
    if (layout === "spa" && threads > 1) {
        read.fail(
            "webThreads",
            `is ${threads}, and Argus 1.x takes one thread per worker: it forks a process for each notification, which a threaded process cannot do safely.`,
            `pulumi config rm --stack ${read.stack} webThreads (and raise webWorkers for more requests at once)`,
        );
    }
    return {
        workers: chosen > 0 ? chosen : derivedWorkers(web),
        threads: threads > 0 ? threads : defaultThreads[layout],
        databaseConnMaxAge: read.integer("databaseConnMaxAge", { min: 0, max: 3600 }),
    };
}
