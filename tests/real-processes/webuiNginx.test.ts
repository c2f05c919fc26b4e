import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { webuiNginxConfig } from "../../components/webui/nginx";
import { runtimeConfig, webuiServerOptions } from "../../components/webui/spec";
import { parseMinimal } from "../helpers";
import { request, Response } from "../support/http";
import { sharedTempDir, startNginx, testNginxPaths } from "../support/nginx";
import { nginxBeforeEach } from "../support/nginxSuite";
import { freePort } from "../../realworld/shared/ports";
import WebSocket, { WebSocketServer } from "ws";
import type { IncomingHttpHeaders } from "http";

/** The webui's nginx.conf (components/webui/nginx.ts) run by the machine's nginx over a stand-in build of the frontend. */

describe("the webui nginx, for real on 127.0.0.1", () => {
    let dir = "";
    let listen = 0;
    // The api Service's stand-in: accepts a websocket whose cookie has token=good, refuses the rest with a 403.
    let api: WebSocketServer | undefined;
    let apiPort = 0;
    const apiSaw: IncomingHttpHeaders[] = [];
    const asset = "/static/js/main.3f2a1b.js";

    before(async () => {
        dir = sharedTempDir("argus-webui-nginx-");
        fs.mkdirSync(path.join(dir, "html", "static", "js"), { recursive: true, mode: 0o755 });
        fs.mkdirSync(path.join(dir, "config"), { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "html", "index.html"), "<!doctype html><title>Argus</title>");
        fs.writeFileSync(path.join(dir, "html", asset), "console.log('argus');\n".repeat(200));
        listen = await freePort();
        apiPort = await freePort();
        api = new WebSocketServer({
            port: apiPort,
            host: "127.0.0.1",
            verifyClient: (info: { req: { headers: IncomingHttpHeaders; url?: string } }, done: (ok: boolean, code?: number) => void) => {
                apiSaw.push({ ...info.req.headers, ":path": info.req.url });
                done(/(^|; )token=good(;|$)/.test(info.req.headers.cookie ?? ""), 403);
            },
        });
    });
    after(() => api?.close());
    // The runtime config and nginx.conf come from the program's own functions, so each test makes them (see shared).
    const nginx = nginxBeforeEach(
        () => {
            const staging = parseMinimal("staging");
            const runtimeConfigDir = path.join(dir, "config");
            fs.writeFileSync(path.join(runtimeConfigDir, "runtime-config.json"), runtimeConfig({ apiHost: staging.hosts.api as string, webuiHost: staging.hosts.webui, tls: true, webui: staging.webui }));
            return startNginx(webuiNginxConfig({ ...webuiServerOptions("argus-staging-api"), listenPort: listen, root: path.join(dir, "html"), runtimeConfigDir, api: { host: "127.0.0.1", port: apiPort } }, testNginxPaths(dir)), dir, listen);
        },
        () => dir && fs.rmSync(dir, { recursive: true, force: true }),
    );

    const expectSecurityHeaders = (response: Response) => {
        expect(response.headers["x-content-type-options"]).to.equal("nosniff");
        expect(response.headers["referrer-policy"]).to.equal("strict-origin-when-cross-origin");
        expect(response.headers["x-frame-options"]).to.equal("DENY");
    };

    it("answers a deep link with index.html, not cached", async () => {
        const response = await request(nginx().port, "/incidents/42");
        expect(response.status).to.equal(200);
        expect(response.body.toString()).to.contain("<title>Argus</title>");
        expect(response.headers["cache-control"]).to.equal("no-cache");
        expectSecurityHeaders(response);
    });

    it("serves hashed assets with a long cache, gzipped when asked", async () => {
        const response = await request(nginx().port, asset, { headers: { "Accept-Encoding": "gzip" } });
        expect(response.status).to.equal(200);
        expect(response.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
        expect(response.headers["content-encoding"]).to.equal("gzip");
        expect(zlib.gunzipSync(response.body).toString()).to.contain("console.log('argus');");
        // A cache between browser and nginx must keep the gzipped and the plain copy apart.
        expect(response.headers["vary"]).to.equal("Accept-Encoding");
        expectSecurityHeaders(response);
    });

    it("answers a missing asset with a 404 no browser keeps, since it may exist a moment later in a rolling update", async () => {
        const missing = await request(nginx().port, "/static/js/missing.js");
        expect(missing.status).to.equal(404);
        expect(missing.headers["cache-control"]).to.equal(undefined);
        expectSecurityHeaders(missing);
    });

    for (const url of ["/runtime-config.json", "/incidents/42/runtime-config.json"]) {
        it(`serves runtime-config.json with this stack's values at ${url}, not cached`, async () => {
            const response = await request(nginx().port, url);
            expect(response.status).to.equal(200);
            expect(response.headers["content-type"]).to.match(/^application\/json/);
            expect(response.headers["cache-control"]).to.equal("no-cache");
            expect(JSON.parse(response.body.toString())).to.deep.include({
                backendUrl: "https://api.argus-staging.paas2.uninett.no",
                backendWSUrl: "wss://argus-staging.paas2.uninett.no/ws",
                useSecureCookie: true,
            });
            expectSecurityHeaders(response);
        });
    }

    it("does not take a name that merely ends like runtime-config.json for it", async () => {
        const response = await request(nginx().port, "/old-runtime-config.json");
        expect(response.body.toString()).to.contain("<title>Argus</title>");
    });

    describe("passes the webui's websockets on /ws to the api", () => {
        const open = (cookie: string) =>
            new Promise<number>((resolve, reject) => {
                const headers = { Host: "argus-staging.paas2.uninett.no", Origin: "https://argus-staging.paas2.uninett.no", "X-Forwarded-Proto": "https", Cookie: cookie };
                const ws = new WebSocket(`ws://127.0.0.1:${nginx().port}/ws/open/`, { headers });
                ws.once("open", () => {
                    ws.terminate();
                    resolve(101);
                });
                ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
                ws.once("error", reject);
            });

        it("with the webui host's cookies, Host, Origin and scheme, so the api knows the token cookie's user", async () => {
            apiSaw.length = 0;
            expect(await open("token=good")).to.equal(101);
            expect(apiSaw).to.have.length(1);
            expect(apiSaw[0]).to.deep.include({
                ":path": "/ws/open/",
                cookie: "token=good",
                host: "argus-staging.paas2.uninett.no",
                origin: "https://argus-staging.paas2.uninett.no",
                "x-forwarded-proto": "https",
                upgrade: "websocket",
            });
        });

        it("logs a handshake the api refuses on a line of its own", async () => {
            expect(await open("token=stale")).to.equal(403);
            await new Promise((r) => setTimeout(r, 200));
            expect(fs.readFileSync(path.join(dir, "nginx.log"), "utf8")).to.match(
                /websocket handshake failed: status=403 upstream_status=403 host=argus-staging\.paas2\.uninett\.no uri=\/ws\/open\/ origin="https:\/\/argus-staging\.paas2\.uninett\.no" client=127\.0\.0\.1 time=/,
            );
            expect(fs.readFileSync(path.join(dir, "nginx.log"), "utf8")).not.to.match(/websocket handshake failed: status=101/);
        });
    });
});
