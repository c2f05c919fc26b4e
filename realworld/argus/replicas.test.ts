/**
 * 1.x with apiReplicas 2: two api "Pods" (each its gunicorn, daphne and nginx) share the render's redis
 * Deployment (password from the Secret) through its Service; a websocket client of one Pod receives an
 * incident posted through the other.
 */
import { expect } from "chai";
import { defaultArgusVersion } from "../../releases/argus";
import { Client, Socket } from "./client";
import { Pod } from "./pod";
import { Postgres, startPostgres } from "./services";
import { ADMIN, deploy, Layout, runMigrationJob, sourceToken, startPod } from "./layout";
import { one } from "./render";

describe(`Argus ${defaultArgusVersion} with apiReplicas 2 and the shared redis`, () => {
    let pg: Postgres;
    let layout: Layout;
    const services: Record<string, string> = {};
    const pods: Pod[] = [];
    let socket: Socket | undefined;

    before(async () => {
        pg = await startPostgres();
        layout = await deploy({ version: defaultArgusVersion, databaseUrl: await pg.createDatabase("argus_replicas"), smtpPort: 9, extraConfig: { "argus:apiReplicas": "2" }, services });
    });

    after(async () => {
        socket?.close();
        await Promise.all(pods.map((p) => p.stop()));
        await pg?.proc.stop();
    });

    it("renders two api replicas, no redis container in the api Pod, and a redis Deployment behind a Service", () => {
        const api = one(layout.rendering, "Deployment", "api");
        expect(api.spec.replicas).to.equal(2);
        expect(api.spec.template.spec.containers.map((c: { name: string }) => c.name)).to.not.include("redis");
        one(layout.rendering, "Deployment", "redis");
        one(layout.rendering, "Service", "redis");
    });

    describe("two api Pods sharing the render's redis through its Service", () => {
        before(async () => {
            const redis = await startPod(layout, "redis", "redis");
            pods.push(redis);
            const service = one(layout.rendering, "Service", "redis");
            const port = service.spec.ports[0];
            const container = redis.spec.containers[0];
            const target = typeof port.targetPort === "number" ? port.targetPort : container.ports.find((p: { name: string }) => p.name === port.targetPort).containerPort;
            services[`${service.metadata.name}:${port.port}`] = `127.0.0.1:${redis.ports.get(target)}`;
            const r = await runMigrationJob(layout);
            if (!r.ok) throw new Error(`the migration Job failed:\n${r.output}`);
            // startPod returns once every container's startup and readiness probes pass.
            pods.push(await startPod(layout, "api", "api-a"), await startPod(layout, "api", "api-b"));
        });

        it("passes every api container's readiness probe in both Pods", async () => {
            for (const pod of pods.slice(1)) {
                for (const c of pod.spec.containers.filter((c: { readinessProbe?: unknown }) => c.readinessProbe)) {
                    const r = await pod.probe(c.name, "readinessProbe");
                    expect(r.ok, `${pod.name}/${c.name}: ${r.detail}`).to.equal(true);
                }
            }
        });

        describe("a websocket client of one Pod", () => {
            let source: Client;
            before(async () => {
                const [a, b] = [pods[1], pods[2]];
                const admin = new Client(b.namedPort(), layout.publicHost);
                const token = await admin.post("/api/v1/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
                if (token.status !== 200) throw new Error(`token-auth: ${token.status} ${token.body}`);
                admin.token = token.json().token;
                source = new Client(b.namedPort(), layout.publicHost);
                source.token = await sourceToken(admin, "v1", b, "django", "replica-monitor");

                const browser = new Client(a.namedPort(), layout.publicHost);
                const login = await browser.formLogin("/admin/login/", ADMIN.username, layout.adminPassword);
                if (login.status !== 302) throw new Error(`admin login: ${login.status}`);
                socket = await Socket.open(browser.port, layout.publicHost, "/ws/open/", browser.cookieHeader());
                socket.send({ action: "subscribe" });
                await socket.waitFor((m) => m.type === "subscribed", 10000);
            });

            it("receives an incident posted through the other Pod", async () => {
                const description = `posted through api-b ${Date.now()}`;
                const posted = await source.postIncident(description, 2, "replica=b");
                expect(posted.status, posted.body).to.equal(201);
                const event = await socket!.waitFor((m) => m.type === "created" && m.payload?.pk === posted.json().pk, 10000);
                expect(event.payload.description).to.equal(description);
            });
        });
    });
});
