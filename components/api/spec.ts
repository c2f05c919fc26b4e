import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgusRelease } from "../../releases/argusRelease";
import type { ContainerResources, ResourceSpec, WebCapacity } from "../../stacks/types";
import { argusContainer, ArgusRun, argusTmpVolume, gunicornCommand, gunicornPort, imageProbeCommand, migratedStartupProbe } from "../argus/spec";
import { appProxyConfig, appProxyContainer, appProxyVolumes, podProxyOptions } from "../appProxy";
import { containerNginxPaths } from "../nginx";
import { drainBeforeStop, execProbe, patientProbe, quickProbe, readyAndLive } from "../workload/containers";
import { RedisPlacement, redisContainer, redisDataVolume, redisPasswordEnv } from "./redis";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

export const apiPorts = { gunicorn: gunicornPort, daphne: 8001 } as const;

/** The api nginx.conf as it ships in the ConfigMap: `/ws` to daphne, the rest to gunicorn. */
export function apiProxyConfig(): string {
    return appProxyConfig(podProxyOptions(apiPorts.daphne), containerNginxPaths);
}

/** What the 1.x api Pod runs: the Argus image twice (gunicorn, daphne), nginx in front, and redis. */
export interface ApiPodArgs {
    readonly run: ArgusRun;
    readonly nginxImage: string;
    readonly redisImage: string;
    readonly redis: RedisPlacement;
    readonly nginxConfigMap: pulumi.Input<string>;
    /** The shared redis' password Secret; none for the redis in the Pod, on loopback. */
    readonly redisPasswordSecret?: pulumi.Input<string>;
    /** Public api host: Django only answers requests for hosts it knows, probes included. */
    readonly host: string;
    readonly resources: ContainerResources;
    readonly capacity: WebCapacity;
}

/** daphne serving the release's ASGI app, the websockets under /ws, behind the Pod's nginx. */
function daphneCommand(release: ArgusRelease): string[] {
    if (!release.asgiApplication) {
        throw new Error(`Argus ${release.version} has no ASGI app: the 1.x api Pod cannot run it.`);
    }
    return ["daphne", "--bind", "127.0.0.1", "--port", String(apiPorts.daphne), "--proxy-headers", release.asgiApplication];
}

/** The containers of the api Pod: django, websockets, nginx, and redis unless it is shared. */
export function apiContainers(args: ApiPodArgs): Container[] {
    const release = args.run.release;
    // The Argus containers reach a shared redis with its password (our settings module puts it into CHANNEL_LAYERS).
    const argus = (name: string, command: string[], resources: ResourceSpec): Container => {
        const container = argusContainer(name, command, args.run, resources);
        const redisPassword = args.redisPasswordSecret ? [redisPasswordEnv(args.redisPasswordSecret)] : [];
        return { ...container, env: [...((container.env as k8s.types.input.core.v1.EnvVar[]) ?? []), ...redisPassword] };
    };
    // Django answers only the hosts it knows: the probe names the api host.
    const djangoProbe = imageProbeCommand("http", apiPorts.gunicorn, release.probePath, args.host);
    return [
        {
            // On 127.0.0.1 only, behind nginx in the same Pod, the one peer it trusts with X-Forwarded-*;
            // only nginx listens on the Pod IP, so the probes run inside the container.
            ...argus("django", gunicornCommand(release, { address: "127.0.0.1", trustedProxies: "127.0.0.1" }, args.capacity), args.resources.django),
            ...readyAndLive(execProbe(djangoProbe, patientProbe)),
            startupProbe: migratedStartupProbe,
            lifecycle: drainBeforeStop,
        },
        {
            ...argus("websockets", daphneCommand(release), args.resources.websockets),
            ...readyAndLive(execProbe(imageProbeCommand("tcp", apiPorts.daphne), quickProbe)),
            startupProbe: migratedStartupProbe,
            lifecycle: drainBeforeStop,
        },
        appProxyContainer(args.nginxImage, args.resources.nginx),
        ...(args.redis === "in-pod" ? [redisContainer(args.redisImage, args.resources.redis)] : []),
    ];
}

/** The writable folders the containers get, each an emptyDir, and the nginx config. */
export function apiVolumes(nginxConfigMap: pulumi.Input<string>, redis: RedisPlacement): Volume[] {
    const proxy = appProxyVolumes(nginxConfigMap);
    return [argusTmpVolume, proxy.scratch, ...(redis === "in-pod" ? [redisDataVolume] : []), proxy.config];
}
