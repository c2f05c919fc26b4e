/**
 * Argus 1.x at the default release (1.37.0), the seed's layout: the migration Job, then the api Pod's four
 * containers (gunicorn, daphne, nginx, redis) with the render's commands, environment and probes, and the
 * API v1 and websocket behaviour the React webui relies on, through the api nginx with the rendered config.
 */
import { expect } from "chai";
import * as fs from "fs";
import { defaultArgusVersion } from "../../releases/argus";
import { Answer, BrowserCookie, Client, cookieHeaderFor, Socket } from "./client";
import { pythonLayer } from "./image";
import { Pod } from "./pod";
import { runToEnd } from "./sandbox";
import { Postgres, SmtpSink, startPostgres, startSmtpSink } from "./services";
import { ADMIN, clusterWithApiService, deploy, deployment, Layout, pythonIn, runMigrationJob, runPod, SMTP_SINK, sourceToken } from "./layout";
import { one } from "./render";

describe(`Argus ${defaultArgusVersion} (1.x layout) from the staging render`, () => {
    let pg: Postgres;
    let sink: SmtpSink;
    let layout: Layout;
    let migration: { ok: boolean; output: string };
    let api: Pod;

    before(async () => {
        pg = await startPostgres();
        sink = await startSmtpSink(await pythonLayer(SMTP_SINK));
        layout = await deploy({ version: defaultArgusVersion, databaseUrl: await pg.createDatabase("argus_spa"), smtpPort: sink.port });
        migration = await runMigrationJob(layout);
    });

    after(async () => {
        await api?.stop();
        await sink?.proc.stop();
        await pg?.proc.stop();
    });

    it("builds the image's Python layer from the render's build arguments", () => {
        expect(layout.image.requirements).to.include(`argus-server[spa]==${defaultArgusVersion}`);
        expect(layout.image.env.DJANGO_SETTINGS_MODULE).to.equal("argus_site.settings");
        expect(layout.image.env.ARGUS_UPSTREAM_SETTINGS).to.equal("argus.spa.settings");
    });

    it("runs the migration Job to completion: migrate, then initial_setup with the first admin", async () => {
        expect(migration.ok, migration.output).to.equal(true);
        expect(await pg.sql(`SELECT is_superuser, email FROM argus_auth_user WHERE username = '${ADMIN.username}'`, "argus_spa")).to.equal(`t|${ADMIN.email}`);
    });

    describe("the api Pod", () => {
        before(async () => {
            if (!migration.ok) throw new Error("the migration Job failed (its test shows why): no api Pod on an unmigrated database");
            api = await Pod.create("api", deployment(layout, "api"), layout.image, layout.cluster);
            await api.runInitContainers();
            for (const c of api.spec.containers) api.start(c.name);
            for (const c of api.spec.containers) await api.waitReady(c.name);
        });

        it("passes every declared probe of every api container, each started with its own command and environment", async () => {
            for (const c of api.spec.containers) {
                for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"] as const) {
                    if (c[kind]) {
                        const r = await api.probe(c.name, kind);
                        expect(r.ok, `${c.name} ${kind}: ${r.detail}`).to.equal(true);
                    }
                }
            }
        });

        it("keeps gunicorn's database connections (databaseConnMaxAge, with health checks) and not daphne's, which Django says to close under ASGI", async () => {
            const connection = "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])";
            const django = await pythonIn(api, "django", `import django; django.setup(); ${connection}`);
            expect(django.code, django.output).to.equal(0);
            expect(django.lastLine).to.equal("60 True");
            // As daphne loads it: the ASGI application's module first, the one the container's command names.
            const asgiModule = api.argv(api.container("websockets")).at(-1)!.split(":")[0];
            const daphne = await pythonIn(api, "websockets", `import ${asgiModule}; ${connection}`);
            expect(daphne.code, daphne.output).to.equal(0);
            expect(daphne.lastLine).to.equal("0 True");
        });

        it("runs as the image's unprivileged uid: the app and the Python layer are read-only to it, /tmp is its emptyDir", async () => {
            const c = api.container("django");
            const script = [
                "import os",
                "print(os.getuid(), os.getgid())",
                "for p in ('/app/x', '/app/static/x', '/opt/argus-deploy/venv/x', '/x'):",
                "    try: open(p, 'w'); print('writable', p)",
                "    except OSError: pass",
                "open('/tmp/x', 'w').write('ok'); print('tmp ok')",
            ].join("\n");
            const r = await runToEnd("uid-check", api.sandbox(c), ["python", "-c", script], 30000);
            expect(r.code, r.output).to.equal(0);
            expect(r.output).to.equal(`${c.securityContext.runAsUser} ${c.securityContext.runAsGroup}\ntmp ok\n`);
        });

        describe("API v1 and websockets through the api nginx", () => {
            let admin: Client;
            let tokenAuth: Answer;
            let socket: Socket | undefined;
            before(async () => {
                admin = new Client(api.namedPort(), layout.publicHost);
                tokenAuth = await admin.post("/api/v1/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
                if (tokenAuth.status === 200) admin.token = tokenAuth.json().token;
            });
            after(() => socket?.close());

            it("gives the admin a token (API v1 token-auth)", async () => {
                expect(tokenAuth.status, tokenAuth.body).to.equal(200);
                const me = await admin.get("/api/v1/auth/user/");
                expect(me.status, me.body).to.equal(200);
                expect(me.json().username).to.equal(ADMIN.username);
            });

            it("lets a source system with its own token post an incident that reads back, and pushes it to a websocket client on /ws/open/", async () => {
                const types = await admin.get("/api/v1/incidents/source-types/");
                expect(types.status, types.body).to.equal(200);
                const source = await admin.post("/api/v1/incidents/sources/", { name: "realworld-monitor", type: "argus" });
                expect(source.status, source.body).to.equal(201);
                const sourceUser = await admin.get(`/api/v1/auth/users/${source.json().user}/`);
                expect(sourceUser.status, sourceUser.body).to.equal(200);
                // As an operator would (kubectl exec into the django container): DRF's own command makes the token.
                const made = await runToEnd("drf_create_token", api.sandbox(api.container("django")), ["django-admin", "drf_create_token", sourceUser.json().username], 60000);
                expect(made.code, made.output).to.equal(0);
                const sourceClient = new Client(admin.port, layout.publicHost);
                sourceClient.token = /Generated token (\w+)/.exec(made.output)![1];

                // The webui opens `${backendWSUrl}/open/`, backendWSUrl being wss://<api host>/ws; the browser has the
                // session cookie of a login.
                const browser = new Client(admin.port, layout.publicHost);
                const login = await browser.formLogin("/admin/login/", ADMIN.username, layout.adminPassword);
                expect(login.status, login.body.slice(0, 500)).to.equal(302);
                socket = await Socket.open(admin.port, layout.publicHost, "/ws/open/", browser.cookieHeader());
                socket.send({ action: "subscribe" });
                await socket.waitFor((m) => m.type === "subscribed", 10000);

                const description = `realworld incident ${Date.now()}`;
                const posted = await sourceClient.postIncident(description, 2, "host=realworld.example.org");
                expect(posted.status, posted.body).to.equal(201);
                const pk = posted.json().pk;
                const read = await admin.get(`/api/v1/incidents/${pk}/`);
                expect(read.status, read.body).to.equal(200);
                expect(read.json()).to.include({ description, level: 2 });
                expect(read.json().source.name).to.equal("realworld-monitor");

                const event = await socket.waitFor((m) => m.type === "created" && m.payload?.pk === pk, 10000);
                expect(event.payload.description).to.equal(description);
            });
        });

        describe("a password login's live updates, as Argus-frontend v1.14.1 gets them through the webui nginx", () => {
            let webui: Pod;
            let runtime: { backendWSUrl: string; cookieDomain: string };
            let socket: Socket | undefined;
            let passwordToken = "";
            const webuiHost = () => one(layout.rendering, "Ingress", "webui").spec.rules[0].host as string;
            before(async () => {
                // The webui Pod as rendered (its nginx.conf from the ConfigMap), its api Service standing for the api Pod's nginx.
                webui = await Pod.create("webui", deployment(layout, "webui"), layout.image, clusterWithApiService(layout, api));
                await runPod(webui);
                runtime = JSON.parse(one(layout.rendering, "ConfigMap", "webui").data["runtime-config.json"]);
            });
            after(async () => {
                socket?.close();
                await webui?.stop();
            });

            it("opens backendWSUrl/open/ with the host-only token cookie of the webui host, and an incident posted through the API arrives on it", async () => {
                const host = webuiHost();
                // Login.tsx's onSubmit: api.userpassAuth, a POST /api/v1/token-auth/ from the webui's page (axios, no credentials).
                const page = new Client(api.namedPort(), layout.publicHost);
                const login = await page.request("POST", "/api/v1/token-auth/", { username: ADMIN.username, password: layout.adminPassword }, { Origin: `https://${host}` });
                expect(login.status, login.body).to.equal(200);
                expect(login.headers["set-cookie"], "token-auth sets no cookie: a password login makes no session").to.equal(undefined);
                passwordToken = login.json().token;
                // auth.tsx: cookies.set("token", token, { path: "/", secure }): no Domain, so host-only on the webui host.
                const jar: BrowserCookie[] = [{ name: "token", value: login.json().token, domain: host, hostOnly: true }];
                // RealtimeService.connect: new WebSocket(`${backendWSUrl}/open/`), nothing but the cookies the browser adds.
                // The ingress: the webui host to the webui Pod's nginx, the api host to the api Pod's.
                const url = new URL(`${runtime.backendWSUrl}/open/`);
                const ingress: Record<string, number> = { [host]: webui.namedPort(), [layout.publicHost]: api.namedPort() };
                socket = await Socket.open(ingress[url.host], url.host, url.pathname, cookieHeaderFor(url.host, jar), `https://${host}`);
                socket.send({ action: "subscribe" });
                await socket.waitFor((m) => m.type === "subscribed", 10000);

                page.token = login.json().token;
                const source = new Client(page.port, layout.publicHost);
                source.token = await sourceToken(page, "v1", api, "django", "realworld-password-login");
                const description = `password login live update ${Date.now()}`;
                const posted = await source.postIncident(description, 3, "host=password-login.example.org");
                expect(posted.status, posted.body).to.equal(201);
                const event = await socket.waitFor((m) => m.type === "created" && m.payload?.pk === posted.json().pk, 10000);
                expect(event.payload.description).to.equal(description);
            });

            it("opens it with a Feide login's token cookie too: Domain=ARGUS_SPA_COOKIE_DOMAIN, as the api's login_wrapper sets it", async () => {
                const host = webuiHost();
                const settings = Object.values(layout.cluster.configMaps).find((d) => "ARGUS_SPA_COOKIE_DOMAIN" in d)!;
                // src/argus/spa/views.py at v1.37.0: response.set_cookie("token", token.key, domain=settings.SPA_COOKIE_DOMAIN),
                // the user's DRF token (get_or_create: the one the password login made, here).
                const jar: BrowserCookie[] = [{ name: "token", value: passwordToken, domain: settings.ARGUS_SPA_COOKIE_DOMAIN, hostOnly: false }];
                const url = new URL(`${runtime.backendWSUrl}/open/`);
                const feide = await Socket.open(webui.namedPort(), url.host, url.pathname, cookieHeaderFor(url.host, jar), `https://${host}`);
                try {
                    feide.send({ action: "subscribe" });
                    await feide.waitFor((m) => m.type === "subscribed", 10000);
                } finally {
                    feide.close();
                }
            });

            it("refuses at once (403, not a 502 after daphne's timeout) a websocket with no valid token or from another origin, and the nginx logs say so", async () => {
                const host = webuiHost();
                const port = webui.namedPort();
                const started = Date.now();
                const refusals: [string, string?][] = [
                    [""], // what the api host got before: no cookie of the webui host reaches it
                    ["token=0000000000000000000000000000000000000000"],
                    [`token=${passwordToken}`, "https://evil.example.com"], // a valid cookie, sent by another site's page
                ];
                for (const [cookie, origin] of refusals) {
                    const err = await Socket.open(port, host, "/ws/open/", cookie, origin).then(() => undefined, (e: Error) => e);
                    expect(err?.message, `${cookie || "no cookie"} from ${origin ?? "the webui"}`).to.equal("websocket upgrade refused: 403");
                }
                expect(Date.now() - started).to.be.below(4000);
                await new Promise((r) => setTimeout(r, 300));
                expect(fs.readFileSync(webui.logFile("webui"), "utf8")).to.match(/websocket handshake failed: status=403 upstream_status=403 host=\S+ uri=\/ws\/open\/ origin="https:\/\/evil\.example\.com"/);
                expect(fs.readFileSync(api.logFile("websockets"), "utf8")).to.contain("websocket refused (403): token cookie not valid");
            });
        });

        describe("a probe fails when its process is stopped", () => {
            for (const name of ["websockets", "django", "redis", "nginx"]) {
                it(`${name}`, async () => {
                    await api.stopContainer(name);
                    const r = await api.probe(name, "readinessProbe");
                    expect(r.ok, r.detail).to.equal(false);
                });
            }
        });
    });
});
