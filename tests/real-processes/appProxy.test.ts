import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import WebSocket, { WebSocketServer } from "ws";
import * as net from "net";
import { AppProxyOptions, appProxyConfig, podProxyOptions } from "../../components/appProxy";
import { request } from "../support/http";
import { sharedTempDir, startNginx, testNginxPaths } from "../support/nginx";
import { nginxBeforeEach } from "../support/nginxSuite";
import { freePort } from "../../realworld/shared/ports";

/** The proxy's nginx.conf (components/appProxy.ts) run by the machine's nginx, before stand-ins for gunicorn and daphne. */

interface Seen {
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
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
    // /ws/silent/ is a handshake daphne drops unanswered, as it does one its consumer never accepts (after its connect timeout).
    const wss = new WebSocketServer({
        server,
        verifyClient: (info: { req: http.IncomingMessage }, done: (ok: boolean) => void) => (info.req.url === "/ws/silent/" ? info.req.socket.destroy() : done(true)),
    });
    wss.on("connection", (socket, req) => {
        seen.push({ url: req.url!, headers: req.headers });
        socket.on("message", (data) => socket.send(`echo:${data}`));
    });
    return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ http: server, ws: wss })));
}

/** Sends `parts` on one connection, `pauseMs` apart, and resolves with the first line of the answer. */
function sendSlowly(port: number, parts: string[], pauseMs: number, sent: (index: number) => void): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1");
        let answer = "";
        socket.on("data", (d) => (answer += d.toString()));
        socket.on("end", () => resolve(answer.split("\r\n")[0]));
        socket.on("error", reject);
        socket.on("connect", async () => {
            for (const [i, part] of parts.entries()) {
                socket.write(part);
                await new Promise((r) => setTimeout(r, pauseMs));
                sent(i);
            }
        });
    });
}

describe("the api Pod's proxy (1.x), for real on 127.0.0.1", () => {
    const gunicornSeen: Seen[] = [];
    const daphneSeen: Seen[] = [];
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
    const nginx = nginxBeforeEach(
        () =>
            startNginx(
                appProxyConfig(
                    { ...podProxyOptions(8001), listenPort: ports.listen, gunicorn: { host: "127.0.0.1", port: ports.gunicorn }, daphne: { host: "127.0.0.1", port: ports.daphne } },
                    testNginxPaths(dir),
                ),
                dir,
                ports.listen,
            ),
        () => {
            daphne?.ws.close();
            daphne?.http.close();
            gunicorn?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        },
    );

    describe("plain HTTP", () => {
        it("reaches gunicorn with Host, X-Forwarded-For, X-Forwarded-Proto and X-Real-IP set", async () => {
            const response = await request(nginx().port, "/api/v1/incidents/?open=true", {
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
            await request(nginx().port, "/admin/login/");
            expect(gunicornSeen[gunicornSeen.length - 1].headers["x-forwarded-proto"]).to.equal("http");
        });

        it("sends /ws to daphne, but not paths that merely start with ws", async () => {
            expect((await request(nginx().port, "/ws")).body.toString()).to.equal("daphne");
            expect(JSON.parse((await request(nginx().port, "/wsx")).body.toString()).server).to.equal("gunicorn");
        });

        it("answers the probes' health location itself", async () => {
            const before = gunicornSeen.length;
            const response = await request(nginx().port, "/healthz");
            expect(response.status).to.equal(200);
            expect(response.body.toString()).to.equal("ok\n");
            expect(gunicornSeen.length).to.equal(before);
        });

        it("refuses request bodies above client_max_body_size", async () => {
            const response = await request(nginx().port, "/api/v1/incidents/", { method: "POST", body: Buffer.alloc(11 * 1024 * 1024) });
            expect(response.status).to.equal(413);
        });
    });

    describe("websockets", () => {
        it("upgrades /ws/... at daphne (101) and carries messages both ways", async () => {
            const socket = new WebSocket(`ws://127.0.0.1:${nginx().port}/ws/open/`, { headers: { Host: "api.argus.uninett.no" } });
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

        it("logs a handshake that did not become a websocket on a line of its own, and the 101s not", async () => {
            const status = await new Promise<number>((resolve) => {
                const socket = new WebSocket(`ws://127.0.0.1:${nginx().port}/ws/silent/`, { headers: { Host: "api.argus.uninett.no", Origin: "https://argus.uninett.no" } });
                socket.once("unexpected-response", (_req, res) => resolve(res.statusCode!));
                socket.once("error", () => resolve(0));
            });
            expect(status).to.equal(502);
            await new Promise((r) => setTimeout(r, 200));
            const log = fs.readFileSync(`${dir}/nginx.log`, "utf8");
            expect(log).to.match(/websocket handshake failed: status=502 upstream_status=502 host=api\.argus\.uninett\.no uri=\/ws\/silent\/ origin="https:\/\/argus\.uninett\.no" client=127\.0\.0\.1 time=/);
            expect(log).not.to.match(/websocket handshake failed: status=101/);
        });
    });
});

describe("the 2.x web Pod's proxy, for real on 127.0.0.1", () => {
    const gunicornSeen: Seen[] = [];
    let gunicorn: http.Server | undefined;
    let dir = "";
    let options: AppProxyOptions = podProxyOptions();
    before(async () => {
        dir = sharedTempDir("argus-web-nginx-");
        options = { ...podProxyOptions(), listenPort: await freePort(), gunicorn: { host: "127.0.0.1", port: await freePort() } };
        gunicorn = await gunicornStandIn(options.gunicorn.port, gunicornSeen);
    });
    const nginx = nginxBeforeEach(
        () => startNginx(appProxyConfig(options, testNginxPaths(dir)), dir, options.listenPort),
        () => {
            gunicorn?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        },
    );

    it("passes every path to gunicorn with the forwarded headers, /ws included (2.x has no daphne)", async () => {
        for (const url of ["/incidents/?open=true", "/api/v2/incidents/", "/ws/open/"]) {
            const response = await request(nginx().port, url, { headers: { Host: "argus.example.org", "X-Forwarded-Proto": "https" } });
            expect(JSON.parse(response.body.toString())).to.deep.equal({ server: "gunicorn", url });
            const seen = gunicornSeen[gunicornSeen.length - 1];
            expect([seen.headers.host, seen.headers["x-forwarded-proto"], seen.headers["x-forwarded-for"]]).to.deep.equal(["argus.example.org", "https", "127.0.0.1"]);
        }
    });

    it("answers the probes' health location itself, and refuses request bodies above 10m", async () => {
        expect((await request(nginx().port, "/healthz")).body.toString()).to.equal("ok\n");
        expect((await request(nginx().port, "/api/v2/incidents/", { method: "POST", body: Buffer.alloc(11 * 1024 * 1024) })).status).to.equal(413);
    });

    describe("a slow client", () => {
        it("reaches gunicorn only once its headers and body are whole, so it never holds a gunicorn thread", async () => {
            const before = gunicornSeen.length;
            const seenWhileSending: number[] = [];
            const parts = ["POST /api/v2/incidents/ HTTP/1.1\r\nHost: argus.", "example.org\r\nContent-Length: 6\r\nConnection: close\r\n\r\n", "abc", "def"];
            const status = await sendSlowly(nginx().port, parts, 300, () => seenWhileSending.push(gunicornSeen.length - before));
            expect(status).to.equal("HTTP/1.1 200 OK");
            // Nothing reached gunicorn while the headers, then the body, came in; the whole request did, once.
            expect(seenWhileSending.slice(0, 3)).to.deep.equal([0, 0, 0]);
            expect(gunicornSeen.length - before).to.equal(1);
        });
    });
});
