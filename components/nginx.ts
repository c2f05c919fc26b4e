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
