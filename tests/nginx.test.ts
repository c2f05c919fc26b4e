import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as zlib from "zlib";
import WebSocket, { WebSocketServer } from "ws";
import { apiNginxConfig } from "../components/api/nginx";
import { apiProxyOptions } from "../components/api/spec";
import { webuiNginxConfig } from "../components/webui/nginx";
import { runtimeConfig, webuiServerOptions } from "../components/webui/spec";
import { parseMinimal, renderWith } from "./helpers";
import { checkConfig, RunningNginx, sharedTempDir, startNginx, testNginxPaths } from "./support/nginx";
import { freePort } from "../realworld/shared/ports";
import { shared } from "./support/shared";

interface Seen {
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
}

interface Response {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: Buffer;
}

function request(port: number, urlPath: string, options: { headers?: Record<string, string>; method?: string; body?: Buffer } = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
        const target = { host: "127.0.0.1", port, path: urlPath, method: options.method ?? "GET", headers: options.headers, agent: false };
        const req = http.request(target, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

/** Stands in for gunicorn: answers every request with what it received. */
function gunicornStandIn(port: number, seen: Seen[]): Promise<http.Server> {
    const server = http.createServer((req, res) => {
        seen.push({ url: req.url!, headers: req.headers });
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ server: "gunicorn", url: req.url }));
    });
    return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** Stands in for daphne: a websocket server that echoes, and plain HTTP that names itself. */
function daphneStandIn(port: number, seen: Seen[]): Promise<{ http: http.Server; ws: WebSocketServer }> {
    const server = http.createServer((req, res) => {
        seen.push({ url: req.url!, headers: req.headers });
        res.end("daphne");
    });
    const wss = new WebSocketServer({ server });
    wss.on("connection", (socket, req) => {
        seen.push({ url: req.url!, headers: req.headers });
        socket.on("message", (data) => socket.send(`echo:${data}`));
    });
    return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ http: server, ws: wss })));
}

