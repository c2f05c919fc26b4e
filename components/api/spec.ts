import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiSettings, ContainerResources } from "../../stacks";
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

/** Keys of the api Secret; the same names whether we create it or an operator provides it. */
export const secretKeys = {
    databaseUrl: "DATABASE_URL",
    djangoSecretKey: "SECRET_KEY",
    dataportenSecret: "ARGUS_DATAPORTEN_SECRET",
} as const;

/**
 * Non-secret settings of the Argus server, as environment variables. Sorted by name so the ConfigMap
 * renders the same every time.
 */
export function apiSettingsData(settings: ApiSettings, redisServer: string, dataportenKey?: string): Record<string, string> {
    const data: Record<string, string> = {
        ARGUS_API_HOST: settings.apiHost,
        ARGUS_COOKIE_DOMAIN: settings.cookieDomain,
        ARGUS_FRONTEND_URL: settings.frontendUrl,
        ARGUS_REDIS_SERVER: redisServer,
        ARGUS_SEND_NOTIFICATIONS: settings.sendNotifications ? "1" : "0",
        DEBUG: settings.debug ? "1" : "0",
        DEFAULT_FROM_EMAIL: settings.defaultFromEmail,
        EMAIL_PORT: String(settings.emailPort),
        PORT: String(apiPorts.gunicorn),
        TIME_ZONE: settings.timeZone,
        WS_PORT: String(apiPorts.daphne),
    };
    if (settings.emailHost) {
        data.EMAIL_HOST = settings.emailHost;
    }
    if (dataportenKey) {
        data.ARGUS_DATAPORTEN_KEY = dataportenKey;
    }
    return Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
}

export interface ApiPodArgs {
    /** The pushed api image, by digest. */
    readonly image: pulumi.Input<string>;
    readonly nginxImage: string;
    readonly redisImage: string;
    readonly redis: RedisPlacement;
    readonly settingsConfigMap: pulumi.Input<string>;
    readonly nginxConfigMap: pulumi.Input<string>;
    readonly secretName: pulumi.Input<string>;
    readonly withDataporten: boolean;
    /** Public api host: Django only answers requests for hosts it knows, probes included. */
    readonly host: string;
    readonly resources: ContainerResources;
}

/** Environment of every container that runs the Argus server: settings from the ConfigMap, secrets by reference. */
export function argusEnvironment(args: ApiPodArgs): Pick<Container, "env" | "envFrom"> {
    const fromSecret = (name: string, key: string): EnvVar => ({
        name,
        valueFrom: { secretKeyRef: { name: args.secretName, key } },
    });
    const env = [
        fromSecret("DATABASE_URL", secretKeys.databaseUrl),
        fromSecret("SECRET_KEY", secretKeys.djangoSecretKey),
        ...(args.withDataporten ? [fromSecret("ARGUS_DATAPORTEN_SECRET", secretKeys.dataportenSecret)] : []),
    ];
    return { envFrom: [{ configMapRef: { name: args.settingsConfigMap } }], env };
}

function argusContainer(name: string, role: string, args: ApiPodArgs): Container {
    return {
        name,
        image: args.image,
        // The image's entrypoint is tini; the role script is its argument.
        args: [role],
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
        containers: [{ ...argusContainer("migrate", "setup", args), resources: resourceRequirements(args.resources.django) }],
        volumes: [argusTmpVolume],
    };
}
