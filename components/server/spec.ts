/** The pure specs of the Argus 2.x layout: the web server, the task worker and the housekeeping jobs. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgusRelease, PeriodicCommand } from "../../releases/argusRelease";
import type { ContainerResources, ResourceSpec, ServerConfig, WebCapacity } from "../../stacks/types";
import { appProxyConfig, appProxyContainer, appProxyVolumes, podProxyOptions } from "../appProxy";
import { argusContainer, ArgusRun, argusTmpVolume, gunicornCommand, gunicornPort, imageProbeCommand, migratedCheck, migratedStartupProbe } from "../argus/spec";
import { containerNginxPaths } from "../nginx";
import { drainBeforeStop, execProbe, patientProbe, ProbeTiming, readyAndLive } from "../workload/containers";
import { PodSpec } from "../workload/spec";

/** What the 2.x web Pod runs: the Argus image under gunicorn, and nginx in front (components/appProxy.ts says why). */
export interface WebPodArgs {
    readonly run: ArgusRun;
    /** Public host: Django only answers requests for hosts it knows, probes included. */
    readonly host: string;
    readonly resources: ContainerResources;
    readonly capacity: WebCapacity;
    readonly nginxImage: string;
    /** The ConfigMap holding serverProxyConfig() as nginx.conf. */
    readonly nginxConfigMap: pulumi.Input<string>;
}

/** The web Pod's nginx.conf as it ships in the ConfigMap: everything to gunicorn (2.x has no websockets). */
export function serverProxyConfig(): string {
    return appProxyConfig(podProxyOptions(), containerNginxPaths);
}

/** The container that runs gunicorn in the web Pod; the autoscaler follows its CPU use. */
export const webContainerName = "web";

/**
 * The web server (UI, API v2, static files through whitenoise) behind the Pod's nginx: gunicorn on 127.0.0.1,
 * trusting X-Forwarded-* from that nginx only, which passes on what the ingress controller set. Only nginx listens
 * on the Pod IP, so gunicorn's probes run inside its container, naming the public host.
 */
export function webPod(args: WebPodArgs): PodSpec {
    const { run, host, resources, capacity } = args;
    const djangoProbe = imageProbeCommand("http", gunicornPort, run.release.probePath, host);
    const proxy = appProxyVolumes(args.nginxConfigMap);
    return {
        containers: [
            {
                ...argusContainer(webContainerName, gunicornCommand(run.release, { address: "127.0.0.1", trustedProxies: "127.0.0.1" }, capacity), run, resources.web),
                ...readyAndLive(execProbe(djangoProbe, patientProbe)),
                startupProbe: migratedStartupProbe,
                lifecycle: drainBeforeStop,
            },
            appProxyContainer(args.nginxImage, resources.nginx),
        ],
        volumes: [argusTmpVolume, proxy.scratch, proxy.config],
    };
}

/** Seconds a due task may wait before the workers count as stuck: longer than a burst of notifications takes. */
export const stuckTaskSeconds = 600;

/**
 * The worker has no port. Ready: its environment reaches the database and finds its image's schema. Alive: no
 * due task has waited longer than stuckTaskSeconds (image/argus_site/probe.py `tasks`), which a stopped or hung
 * worker soon breaks. Each starts a second Django process, so they run rarely and may take their time. A hung
 * worker beside a healthy one is not found: the healthy one keeps the queue moving.
 */
const workerCheckTiming: ProbeTiming = { initialDelaySeconds: 60, periodSeconds: 120, timeoutSeconds: 60, failureThreshold: 3 };

/**
 * The task worker's Pod. It starts only on a migrated schema: the Deployment waits for the migration Job,
 * and its init container exits non-zero until the migrations ran, as upstream gates its worker on
 * `migrate --check` (argus-docker docker-compose.yml); db_worker crashes on a schema without its tables.
 */
export function workerPod(run: ArgusRun, resources: ResourceSpec): PodSpec {
    const worker = run.release.taskQueue?.worker;
    if (!worker) {
        throw new Error(`Argus ${run.release.version} has no task queue: the 2.x layout cannot run it.`);
    }
    return {
        initContainers: [argusContainer("wait-for-migrations", migratedCheck, run, resources)],
        containers: [
            {
                ...argusContainer("worker", worker, run, resources),
                readinessProbe: execProbe([...migratedCheck], workerCheckTiming),
                livenessProbe: execProbe(imageProbeCommand("tasks", stuckTaskSeconds), workerCheckTiming),
            },
        ],
        volumes: [argusTmpVolume],
    };
}

/** A housekeeping command and when it runs; the version check gets its own label, as it alone reaches out. */
export interface Housekeeping extends PeriodicCommand {
    readonly component: "housekeeping" | "version-check";
}

/** What runs on a schedule: the release's periodic commands, pruning old task results and, if on, the version check. */
export function housekeeping(release: ArgusRelease, server: ServerConfig): Housekeeping[] {
    if (!release.taskQueue) {
        throw new Error(`Argus ${release.version} has no task queue: the 2.x layout cannot run it.`);
    }
    const prune = [...release.taskQueue.prune, "--min-age-days", String(server.prune.minAgeDays)];
    return [
        { name: "prune-tasks", schedule: server.prune.schedule, command: prune, component: "housekeeping" },
        ...release.periodic.map((p) => ({ ...p, component: "housekeeping" as const })),
        ...(release.heartbeats ? [{ name: "heartbeats", schedule: server.heartbeatSchedule, command: release.heartbeats, component: "housekeeping" as const }] : []),
        ...tokenExpiryCheck(release, server),
        // src/argus/dev/management/commands/check_version.py at v2.9.1 (src/argus/versioncheck/... in the 2.10.2 sdist,
        // with the same --save): looks up the newest release on ARGUS_PYPI_URL and saves it.
        ...(server.versionCheck ? [{ name: "version-check", schedule: "41 4 * * *", command: ["django-admin", "check_version", "--save"], component: "version-check" as const }] : []),
    ];
}

/** check_token_expiry on the stack's schedule, with its warning days, where the release has it and the stack wants it. */
function tokenExpiryCheck(release: ArgusRelease, server: ServerConfig): Housekeeping[] {
    if (!release.tokenExpiry || !server.tokenExpiry) {
        return [];
    }
    const command = [...release.tokenExpiry.command, release.tokenExpiry.daysOption, String(server.tokenExpiry.days)];
    return [{ name: "token-expiry", schedule: server.tokenExpiry.schedule, command, component: "housekeeping" }];
}

/** Seconds one housekeeping run may take. */
const housekeepingDeadlineSeconds = 1800;

/**
 * A CronJob that never overlaps itself, gives up a run it missed by more than five minutes, and keeps
 * little history. `pod` is the hardened Pod template spec of the run.
 */
export function cronJobSpec(schedule: string, labels: Record<string, string>, pod: PodSpec): k8s.types.input.batch.v1.CronJobSpec {
    return {
        schedule,
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
            metadata: { labels },
            spec: {
                backoffLimit: 1,
                activeDeadlineSeconds: housekeepingDeadlineSeconds,
                template: { metadata: { labels }, spec: pod },
            },
        },
    };
}

/** The Pod of one housekeeping run. */
export function housekeepingPod(run: ArgusRun, command: readonly string[], resources: ResourceSpec): PodSpec {
    return { restartPolicy: "Never", containers: [argusContainer("run", command, run, resources)], volumes: [argusTmpVolume] };
}
