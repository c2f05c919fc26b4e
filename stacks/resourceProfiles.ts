/** Requests and limits of every container: a profile per environment, overridable per container. */

import type { ArgusLayout } from "../releases/argusRelease";
import { Environment } from "./stackName";

/**
 * Every container this program runs. The migration Job is sized like the web server of its layout (django,
 * web), the housekeeping CronJobs like the worker.
 */
export const containerNames = ["django", "websockets", "nginx", "redis", "webui", "web", "worker", "postgres"] as const;
export type ContainerName = (typeof containerNames)[number];

/** The containers of each layout, and the inCluster database's of either; overrides may name only these. */
export const layoutContainers: Readonly<Record<ArgusLayout, readonly ContainerName[]>> = {
    spa: ["django", "websockets", "nginx", "redis", "webui", "postgres"],
    server: ["web", "nginx", "worker", "postgres"],
};

export interface ResourceSpec {
    readonly cpuMillis: { readonly request: number; readonly limit: number };
    readonly memoryMiB: { readonly request: number; readonly limit: number };
}

export type ContainerResources = Readonly<Record<ContainerName, ResourceSpec>>;

export const resourceProfileNames = ["small", "medium", "large"] as const;
export type ResourceProfile = (typeof resourceProfileNames)[number];

function spec(cpu: [number, number], memory: [number, number]): ResourceSpec {
    return { cpuMillis: { request: cpu[0], limit: cpu[1] }, memoryMiB: { request: memory[0], limit: memory[1] } };
}

/** Sizes per profile: review apps are small, staging medium, production large. */
export const resourceProfiles: Readonly<Record<ResourceProfile, ContainerResources>> = {
    small: {
        django: spec([50, 500], [192, 384]),
        websockets: spec([20, 250], [96, 256]),
        nginx: spec([10, 100], [16, 64]),
        redis: spec([10, 100], [16, 64]),
        webui: spec([10, 100], [16, 64]),
        web: spec([50, 500], [192, 384]),
        // Its liveness check starts a second Django process (django-admin migrate --check).
        worker: spec([20, 250], [192, 384]),
        postgres: spec([50, 500], [128, 256]),
    },
    medium: {
        django: spec([100, 1000], [256, 512]),
        websockets: spec([50, 500], [128, 384]),
        nginx: spec([20, 200], [32, 64]),
        redis: spec([20, 200], [32, 128]),
        webui: spec([20, 200], [32, 64]),
        web: spec([100, 1000], [256, 512]),
        worker: spec([50, 500], [256, 512]),
        postgres: spec([100, 1000], [256, 512]),
    },
    large: {
        django: spec([250, 2000], [512, 1024]),
        websockets: spec([100, 1000], [256, 512]),
        nginx: spec([50, 500], [64, 128]),
        redis: spec([50, 500], [64, 256]),
        webui: spec([50, 500], [32, 128]),
        web: spec([250, 2000], [512, 1024]),
        worker: spec([100, 1000], [384, 768]),
        postgres: spec([250, 2000], [512, 1024]),
    },
};

export const defaultProfile: Readonly<Record<Environment, ResourceProfile>> = {
    review: "small",
    staging: "medium",
    production: "large",
};

/**
 * The least limit each container starts with: a Django process (django, websockets, web, worker) needs a
 * few hundred MiB and a tenth of a core to import its settings in time for its probes; nginx and redis
 * little. Below these a Pod is OOM-killed or throttled past its probes at every start.
 */
export const resourceFloor: Readonly<Record<ContainerName, { readonly cpuMillis: number; readonly memoryMiB: number }>> = {
    django: { cpuMillis: 100, memoryMiB: 192 },
    websockets: { cpuMillis: 100, memoryMiB: 128 },
    web: { cpuMillis: 100, memoryMiB: 192 },
    worker: { cpuMillis: 100, memoryMiB: 192 },
    nginx: { cpuMillis: 10, memoryMiB: 16 },
    redis: { cpuMillis: 10, memoryMiB: 16 },
    webui: { cpuMillis: 10, memoryMiB: 16 },
    // PostgreSQL's shared buffers default to 128 MB.
    postgres: { cpuMillis: 50, memoryMiB: 128 },
};