describe("the api nginx, for real on 127.0.0.1", () => {
    const gunicornSeen: Seen[] = [];
    const daphneSeen: Seen[] = [];
    let nginx: RunningNginx | undefined;
    let gunicorn: http.Server | undefined;
    let daphne: { http: http.Server; ws: WebSocketServer } | undefined;
    let dir = "";

    let ports = { listen: 0, gunicorn: 0, daphne: 0 };
    before(async () => {
        dir = sharedTempDir("argus-api-nginx-");
        ports = { listen: await freePort(), gunicorn: await freePort(), daphne: await freePort() };
        gunicorn = await gunicornStandIn(ports.gunicorn, gunicornSeen);
        daphne = await daphneStandIn(ports.daphne, daphneSeen);
    });
    const startApiNginx = shared(
        () =>
            startNginx(
                apiNginxConfig(
                    { ...apiProxyOptions, listenPort: ports.listen, gunicorn: { host: "127.0.0.1", port: ports.gunicorn }, daphne: { host: "127.0.0.1", port: ports.daphne } },
                    testNginxPaths(dir),
                ),
                dir,
                ports.listen,
            ),
        (running) => running.stop(),
    );
    beforeEach(async () => (nginx = await startApiNginx()));

    after(async () => {
        try {
            await startApiNginx.release();
        } finally {
            daphne?.ws.close();
            daphne?.http.close();
            gunicorn?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("plain HTTP", () => {
        it("reaches gunicorn with Host, X-Forwarded-For, X-Forwarded-Proto and X-Real-IP set", async () => {
            const response = await request(nginx!.port, "/api/v1/incidents/?open=true", {
                headers: { Host: "api.argus.uninett.no", "X-Forwarded-Proto": "https" },
            });
            expect(response.status).to.equal(200);
            expect(JSON.parse(response.body.toString())).to.deep.equal({ server: "gunicorn", url: "/api/v1/incidents/?open=true" });
            const seen = gunicornSeen[gunicornSeen.length - 1];
            expect(seen.headers.host).to.equal("api.argus.uninett.no");
            expect(seen.headers["x-forwarded-proto"]).to.equal("https");
            expect(seen.headers["x-forwarded-for"]).to.equal("127.0.0.1");
            expect(seen.headers["x-real-ip"]).to.equal("127.0.0.1");
        });

        it("passes the request's own scheme when no ingress set X-Forwarded-Proto", async () => {
            await request(nginx!.port, "/admin/login/");
            expect(gunicornSeen[gunicornSeen.length - 1].headers["x-forwarded-proto"]).to.equal("http");
        });

        it("sends /ws to daphne, but not paths that merely start with ws", async () => {
            expect((await request(nginx!.port, "/ws")).body.toString()).to.equal("daphne");
            expect(JSON.parse((await request(nginx!.port, "/wsx")).body.toString()).server).to.equal("gunicorn");
        });

        it("answers the probes' health location itself", async () => {
            const before = gunicornSeen.length;
            const response = await request(nginx!.port, "/healthz");
            expect(response.status).to.equal(200);
            expect(response.body.toString()).to.equal("ok\n");
            expect(gunicornSeen.length).to.equal(before);
        });

        it("refuses request bodies above client_max_body_size", async () => {
            const response = await request(nginx!.port, "/api/v1/incidents/", { method: "POST", body: Buffer.alloc(11 * 1024 * 1024) });
            expect(response.status).to.equal(413);
        });
    });

    describe("websockets", () => {
        it("upgrades /ws/... at daphne (101) and carries messages both ways", async () => {
            const socket = new WebSocket(`ws://127.0.0.1:${nginx!.port}/ws/open/`, { headers: { Host: "api.argus.uninett.no" } });
            const upgraded = new Promise<number>((resolve) => socket.once("upgrade", (res) => resolve(res.statusCode!)));
            await new Promise((resolve, reject) => {
                socket.once("open", resolve);
                socket.once("error", reject);
            });
            const status = await upgraded;
            const reply = new Promise<string>((resolve) => socket.once("message", (data) => resolve(data.toString())));
            socket.send("subscribe");
            expect(status).to.equal(101);
            expect(await reply).to.equal("echo:subscribe");
            socket.close();
            const upgrade = daphneSeen.find((s) => s.url === "/ws/open/")!;
            expect(upgrade.headers.upgrade).to.equal("websocket");
            expect(upgrade.headers.host).to.equal("api.argus.uninett.no");
            expect(upgrade.headers["x-forwarded-for"]).to.equal("127.0.0.1");
        });
    });
});

describe("the webui nginx, for real on 127.0.0.1", () => {
    let nginx: RunningNginx | undefined;
    let dir = "";
    let listen = 0;
    const asset = "/static/js/main.3f2a1b.js";

    before(async () => {
        dir = sharedTempDir("argus-webui-nginx-");
        fs.mkdirSync(path.join(dir, "html", "static", "js"), { recursive: true, mode: 0o755 });
        fs.mkdirSync(path.join(dir, "config"), { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "html", "index.html"), "<!doctype html><title>Argus</title>");
        fs.writeFileSync(path.join(dir, "html", asset), "console.log('argus');\n".repeat(200));
        listen = await freePort();
    });
    // The runtime config and nginx.conf come from the program's own functions, so each test makes them (see shared).
    const startWebuiNginx = shared(
        () => {
            const staging = parseMinimal("staging");
            const runtimeConfigDir = path.join(dir, "config");
            fs.writeFileSync(path.join(runtimeConfigDir, "runtime-config.json"), runtimeConfig({ apiHost: staging.hosts.api as string, webuiHost: staging.hosts.webui, tls: true, webui: staging.webui }));
            return startNginx(webuiNginxConfig({ ...webuiServerOptions, listenPort: listen, root: path.join(dir, "html"), runtimeConfigDir }, testNginxPaths(dir)), dir, listen);
        },
        (running) => running.stop(),
    );
    beforeEach(async () => (nginx = await startWebuiNginx()));

    after(async () => {
        try {
            await startWebuiNginx.release();
        } finally {
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    const expectSecurityHeaders = (response: Response) => {
        expect(response.headers["x-content-type-options"]).to.equal("nosniff");
        expect(response.headers["referrer-policy"]).to.equal("strict-origin-when-cross-origin");
        expect(response.headers["x-frame-options"]).to.equal("DENY");
    };

    it("answers a deep link with index.html, not cached", async () => {
        const response = await request(nginx!.port, "/incidents/42");
        expect(response.status).to.equal(200);
        expect(response.body.toString()).to.contain("<title>Argus</title>");
        expect(response.headers["cache-control"]).to.equal("no-cache");
        expectSecurityHeaders(response);
    });

    it("serves hashed assets with a long cache, gzipped when asked", async () => {
        const response = await request(nginx!.port, asset, { headers: { "Accept-Encoding": "gzip" } });
        expect(response.status).to.equal(200);
        expect(response.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
        expect(response.headers["content-encoding"]).to.equal("gzip");
        expect(zlib.gunzipSync(response.body).toString()).to.contain("console.log('argus');");
        // A cache between browser and nginx must keep the gzipped and the plain copy apart.
        expect(response.headers["vary"]).to.equal("Accept-Encoding");
        expectSecurityHeaders(response);
    });

    it("answers a missing asset with a 404 no browser keeps, since it may exist a moment later in a rolling update", async () => {
        const missing = await request(nginx!.port, "/static/js/missing.js");
        expect(missing.status).to.equal(404);
        expect(missing.headers["cache-control"]).to.equal(undefined);
        expectSecurityHeaders(missing);
    });

    for (const url of ["/runtime-config.json", "/incidents/42/runtime-config.json"]) {
        it(`serves runtime-config.json with this stack's values at ${url}, not cached`, async () => {
            const response = await request(nginx!.port, url);
            expect(response.status).to.equal(200);
            expect(response.headers["content-type"]).to.match(/^application\/json/);
            expect(response.headers["cache-control"]).to.equal("no-cache");
            expect(JSON.parse(response.body.toString())).to.deep.include({
                backendUrl: "https://api.argus-staging.paas2.uninett.no",
                backendWSUrl: "wss://api.argus-staging.paas2.uninett.no/ws",
                useSecureCookie: true,
            });
            expectSecurityHeaders(response);
        });
    }

    it("does not take a name that merely ends like runtime-config.json for it", async () => {
        const response = await request(nginx!.port, "/old-runtime-config.json");
        expect(response.body.toString()).to.contain("<title>Argus</title>");
    });
});

describe("nginx -t on the configs each stack ships", () => {
    for (const stack of ["production", "staging", "review-123"]) {
        it(`${stack}: accepts the api and webui nginx.conf from the rendered ConfigMaps`, async () => {
            const rendering = await renderWith(stack);
            const configs = rendering.objects
                .filter((o) => o.kind === "ConfigMap" && (o.data as Record<string, string>)["nginx.conf"])
                .map((o) => (o.data as Record<string, string>)["nginx.conf"]);
            expect(configs).to.have.length(2);
            const dir = sharedTempDir("argus-nginx-t-");
            try {
                configs.forEach((config, i) => {
                    const file = path.join(dir, `nginx-${i}.conf`);
                    fs.writeFileSync(file, config);
                    const check = checkConfig(file);
                    expect(check.ok, check.output).to.equal(true);
                });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});
