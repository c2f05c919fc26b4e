import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgusRelease } from "../../releases/argusRelease";
import type { ContainerResources, ResourceSpec, WebCapacity } from "../../stacks/types";
import { argusContainer, ArgusRun, argusTmpVolume, gunicornCommand, gunicornPort, imageProbeCommand, migratedStartupProbe } from "../argus/spec";
import { containerNginxPaths, nginxPort } from "../nginx";
import {
    drainBeforeStop,
    execProbe,
    nginxContainer,
    patientProbe,
    quickProbe,
    readyAndLive,
    WebPort,
} from "../workload/containers";
import { ApiProxyOptions, apiNginxConfig } from "./nginx";
import { RedisPlacement, redisContainer, redisDataVolume, redisPasswordEnv } from "./redis";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

export const apiPorts = { gunicorn: gunicornPort, daphne: 8001, nginx: nginxPort } as const;

/** The only port the Service targets: nginx in front of both app servers. */
export const apiWebPort: WebPort = { name: "http", containerPort: apiPorts.nginx };

export const apiProxyOptions: ApiProxyOptions = {
    listenPort: apiPorts.nginx,
    gunicorn: { host: "127.0.0.1", port: apiPorts.gunicorn },
    daphne: { host: "127.0.0.1", port: apiPorts.daphne },
    clientMaxBodySize: "10m",
};

/** The api nginx.conf as it ships in the ConfigMap. */
export function apiProxyConfig(): string {
    return apiNginxConfig(apiProxyOptions, containerNginxPaths);
}

/** Where the ConfigMap with nginx.conf is mounted in the nginx container. */
export const nginxConfigDir = "/etc/nginx/argus";

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
        nginxContainer({
            name: "nginx",
            image: args.nginxImage,
            port: apiWebPort,
            configDir: nginxConfigDir,
            configVolume: "nginx-config",
            tmpVolume: "nginx-tmp",
            resources: args.resources.nginx,
        }),
        ...(args.redis === "in-pod" ? [redisContainer(args.redisImage, args.resources.redis)] : []),
    ];
}

/** The writable folders the containers get, each an emptyDir, and the nginx config. */
export function apiVolumes(nginxConfigMap: pulumi.Input<string>, redis: RedisPlacement): Volume[] {
    return [
        argusTmpVolume,
        { name: "nginx-tmp", emptyDir: { sizeLimit: "256Mi" } },
        ...(redis === "in-pod" ? [redisDataVolume] : []),
        { name: "nginx-config", configMap: { name: nginxConfigMap } },
    ];
}
