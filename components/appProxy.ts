/**
 * The nginx in front of gunicorn in every Pod that serves Argus: the 1.x api Pod (with daphne beside gunicorn) and
 * the 2.x web Pod. gunicorn's own deployment guide asks for a proxy that buffers slow clients (docs/source/deploy.rst
 * at gunicorn 23.0.0: "Without this buffering Gunicorn will be easily susceptible to denial-of-service attacks"):
 * its workers read a request on the thread that serves it (gunicorn 23.0.0, the version both releases install,
 * `workers/gthread.py` hands a connection to a thread at its first byte, `workers/sync.py` reads it in the process on
 * a blocking socket), so a client sending a byte a second holds a whole thread or process. nginx reads the headers
 * and body whole (`proxy_request_buffering` on, its default) before gunicorn sees the request; `npm run bench:argus`
 * with STORM_BAD_INPUT=1 measures both layouts (README, "Outage storm").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec } from "../stacks/types";
import { gunicornPort } from "./argus/spec";
import { block, forwardedProtoMap, healthLocation, nginxConfig, NginxPaths, nginxPort, websocketHttpLines, websocketLocation } from "./nginx";
import { nginxContainer, WebPort } from "./workload/containers";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

interface Upstream {
    readonly host: string;
    readonly port: number;
}

export interface AppProxyOptions {
    readonly listenPort: number;
    /** gunicorn, serving plain HTTP. */
    readonly gunicorn: Upstream;
    /** daphne, serving the websockets under /ws (1.x only). */
    readonly daphne?: Upstream;
    /** Largest request body, e.g. an incident with attachments. */
    readonly clientMaxBodySize: string;
}

/** The one port the Service targets: the proxy, never gunicorn, which listens on the Pod's loopback only. */
export const appProxyPort: WebPort = { name: "http", containerPort: nginxPort };

/** In the Pod: nginx on appProxyPort, gunicorn (and daphne) beside it on 127.0.0.1. */
export function podProxyOptions(daphnePort?: number): AppProxyOptions {
    return {
        listenPort: appProxyPort.containerPort,
        gunicorn: { host: "127.0.0.1", port: gunicornPort },
        ...(daphnePort === undefined ? {} : { daphne: { host: "127.0.0.1", port: daphnePort } }),
        clientMaxBodySize: "10m",
    };
}

/** Headers both upstreams need to build absolute URLs and trust the original scheme and client. */
const forwardedHeaders = [
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_redirect off;",
];

/** nginx.conf of the proxy: `/ws` and `/ws/...` to daphne when there is one, everything else to gunicorn. */
export function appProxyConfig(options: AppProxyOptions, paths: NginxPaths): string {
    const daphne = options.daphne;
    return nginxConfig(paths, [
        forwardedProtoMap(),
        ...(daphne ? websocketHttpLines() : []),
        block("upstream gunicorn", [`server ${options.gunicorn.host}:${options.gunicorn.port};`]),
        ...(daphne ? [block("upstream daphne", [`server ${daphne.host}:${daphne.port};`])] : []),
        block("server", [
            `listen ${options.listenPort};`,
            `client_max_body_size ${options.clientMaxBodySize};`,
            "",
            healthLocation(),
            ...(daphne ? [websocketLocation("= /ws", "daphne", forwardedHeaders), websocketLocation("/ws/", "daphne", forwardedHeaders)] : []),
            block("location /", ["proxy_pass http://gunicorn;", ...forwardedHeaders]),
        ]),
    ]);
}

/** Where the ConfigMap with nginx.conf is mounted in the proxy container. */
const proxyConfigDir = "/etc/nginx/argus";
const proxyVolumes = { config: "nginx-config", tmp: "nginx-tmp" } as const;

/** The proxy container, its config from the ConfigMap that appProxyVolumes mounts. */
export function appProxyContainer(image: string, resources: ResourceSpec): Container {
    return nginxContainer({
        name: "nginx",
        image,
        port: appProxyPort,
        configDir: proxyConfigDir,
        configVolume: proxyVolumes.config,
        tmpVolume: proxyVolumes.tmp,
        resources,
    });
}

/** The proxy's volumes: a writable folder for request buffers (the root filesystem is read-only), and its nginx.conf. */
export function appProxyVolumes(configMap: pulumi.Input<string>): { readonly scratch: Volume; readonly config: Volume } {
    return {
        scratch: { name: proxyVolumes.tmp, emptyDir: { sizeLimit: "256Mi" } },
        config: { name: proxyVolumes.config, configMap: { name: configMap } },
    };
}
