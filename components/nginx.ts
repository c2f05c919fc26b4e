/** The parts of an nginx configuration that the api proxy and the webui share. */

/** Where nginx writes and what it includes. Tests point these at temporary folders. */
export interface NginxPaths {
    /** Folder for the pid file and request buffers; an emptyDir in the Pod (the root filesystem is read-only). */
    readonly writableDir: string;
    readonly mimeTypes: string;
}

export const containerNginxPaths: NginxPaths = {
    writableDir: "/tmp",
    mimeTypes: "/etc/nginx/mime.types",
};

/** Port nginx listens on in both Pods: above 1024, since nginx runs without privileges. */
export const nginxPort = 8080;

/** Path of the cheap location the probes use; nginx answers it itself. */
export const healthPath = "/healthz";

/** A whole nginx.conf: main context, http defaults, then the given http-level blocks. */
export function nginxConfig(paths: NginxPaths, httpBlocks: string[]): string {
    const dir = paths.writableDir;
    return [
        "worker_processes auto;",
        `pid ${dir}/nginx.pid;`,
        "error_log /dev/stderr warn;",
        "",
        "events {",
        "    worker_connections 1024;",
        "}",
        "",
        "http {",
        `    include ${paths.mimeTypes};`,
        "    default_type application/octet-stream;",
        "    server_tokens off;",
        "    sendfile on;",
        "    keepalive_timeout 65s;",
        "    access_log /dev/stdout;",
        `    client_body_temp_path ${dir}/client_body;`,
        `    proxy_temp_path ${dir}/proxy;`,
        `    fastcgi_temp_path ${dir}/fastcgi;`,
        `    uwsgi_temp_path ${dir}/uwsgi;`,
        `    scgi_temp_path ${dir}/scgi;`,
        "",
        ...httpBlocks.map((b) => indent(b, 1)),
        "}",
        "",
    ].join("\n");
}

/** $forwarded_proto: TLS ends at the ingress controller, which sets X-Forwarded-Proto; direct requests keep their own scheme. */
export function forwardedProtoMap(): string {
    return block("map $http_x_forwarded_proto $forwarded_proto", ["default $http_x_forwarded_proto;", '"" $scheme;']);
}

/** How long an idle websocket stays open, at every nginx it passes (the ingress controller's, the webui's, the api's). */
export const websocketTimeoutSeconds = 3600;

/**
 * The Ingress annotations of a host that passes websockets: ingress-nginx closes an upstream connection idle for
 * 60 s (its proxy-read-timeout and proxy-send-timeout defaults), which would end every quiet websocket.
 */
export const websocketIngressAnnotations: Readonly<Record<string, string>> = {
    "nginx.ingress.kubernetes.io/proxy-read-timeout": String(websocketTimeoutSeconds),
    "nginx.ingress.kubernetes.io/proxy-send-timeout": String(websocketTimeoutSeconds),
};

/** $connection_upgrade: the Connection header that passes a websocket upgrade on (and closes otherwise). */
export function connectionUpgradeMap(): string {
    return block("map $http_upgrade $connection_upgrade", ["default upgrade;", "'' close;"]);
}

/**
 * http-level lines every nginx that passes websockets needs: the Connection header of an upgrade, and a log
 * line of its own for a handshake that did not become a websocket (any status but 101). Without it a refused
 * or timed-out handshake (daphne drops one it never answers; nginx answers 502) is one access line among many.
 */
export function websocketHttpLines(): string[] {
    return [
        connectionUpgradeMap(),
        block("map $status $websocket_refused", ["101 0;", "default 1;"]),
        "log_format websocket_refused 'websocket handshake failed: status=$status upstream_status=$upstream_status '",
        "                             'host=$host uri=$request_uri origin=\"$http_origin\" client=$remote_addr time=$request_time';",
    ];
}

/**
 * A location whose requests are websocket handshakes passed to `upstream`: the plain access log, plus the
 * websocket_refused line (websocketHttpLines) when the handshake fails. `forwarded` are the proxy headers.
 */
export function websocketLocation(match: string, upstream: string, forwarded: string[]): string {
    return block(`location ${match}`, [
        `proxy_pass http://${upstream};`,
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        ...forwarded,
        `proxy_read_timeout ${websocketTimeoutSeconds}s;`,
        `proxy_send_timeout ${websocketTimeoutSeconds}s;`,
        "access_log /dev/stdout;",
        "access_log /dev/stderr websocket_refused if=$websocket_refused;",
    ]);
}

export function healthLocation(): string {
    return block(`location = ${healthPath}`, ["access_log off;", "default_type text/plain;", 'return 200 "ok\\n";']);
}

function indent(text: string, levels: number): string {
    const pad = "    ".repeat(levels);
    return text
        .split("\n")
        .map((line) => (line ? pad + line : line))
        .join("\n");
}

/** A block `<head> { ... }` with its lines indented. */
export function block(head: string, lines: string[]): string {
    return [`${head} {`, ...lines.map((l) => indent(l, 1)), "}"].join("\n");
}
