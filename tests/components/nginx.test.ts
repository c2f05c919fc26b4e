import { expect } from "chai";
import { apiProxyConfig } from "../../components/api/spec";
import { serverProxyConfig } from "../../components/server/spec";
import { containerNginxPaths, healthLocation, nginxConfig } from "../../components/nginx";
import { webuiNginxConfig } from "../../components/webui/nginx";
import { webuiServerOptions } from "../../components/webui/spec";

/** The nginx.conf files we ship (components/nginx.ts, appProxy.ts, webui/nginx.ts): the parts no request shows; tests/real-processes run them. */

describe("every nginx.conf we ship (the parts no request shows)", () => {
    let config = "";
    beforeEach(() => (config = nginxConfig(containerNginxPaths, [])));

    it("writes only under the writable /tmp: the pid file and every temporary path", () => {
        for (const line of ["pid /tmp/nginx.pid;", "client_body_temp_path /tmp/client_body;", "proxy_temp_path /tmp/proxy;", "fastcgi_temp_path /tmp/fastcgi;", "uwsgi_temp_path /tmp/uwsgi;", "scgi_temp_path /tmp/scgi;"]) {
            expect(config).to.contain(line);
        }
    });

    it("logs to the container's stdout and stderr, and hides its version", () => {
        for (const line of ["error_log /dev/stderr warn;", "access_log /dev/stdout;", "server_tokens off;"]) {
            expect(config).to.contain(line);
        }
    });

    it("runs a worker per CPU with the stock defaults for types, sendfile, connections and keep-alive", () => {
        for (const line of ["worker_processes auto;", "include /etc/nginx/mime.types;", "default_type application/octet-stream;", "sendfile on;", "worker_connections 1024;", "keepalive_timeout 65s;"]) {
            expect(config).to.contain(line);
        }
    });

    it("answers the probes' health path itself, in plain text, without logging every probe", () => {
        expect(healthLocation()).to.equal('location = /healthz {\n    access_log off;\n    default_type text/plain;\n    return 200 "ok\\n";\n}');
    });

    it("compresses the webui's text assets only from 1 KiB, where it pays", () => {
        expect(webuiNginxConfig(webuiServerOptions("argus-api"), containerNginxPaths)).to.contain("gzip on;\n        gzip_min_length 1024;\n        gzip_types text/css application/javascript application/json image/svg+xml;\n        gzip_vary on;");
    });

    it("nests blocks with four spaces a level, and ends with a newline", () => {
        const text = nginxConfig(containerNginxPaths, ["server {\n    listen 1;\n}"]);
        expect(text).to.contain("\nhttp {\n    include");
        expect(text).to.contain("\n    server {\n        listen 1;\n    }\n}\n");
        expect(text.endsWith("}\n")).to.equal(true);
    });
});

describe("the api nginx.conf (the parts no request shows)", () => {
    let config = "";
    beforeEach(() => (config = apiProxyConfig()));

    it("keeps websockets open an hour each way over HTTP/1.1, and takes request bodies up to 10m", () => {
        expect(config.match(/proxy_read_timeout 3600s;/g)).to.have.length(2);
        expect(config.match(/proxy_send_timeout 3600s;/g)).to.have.length(2);
        expect(config.match(/proxy_http_version 1\.1;/g)).to.have.length(2);
        expect(config).to.contain("client_max_body_size 10m;");
    });

    it("leaves redirects from Django alone, and closes the upstream connection of a request without Upgrade", () => {
        expect(config.match(/proxy_redirect off;/g)).to.have.length(3);
        expect(config).to.contain("map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }");
    });
});

describe("the 2.x web Pod's nginx.conf (the parts no request shows)", () => {
    let config = "";
    beforeEach(() => (config = serverProxyConfig()));

    it("passes everything to gunicorn on the Pod's loopback, with no websocket location or upstream", () => {
        expect(config).to.contain("upstream gunicorn {\n        server 127.0.0.1:8000;\n    }");
        expect(config).to.contain("location / {\n            proxy_pass http://gunicorn;");
        expect(config).not.to.match(/daphne|\/ws|Upgrade|websocket/);
    });

    it("listens where the Service points, and takes request bodies up to 10m", () => {
        expect(config).to.contain("listen 8080;");
        expect(config).to.contain("client_max_body_size 10m;");
    });
});
