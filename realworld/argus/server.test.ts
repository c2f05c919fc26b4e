/**
 * Argus 2.x at the newest supported release, the server layout: the migration Job, the web and worker
 * Deployments with the render's commands, environment and probes, API v2 and the login page, a mail the
 * task worker delivers to the SMTP sink, and every CronJob's command once.
 */
import { expect } from "chai";
import { newestServerVersion } from "../../releases/argus";
import { Client } from "./client";
import { testSecret } from "../shared/redaction";
import { waitFor } from "../shared/wait";
import { pythonLayer } from "./image";
import { Pod } from "./pod";
import { Postgres, SmtpSink, startPostgres, startSmtpSink } from "./services";
import { stats } from "./stats";
import { ADMIN, cronJobs, deploy, deployment, Layout, runCronJob, runMigrationJob, SMTP_SINK, sourceToken } from "./layout";

/** How long db_worker may take to deliver a notification. */
const MAIL_WITHIN_MS = 60000;

describe(`Argus ${newestServerVersion} (2.x layout) from the staging render`, () => {
    let pg: Postgres;
    let sink: SmtpSink;
    let layout: Layout;
    let web: Pod;
    let worker: Pod;
    let admin: Client;

    before(async () => {
        pg = await startPostgres();
        sink = await startSmtpSink(await pythonLayer(SMTP_SINK));
        // A password that starts with "-", which argparse would take for an option if it were a separate argument.
        layout = await deploy({ version: newestServerVersion, databaseUrl: await pg.createDatabase("argus_server"), smtpPort: sink.port, adminPassword: `-${testSecret()}` });
    });

    after(async () => {
        await web?.stop();
        await worker?.stop();
        await sink?.proc.stop();
        await pg?.proc.stop();
    });

    it("builds the image's Python layer from the render's build arguments (psycopg 3 included)", () => {
        expect(layout.image.requirements).to.include(`argus-server==${newestServerVersion}`);
        expect(layout.image.requirements.some((r) => r.startsWith("psycopg"))).to.equal(true);
        expect(layout.image.env.ARGUS_UPSTREAM_SETTINGS).to.equal("argus.site.settings.prod");
    });

    it("runs the migration Job to completion: migrate, then initial_setup with the first admin", async () => {
        const r = await runMigrationJob(layout);
        expect(r.ok, r.output).to.equal(true);
        expect(await pg.sql(`SELECT is_superuser, email FROM argus_auth_user WHERE username = '${ADMIN.username}'`, "argus_server")).to.equal(`t|${ADMIN.email}`);
    });

    it("starts the web and worker Deployments' containers (after the worker's init container), and every declared probe passes", async () => {
        web = await Pod.create("web", deployment(layout, "web"), layout.image, layout.cluster);
        worker = await Pod.create("worker", deployment(layout, "worker"), layout.image, layout.cluster);
        for (const pod of [web, worker]) {
            await pod.runInitContainers();
            for (const c of pod.spec.containers) pod.start(c.name);
        }
        for (const pod of [web, worker]) {
            for (const c of pod.spec.containers) {
                await pod.waitReady(c.name);
                for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"] as const) {
                    if (c[kind]) {
                        const r = await pod.probe(c.name, kind);
                        expect(r.ok, `${pod.name}/${c.name} ${kind}: ${r.detail}`).to.equal(true);
                    }
                }
            }
        }
    });

    it("answers the login page and API v2 on the public host", async () => {
        admin = new Client(web.namedPort(), layout.publicHost);
        const login = await admin.get("/accounts/login/");
        expect(login.status, login.body.slice(0, 300)).to.equal(200);
        expect(login.body).to.match(/csrfmiddlewaretoken/);
        expect((await admin.get("/api/v2/incidents/")).status).to.equal(401);
        const token = await admin.post("/api/v2/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
        expect(token.status, token.body).to.equal(200);
        admin.token = token.json().token;
        const incidents = await admin.get("/api/v2/incidents/");
        expect(incidents.status, incidents.body).to.equal(200);
        const browser = new Client(admin.port, layout.publicHost);
        const session = await browser.formLogin("/accounts/login/", ADMIN.username, layout.adminPassword);
        expect(session.status, session.body.slice(0, 300)).to.equal(302);
        expect((await browser.get("/incidents/")).status).to.equal(200);
    });

    it("mails the admin's email destination through db_worker when a source system posts an incident", async () => {
        const sourceClient = new Client(admin.port, layout.publicHost);
        sourceClient.token = await sourceToken(admin, "v2", web, "web", "realworld-monitor");
        const sourcePk = Number(await pg.sql("SELECT id FROM argus_incident_sourcesystem WHERE name = 'realworld-monitor'", "argus_server"));

        const timeslots = (await admin.get("/api/v2/notificationprofiles/timeslots/")).json();
        const destinations = (await admin.get("/api/v2/notificationprofiles/destinations/")).json();
        const email = destinations.find((d: { settings: { email_address?: string } }) => d.settings?.email_address === ADMIN.email);
        expect(email, JSON.stringify(destinations)).to.not.equal(undefined);
        const filter = await admin.post("/api/v2/notificationprofiles/filters/", { name: "realworld source", filter: { sourceSystemIds: [sourcePk] } });
        expect(filter.status, filter.body).to.equal(201);
        const profile = await admin.post("/api/v2/notificationprofiles/", { name: "realworld", timeslot: timeslots[0].pk, filters: [filter.json().pk], destinations: [email.pk], active: true });
        expect(profile.status, profile.body).to.equal(201);

        const before = sink.messages().length;
        const description = `realworld incident ${Date.now()}`;
        // An open incident (end_time "infinity"): its mail says "Still open" (src/argus/notificationprofile/media/email.py
        // at 2.10.2); at 2.9.1 the same mail failed with OverflowError (realworld/argus/README.md).
        const posted = await sourceClient.post("/api/v2/incidents/", { start_time: new Date().toISOString(), end_time: "infinity", description, level: 1, tags: [{ tag: "host=realworld.example.org" }] });
        expect(posted.status, posted.body).to.equal(201);
        await waitFor(() => sink.messages().length > before, MAIL_WITHIN_MS, () => `no mail within ${MAIL_WITHIN_MS} ms; worker log:\n${worker.containers.get("worker")?.log().slice(-3000)}`, 500);
        const mail = sink.messages()[before];
        stats.mails++;
        expect(mail).to.include(`X-Sink-Rcpt-To: ${ADMIN.email}`);
        expect(mail).to.include(description);
        expect(mail).to.include("Still open");
    });

    it("fails the worker's liveness when it stops taking tasks, and passes again once it takes them", async () => {
        await worker.stopContainer("worker");
        const source = new Client(admin.port, layout.publicHost);
        source.token = await sourceToken(admin, "v2", web, "web", "liveness-monitor");
        const posted = await source.post("/api/v2/incidents/", { start_time: new Date().toISOString(), end_time: null, description: "while the worker is stopped", level: 1, tags: [] });
        expect(posted.status, posted.body).to.equal(201);
        const waiting = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'";
        expect(Number(await pg.sql(waiting, "argus_server")), "tasks enqueued while the worker is stopped").to.be.greaterThan(0);
        expect((await worker.probe("worker", "livenessProbe")).ok, "alive: nothing has waited 10 minutes yet").to.equal(true);
        // Ten minutes pass for the queue: the tasks were enqueued (and due) eleven minutes ago.
        await pg.sql("UPDATE django_tasks_database_dbtaskresult SET enqueued_at = enqueued_at - interval '11 minutes' WHERE status = 'READY'", "argus_server");
        const stuck = await worker.probe("worker", "livenessProbe");
        expect(stuck.ok, stuck.detail).to.equal(false);
        expect(stuck.detail).to.match(/task\(s\) due for more than 600 s and not picked up/);
        worker.start("worker");
        await waitFor(async () => Number(await pg.sql(waiting, "argus_server")) === 0, MAIL_WITHIN_MS, () => worker.containers.get("worker")!.log().slice(-3000), 500);
        const alive = await worker.probe("worker", "livenessProbe");
        expect(alive.ok, alive.detail).to.equal(true);
    });

    it("runs each CronJob's command once, exiting 0", async () => {
        const jobs = cronJobs(layout);
        expect(jobs.length).to.be.greaterThan(0);
        for (const job of jobs) {
            const r = await runCronJob(layout, job);
            expect(r.code, `${job.metadata.name}: ${r.argv.join(" ")}\n${r.output}`).to.equal(0);
        }
    });

    it("opens an incident for a source whose heartbeats stop, and closes it when they resume (the heartbeats CronJob)", async () => {
        const heartbeats = cronJobs(layout).find((j: any) => JSON.stringify(j.spec.jobTemplate.spec.template.spec.containers[0].args).includes("sync_heartbeat_incidents"));
        expect(heartbeats, "a CronJob runs sync_heartbeat_incidents").to.not.equal(undefined);
        const source = new Client(admin.port, layout.publicHost);
        source.token = await sourceToken(admin, "v2", web, "web", "heartbeat-monitor");
        expect((await source.post("/api/v2/incidents/sources/heartbeat/", {})).status).to.equal(204);
        // An operator expects a heartbeat every minute (the admin's field; the API has none); the last one
        // came five minutes ago: the source stopped.
        await pg.sql("UPDATE argus_incident_sourcesystem SET heartbeat_frequency = interval '60 seconds', last_seen = now() - interval '5 minutes' WHERE name = 'heartbeat-monitor'", "argus_server");
        // src/argus/incident/heartbeat_utils.py at 2.10.2: "Missing heartbeat from source {source}, dead?", a source as "name (type)".
        const missing = "Missing heartbeat from source heartbeat-monitor (argus), dead?";
        const stopped = await runCronJob(layout, heartbeats);
        expect(stopped.code, stopped.output).to.equal(0);
        expect(stopped.output).to.match(/Heartbeat incidents: Created: 1, Closed: 0/);
        const opened = (await admin.get("/api/v2/incidents/?page_size=100")).json().results.filter((i: any) => i.description === missing);
        expect(opened.map((i: any) => i.open)).to.deep.equal([true]);

        expect((await source.post("/api/v2/incidents/sources/heartbeat/", {})).status).to.equal(204);
        const resumed = await runCronJob(layout, heartbeats);
        expect(resumed.code, resumed.output).to.equal(0);
        expect(resumed.output).to.match(/Heartbeat incidents: Created: 0, Closed: 1/);
        const closed = await admin.get(`/api/v2/incidents/${opened[0].pk}/`);
        expect(closed.json().open, closed.body).to.equal(false);
    });

    it("opens an incident for a source whose API token is about to expire, and closes it once the token is renewed (the token-expiry CronJob)", async () => {
        const check = cronJobs(layout).find((j: any) => JSON.stringify(j.spec.jobTemplate.spec.template.spec.containers[0].args).includes("check_token_expiry"));
        expect(check, "a CronJob runs check_token_expiry").to.not.equal(undefined);
        const source = new Client(admin.port, layout.publicHost);
        source.token = await sourceToken(admin, "v2", web, "web", "expiring-monitor");
        // Tokens live AUTH_TOKEN_EXPIRES_AFTER_DAYS (authTokenExpiresAfterDays, 180 by default); this one was made 177
        // days ago, so it expires in 3 days, inside the CronJob's --days 7.
        await pg.sql("UPDATE authtoken_token SET created = now() - interval '177 days' WHERE key = '" + source.token + "'", "argus_server");
        // create_token_expiry_incident (src/argus/incident/factories.py in the 2.10.2 wheel): "Token for source system
        // <source> will expire on <date>", a source as "name (type)".
        const expiring = /^Token for source system expiring-monitor \(argus\) will expire on \d{4}-\d{2}-\d{2}$/;
        const soon = await runCronJob(layout, check);
        expect(soon.code, soon.output).to.equal(0);
        const opened = (await admin.get("/api/v2/incidents/?page_size=100")).json().results.filter((i: any) => expiring.test(i.description));
        expect(opened.map((i: any) => [i.open, i.level]), "one open incident of level 2").to.deep.equal([[true, 2]]);
        const again = await runCronJob(layout, check);
        expect(again.code, again.output).to.equal(0);
        expect((await admin.get("/api/v2/incidents/?page_size=100")).json().results.filter((i: any) => expiring.test(i.description)), "no second incident").to.have.length(1);

        await pg.sql("UPDATE authtoken_token SET created = now() WHERE key = '" + source.token + "'", "argus_server");
        const renewed = await runCronJob(layout, check);
        expect(renewed.code, renewed.output).to.equal(0);
        const closed = await admin.get(`/api/v2/incidents/${opened[0].pk}/`);
        expect(closed.json().open, closed.body).to.equal(false);
    });

    it("fails the web's readiness and liveness once gunicorn is stopped (its startup probe checks the database)", async () => {
        await web.stopContainer("web");
        for (const kind of ["readinessProbe", "livenessProbe"] as const) {
            const r = await web.probe("web", kind);
            expect(r.ok, r.detail).to.equal(false);
        }
    });
});
