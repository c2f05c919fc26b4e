import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec, WebuiConfig } from "../../stacks/types";
import { containerNginxPaths, nginxPort } from "../nginx";
import { servicePort } from "../workload/spec";
import { nginxContainer, WebPort } from "../workload/containers";
import { webuiNginxConfig, WebuiServerOptions } from "./nginx";

export const webuiWebPort: WebPort = { name: "http", containerPort: nginxPort };

/** Where the Dockerfile puts the built app. */
export const webuiRoot = "/usr/share/nginx/html";

/** Where the per-stack ConfigMap (nginx.conf and runtime-config.json) is mounted. */
export const webuiConfigDir = "/etc/nginx/argus";

/** The webui nginx's options in the Pod; `apiService` is the api Service's name, which the Pod's DNS resolves. */
export function webuiServerOptions(apiService: string): WebuiServerOptions {
    return { listenPort: nginxPort, root: webuiRoot, runtimeConfigDir: webuiConfigDir, api: { host: apiService, port: servicePort } };
}

export interface RuntimeConfigArgs {
    readonly apiHost: string;
    readonly webuiHost: string;
    /** Whether the hosts are served over TLS: decides https/wss and secure cookies. */
    readonly tls: boolean;
    readonly webui: WebuiConfig;
}

/**
 * runtime-config.json, which Argus-frontend reads at start: the settings the seed baked in at build time,
 * so one image serves every stack.
 *
 * backendWSUrl is the webui host, not the api host: a password login's token lives in a host-only `token`
 * cookie of the webui host (Argus-frontend v1.14.1 src/auth.tsx sets it without a Domain; `cookieDomain` only
 * serves its logout), and the websocket carries nothing else (src/services/RealtimeService.ts), so only a
 * websocket to the webui host is sent it. The webui nginx passes /ws on to the api (./nginx.ts).
 */
export function runtimeConfig(args: RuntimeConfigArgs): string {
    const http = args.tls ? "https" : "http";
    const ws = args.tls ? "wss" : "ws";
    const settings = {
        backendUrl: `${http}://${args.apiHost}`,
        backendWSUrl: `${ws}://${args.webuiHost}/ws`,
        enableWebsocketSupport: true,
        useSecureCookie: args.tls,
        debug: false,
        cookieDomain: args.webuiHost,
        defaultAutoRefreshInterval: args.webui.autoRefreshInterval,
        realtimeServiceMaxRetries: args.webui.realtimeMaxRetries,
        use24hTime: true,
        timestampDateFormat: "yyyy-MM-dd",
        timestampTimeFormat: "HH:mm:ss",
        timestampTimeNoSeconds: "HH:mm",
        timestampTimezoneOffsetFormat: "xxx",
        timestampFormat: "{date} {time}{timezone_offset}",
        showSeverityLevels: true,
    };
    return JSON.stringify(settings, null, 2) + "\n";
}

/** Data of the webui ConfigMap; `apiService` is the in-cluster name of the api Service. */
export function webuiConfigData(args: RuntimeConfigArgs, apiService: string): Record<string, string> {
    return {
        "nginx.conf": webuiNginxConfig(webuiServerOptions(apiService), containerNginxPaths),
        "runtime-config.json": runtimeConfig(args),
    };
}

/** The single nginx container that serves the built app. */
export function webuiContainer(image: pulumi.Input<string>, resources: ResourceSpec): k8s.types.input.core.v1.Container {
    return nginxContainer({
        name: "webui",
        image,
        port: webuiWebPort,
        configDir: webuiConfigDir,
        configVolume: "config",
        tmpVolume: "tmp",
        resources,
    });
}

export function webuiVolumes(configMap: pulumi.Input<string>): k8s.types.input.core.v1.Volume[] {
    return [
        { name: "config", configMap: { name: configMap } },
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ];
}
