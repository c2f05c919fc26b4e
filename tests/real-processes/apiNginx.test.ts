import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import WebSocket, { WebSocketServer } from "ws";
import { apiNginxConfig } from "../../components/api/nginx";
import { apiProxyOptions } from "../../components/api/spec";
import { request } from "../support/http";
import { sharedTempDir, startNginx, testNginxPaths } from "../support/nginx";
import { nginxBeforeEach } from "../support/nginxSuite";
import { freePort } from "../../realworld/shared/ports";

/** The api Pod's nginx.conf (components/api/nginx.ts) run by the machine's nginx, before stand-ins for gunicorn and daphne. */

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

describe("the api nginx, for real on 127.0.0.1", () => {
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
                apiNginxConfig(
                    { ...apiProxyOptions, listenPort: ports.listen, gunicorn: { host: "127.0.0.1", port: ports.gunicorn }, daphne: { host: "127.0.0.1", port: ports.daphne } },
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
