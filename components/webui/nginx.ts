import { block, forwardedProtoMap, healthLocation, nginxConfig, NginxPaths, websocketHttpLines, websocketLocation } from "../nginx";

export interface WebuiServerOptions {
    readonly listenPort: number;
    /** Folder with the built single-page app. */
    readonly root: string;
    /** Folder holding runtime-config.json (the per-stack ConfigMap). */
    readonly runtimeConfigDir: string;
    /** The api (its Service, in the cluster), which the webui's websockets on /ws are passed to. */
    readonly api: { readonly host: string; readonly port: number };
}

/**
 * The webui's websockets go to the api through this nginx, so that they carry the webui host's cookies:
 * Argus-frontend v1.14.1 keeps a password login's token in a host-only `token` cookie of the webui host
 * (src/auth.tsx) and opens `${backendWSUrl}/open/` with nothing else (src/services/RealtimeService.ts); the
 * api's ASGI app knows the user by that cookie (components/argus/image/argus_site/websocket.py).
 * The Host and Origin stay the webui's; X-Forwarded-Proto is the ingress controller's.
 */
const apiForwardedHeaders = [
    "proxy_set_header Host $host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    "proxy_redirect off;",
];

/** Sent with every response. Repeated per location, because a location's add_header drops the server's. */
const securityHeaders = [
    'add_header X-Content-Type-Options "nosniff" always;',
    'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
    'add_header X-Frame-Options "DENY" always;',
    "add_header Content-Security-Policy \"frame-ancestors 'none'\" always;",
];

const noCache = ['add_header Cache-Control "no-cache" always;', ...securityHeaders];

/**
 * Create React App puts content-hashed files under /static/: they never change under one name. Without
 * `always`, nginx adds the header to successful answers only: a 404 for a file that a Pod of the next
 * version serves a moment later in a rolling update must not be kept for a year.
 */
const immutable = ['add_header Cache-Control "public, max-age=31536000, immutable";', ...securityHeaders];

/** nginx.conf of the webui: the built app, client-side routes answered with index.html, /ws to the api. */
export function webuiNginxConfig(options: WebuiServerOptions, paths: NginxPaths): string {
    return nginxConfig(paths, [
        forwardedProtoMap(),
        ...websocketHttpLines(),
        block("upstream api", [`server ${options.api.host}:${options.api.port};`]),
        block("server", [
            `listen ${options.listenPort};`,
            `root ${options.root};`,
            "index index.html;",
            "gzip on;",
            "gzip_min_length 1024;",
            "gzip_types text/css application/javascript application/json image/svg+xml;",
            "gzip_vary on;",
            ...securityHeaders,
            "",
            healthLocation(),
            // v1.13.0 fetches runtime-config.json relative to the page (src/index.tsx), so a deep link asks for
            // /incidents/42/runtime-config.json; v1.14.0 asks for /runtime-config.json. Serve it at both.
            block("location ~ (^|/)runtime-config\\.json$", [`root ${options.runtimeConfigDir};`, "try_files /runtime-config.json =404;", ...noCache]),
            websocketLocation("= /ws", "api", apiForwardedHeaders),
            websocketLocation("/ws/", "api", apiForwardedHeaders),
            block("location = /index.html", noCache),
            block("location /static/", ["try_files $uri =404;", ...immutable]),
            block("location /", ["try_files $uri $uri/ /index.html;"]),
        ]),
    ]);
}
