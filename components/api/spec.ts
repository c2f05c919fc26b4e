import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgusRelease } from "../../releases/argus";
import { ContainerResources } from "../../stacks";
import { containerNginxPaths, nginxPort } from "../nginx";
import {
    drainBeforeStop,
    httpProbe,
    nginxContainer,
    patientProbe,
    quickProbe,
    readyAndLive,
    resourceRequirements,
    restrictedSecurityContext,
    tcpProbe,
    uids,
} from "../workload/containers";
import { WebPort } from "../workload/spec";
import { ApiProxyOptions, apiNginxConfig } from "./nginx";
import { RedisPlacement, redisContainer, redisDataVolume } from "./redis";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;
type EnvVar = k8s.types.input.core.v1.EnvVar;

export const apiPorts = { gunicorn: 8000, daphne: 8001, nginx: nginxPort } as const;

/** The only port the Service targets: nginx in front of both app servers. */
export const apiWebPort: WebPort = { name: "http", containerPort: apiPorts.nginx };

export const apiProxyOptions: ApiProxyOptions = {
    listenPort: apiPorts.nginx,
    gunicorn: { host: "127.0.0.1", port: apiPorts.gunicorn },
    daphne: { host: "127.0.0.1", port: apiPorts.daphne },
    clientMaxBodySize: "10m",
    websocketTimeoutSeconds: 3600,
};

/** The api nginx.conf as it ships in the ConfigMap. */
export function apiProxyConfig(): string {
    return apiNginxConfig(apiProxyOptions, containerNginxPaths);
}

/** Where the ConfigMap with nginx.conf is mounted in the nginx container. */
export const nginxConfigDir = "/etc/nginx/argus";

/** Python base images by minor version, pinned to a patch release; the contract says which minor a release runs on. */
export const pythonImages: Readonly<Record<string, string>> = {
    "3.12": "docker.io/library/python:3.12.8-slim-bookworm",
};

/** Build arguments of the api image (components/api/image/Dockerfile), from the release contract. */
export function apiImageBuildArgs(release: ArgusRelease, extraPythonPackages: readonly string[]): Record<string, string> {
    const pythonImage = pythonImages[release.python];
    if (!pythonImage) {
        throw new Error(`No Python ${release.python} base image is pinned for Argus ${release.version}; add one to pythonImages.`);
    }
    return {
        PYTHON_IMAGE: pythonImage,
        ARGUS_REQUIREMENT: release.pipRequirement,
        ARGUS_UPSTREAM_SETTINGS: release.settingsModule,
        EXTRA_PACKAGES: extraPythonPackages.join(" "),
    };
}

/** Gunicorn worker processes per Pod; replicas add more. */
const gunicornWorkers = 3;

/** What each Argus container runs, from the release contract. The image's entrypoint (tini) runs it. */
export function argusCommands(release: ArgusRelease): Record<"web" | "websockets" | "migrate", string[]> {
    return {
        web: [
            "gunicorn",
            "--bind", `0.0.0.0:${apiPorts.gunicorn}`,
            "--workers", String(gunicornWorkers),
            // The root filesystem is read-only; workers' heartbeat files go to the /tmp emptyDir.
            "--worker-tmp-dir", "/tmp",
            // nginx in the same Pod sets X-Forwarded-*; trust nobody else.
            "--forwarded-allow-ips", "127.0.0.1",
            "--access-logfile", "-",
            release.wsgiApplication,
        ],
        websockets: ["daphne", "--bind", "0.0.0.0", "--port", String(apiPorts.daphne), "--proxy-headers", release.asgiApplication],
        migrate: ["django-admin", "migrate", "--noinput"],
    };
}

export interface ApiPodArgs {
    /** The pushed api image, by digest. */
    readonly image: pulumi.Input<string>;
    readonly release: ArgusRelease;
    readonly nginxImage: string;
    readonly redisImage: string;
    readonly redis: RedisPlacement;
    readonly settingsConfigMap: pulumi.Input<string>;
    readonly nginxConfigMap: pulumi.Input<string>;
    readonly secretName: pulumi.Input<string>;
    /** The Secret keys the containers read, each as the variable of the same name. */
    readonly secretEnv: readonly string[];
    /** Public api host: Django only answers requests for hosts it knows, probes included. */
    readonly host: string;
    readonly resources: ContainerResources;
}

/** Environment of every container that runs the Argus server: settings from the ConfigMap, secrets by reference. */
export function argusEnvironment(args: ApiPodArgs): Pick<Container, "env" | "envFrom"> {
    const env = args.secretEnv.map((key): EnvVar => ({ name: key, valueFrom: { secretKeyRef: { name: args.secretName, key } } }));
    return { envFrom: [{ configMapRef: { name: args.settingsConfigMap } }], env };
}

function argusContainer(name: string, role: keyof ReturnType<typeof argusCommands>, args: ApiPodArgs): Container {
    return {
        name,
        image: args.image,
        // The image's entrypoint is tini, which runs these as its child.
        args: argusCommands(args.release)[role],
        ...argusEnvironment(args),
        securityContext: restrictedSecurityContext(uids.argus),
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

/** The containers of the api Pod: django, websockets, nginx, and redis unless it is shared. */
export function apiContainers(args: ApiPodArgs): Container[] {
    return [
        {
            ...argusContainer("django", "web", args),
            ports: [{ name: "gunicorn", containerPort: apiPorts.gunicorn }],
            ...readyAndLive(httpProbe("/admin/login/", "gunicorn", patientProbe, args.host)),
            startupProbe: httpProbe("/admin/login/", "gunicorn", { ...patientProbe, periodSeconds: 5, failureThreshold: 24 }, args.host),
            lifecycle: drainBeforeStop,
            resources: resourceRequirements(args.resources.django),
        },
        {
            ...argusContainer("websockets", "websockets", args),
            ports: [{ name: "daphne", containerPort: apiPorts.daphne }],
            ...readyAndLive(tcpProbe("daphne", quickProbe)),
            lifecycle: drainBeforeStop,
            resources: resourceRequirements(args.resources.websockets),
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
        ...(args.redis === "in-pod" ? [redisContainer(args.redisImage, "in-pod", args.resources.redis)] : []),
    ];
}

/** The writable folders the containers get, each an emptyDir, and the nginx config. */
const argusTmpVolume: Volume = { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } };

export function apiVolumes(nginxConfigMap: pulumi.Input<string>, redis: RedisPlacement): Volume[] {
    return [
        argusTmpVolume,
        { name: "nginx-tmp", emptyDir: { sizeLimit: "256Mi" } },
        ...(redis === "in-pod" ? [redisDataVolume] : []),
        { name: "nginx-config", configMap: { name: nginxConfigMap } },
    ];
}

/** Containers and volumes of the migration Job's Pod: one run of `setup` (database migrations) per api image. */
export function migrationPod(args: ApiPodArgs): k8s.types.input.core.v1.PodSpec {
    return {
        restartPolicy: "Never",
        containers: [{ ...argusContainer("migrate", "migrate", args), resources: resourceRequirements(args.resources.django) }],
        volumes: [argusTmpVolume],
    };
}
