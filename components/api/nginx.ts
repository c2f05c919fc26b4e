import { block, forwardedProtoMap, healthLocation, nginxConfig, NginxPaths, websocketHttpLines, websocketLocation } from "../nginx";

export interface ApiProxyOptions {
    readonly listenPort: number;
    /** gunicorn, serving plain HTTP. */
    readonly gunicorn: { readonly host: string; readonly port: number };
    /** daphne, serving the websockets under /ws. */
    readonly daphne: { readonly host: string; readonly port: number };
    /** Largest request body, e.g. an incident with attachments. */
    readonly clientMaxBodySize: string;
}

/** Headers both upstreams need to build absolute URLs and trust the original scheme and client. */
const forwardedHeaders = [
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_redirect off;",
];

/** nginx.conf of the api Pod's proxy: `/ws` and `/ws/...` to daphne, everything else to gunicorn. */
export function apiNginxConfig(options: ApiProxyOptions, paths: NginxPaths): string {
    return nginxConfig(paths, [
        forwardedProtoMap(),
        ...websocketHttpLines(),
        block("upstream gunicorn", [`server ${options.gunicorn.host}:${options.gunicorn.port};`]),
        block("upstream daphne", [`server ${options.daphne.host}:${options.daphne.port};`]),
        block("server", [
            `listen ${options.listenPort};`,
            `client_max_body_size ${options.clientMaxBodySize};`,
            "",
            healthLocation(),
            websocketLocation("= /ws", "daphne", forwardedHeaders),
            websocketLocation("/ws/", "daphne", forwardedHeaders),
            block("location /", ["proxy_pass http://gunicorn;", ...forwardedHeaders]),
        ]),
    ]);
}