/** What one container may ask for at most; anything above is a typo, not a plan. */
export const resourceCeiling = { cpuMillis: 8000, memoryMiB: 16384 } as const;

/** `250m` or `0.5` or `2` cores, in millicores; undefined when it is not a CPU quantity. */
export function parseCpu(text: string): number | undefined {
    const millis = /^(\d+)m$/.exec(text);
    if (millis) {
        return Number(millis[1]);
    }
    return /^\d+(\.\d{1,3})?$/.test(text) ? Math.round(Number(text) * 1000) : undefined;
}

/** `512Mi` or `1Gi`, in mebibytes; undefined when it is not a memory quantity in those units. */
export function parseMemory(text: string): number | undefined {
    const match = /^(\d+)(Mi|Gi)$/.exec(text);
    return match ? Number(match[1]) * (match[2] === "Gi" ? 1024 : 1) : undefined;
}

export const overrideSyntax = "<container>.<cpu|memory>=<request>/<limit>, comma-separated, e.g. django.cpu=250m/2,django.memory=512Mi/1Gi";

/**
 * Applies overrides like `django.cpu=250m/2,redis.memory=64Mi/256Mi` to a profile. Returns the result and
 * one message per part that is wrong.
 */
export function applyResourceOverrides(
    base: ContainerResources,
    overrides: string,
    containers: readonly ContainerName[] = containerNames,
): { resources: ContainerResources; problems: string[] } {
    const resources: Record<ContainerName, ResourceSpec> = { ...base };
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const part of overrides.split(",").map((p) => p.trim()).filter(Boolean)) {
        const match = /^(\w+)\.(cpu|memory)=([^/]+)\/(.+)$/.exec(part);
        if (!match) {
            problems.push(`"${part}" is not of the form ${overrideSyntax}.`);
            continue;
        }
        const [, container, resource, requestText, limitText] = match;
        if (!(containers as readonly string[]).includes(container)) {
            problems.push(`"${part}" names no container of this layout; its containers are ${containers.join(", ")}.`);
            continue;
        }
        if (seen.has(`${container}.${resource}`)) {
            problems.push(`"${part}" sets ${container}.${resource} a second time; keep one.`);
            continue;
        }
        seen.add(`${container}.${resource}`);
        const parse = resource === "cpu" ? parseCpu : parseMemory;
        const floor = resourceFloor[container as ContainerName][resource === "cpu" ? "cpuMillis" : "memoryMiB"];
        const [request, limit] = [parse(requestText), parse(limitText)];
        const ceiling = resource === "cpu" ? resourceCeiling.cpuMillis : resourceCeiling.memoryMiB;
        const unit = resource === "cpu" ? "250m or 0.5" : "512Mi or 1Gi";
        if (request === undefined || limit === undefined) {
            problems.push(`"${part}" has a quantity that is not like ${unit}.`);
        } else if (request <= 0 || request > limit) {
            problems.push(`"${part}" needs 0 < request <= limit.`);
        } else if (limit > ceiling) {
            problems.push(`"${part}" asks for more than one container may have (${resource === "cpu" ? "8 cores" : "16Gi"}).`);
        } else if (limit < floor) {
            problems.push(`"${part}" gives ${container} a limit below the ${resource === "cpu" ? `${floor}m` : `${floor}Mi`} it needs to start.`);
        } else {
            const key = resource === "cpu" ? "cpuMillis" : "memoryMiB";
            resources[container as ContainerName] = { ...resources[container as ContainerName], [key]: { request, limit } };
        }
    }
    return { resources, problems };
}
