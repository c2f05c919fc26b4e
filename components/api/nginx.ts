import { block, healthLocation, nginxConfig, NginxPaths } from "../nginx";

export interface ApiProxyOptions {
    readonly listenPort: number;
    /** gunicorn, serving plain HTTP. */
    readonly gunicorn: { readonly host: string; readonly port: number };
    /** daphne, serving the websockets under /ws. */
    readonly daphne: { readonly host: string; readonly port: number };
    /** Largest request body, e.g. an incident with attachments. */
    readonly clientMaxBodySize: string;
    /** How long an idle websocket stays open. */
    readonly websocketTimeoutSeconds: number;
}

/** Headers both upstreams need to build absolute URLs and trust the original scheme and client. */
const forwardedHeaders = [
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_redirect off;",
];

function websocketLocation(match: string, options: ApiProxyOptions): string {
    return block(`location ${match}`, [
        "proxy_pass http://daphne;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        ...forwardedHeaders,
        `proxy_read_timeout ${options.websocketTimeoutSeconds}s;`,
        `proxy_send_timeout ${options.websocketTimeoutSeconds}s;`,
    ]);
}

/** nginx.conf of the api Pod's proxy: `/ws` and `/ws/...` to daphne, everything else to gunicorn. */
export function apiNginxConfig(options: ApiProxyOptions, paths: NginxPaths): string {
    return nginxConfig(paths, [
        // TLS ends at the ingress controller, which sets X-Forwarded-Proto; direct requests keep their own scheme.
        block("map $http_x_forwarded_proto $forwarded_proto", ["default $http_x_forwarded_proto;", '"" $scheme;']),
        block("map $http_upgrade $connection_upgrade", ["default upgrade;", "'' close;"]),
        block("upstream gunicorn", [`server ${options.gunicorn.host}:${options.gunicorn.port};`]),
        block("upstream daphne", [`server ${options.daphne.host}:${options.daphne.port};`]),
        block("server", [
            `listen ${options.listenPort};`,
            `client_max_body_size ${options.clientMaxBodySize};`,
            "",
            healthLocation(),
            websocketLocation("= /ws", options),
            websocketLocation("/ws/", options),
            block("location /", ["proxy_pass http://gunicorn;", ...forwardedHeaders]),
        ]),
    ]);
}
