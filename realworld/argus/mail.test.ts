/**
 * Argus 2.x (the newest release) sending through a relay that requires STARTTLS and then a login, and a setting
 * no key covers: the stack's emailUseTls, emailHostUser and emailHostPassword (api Secret) get a notification
 * through db_worker to the sink, which takes no mail without TLS and AUTH; a wrong password leaves an error
 * naming the relay in the worker's log; a BANNER_MESSAGE set through extraSettings shows on the page.
 *
 * The sink's certificate is self-signed for 127.0.0.1: the Argus containers trust it through SSL_CERT_FILE
 * (OpenSSL's default verify paths, which ssl.create_default_context loads and Django's SMTP backend uses),
 * standing in for a relay whose certificate a public CA in the image signs.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { newestServerVersion } from "../../releases/argus";
import { Client } from "./client";
import { testSecret } from "../shared/redaction";
import { waitFor } from "../shared/wait";
import { pythonLayer } from "./image";
import { Pod } from "./pod";
import { Postgres, SmtpLogin, SmtpSink, startPostgres, startSmtpSink } from "./services";
import { ADMIN, deploy, deployment, Layout, pythonIn, runMigrationJob, runPod, SMTP_SINK, sourceToken } from "./layout";

const MAIL_WITHIN_MS = 60000;
const BANNER = "Maintenance on Friday from 16:00 (realworld)";

describe(`Argus ${newestServerVersion}: mail through a relay that requires STARTTLS and a login, and an extra setting`, () => {
    let pg: Postgres;
    let sink: SmtpSink;
    let layout: Layout;
    let login: SmtpLogin;
    const pods: Pod[] = [];
    let admin: Client;
    let source: Client;

    before(async () => {
        pg = await startPostgres();
        login = { user: "argus-relay@example.org", password: testSecret(), starttls: true };
        sink = await startSmtpSink(await pythonLayer(SMTP_SINK), login);
        layout = await deploy({
            version: newestServerVersion,
            databaseUrl: await pg.createDatabase("argus_mail"),
            smtpPort: sink.port,
            extraConfig: { "argus:emailUseTls": "true", "argus:emailHostUser": login.user, "argus:extraSettings": { BANNER_MESSAGE: BANNER } },
            secretConfig: { "argus:emailHostPassword": login.password },
            secretValues: { EMAIL_HOST_PASSWORD: login.password },
        });
        const migrated = await runMigrationJob(layout);
        if (!migrated.ok) throw new Error(migrated.output);
    });

    after(async () => {
        for (const pod of pods) await pod.stop();
        await sink?.proc.stop();
        await pg?.proc.stop();
        if (sink?.certificate) fs.rmSync(path.dirname(sink.certificate), { recursive: true, force: true });
    });

    /**
     * A Pod of the Deployment, started as the kubelet would, with the cluster's Secret values changed as given; its
     * settings carry SSL_CERT_FILE, the sink's certificate (see above).
     */
    async function start(component: string, name: string, secrets: Record<string, string> = {}): Promise<Pod> {
        const configMaps = Object.fromEntries(Object.entries(layout.cluster.configMaps).map(([n, data]) => [n, "ARGUS_PUBLIC_HOSTS" in data ? { ...data, SSL_CERT_FILE: sink.certificate! } : data]));
        const pod = await Pod.create(name, deployment(layout, component), layout.image, { ...layout.cluster, configMaps, secrets: { ...layout.cluster.secrets, ...secrets } });
        pods.push(pod);
        await runPod(pod);
        return pod;
    }

    /** Posts an open incident from the source; resolves with its description. */
    async function postIncident(what: string): Promise<string> {
        const description = `${what} ${Date.now()}`;
        const posted = await source.post("/api/v2/incidents/", { start_time: new Date().toISOString(), end_time: "infinity", description, level: 1, tags: [] });
        expect(posted.status, posted.body).to.equal(201);
        return description;
    }

    it("renders the password into the api Secret only, and the user and the banner into the settings ConfigMap", () => {
        const settings = Object.values(layout.cluster.configMaps).find((d) => "ARGUS_PUBLIC_HOSTS" in d)!;
        expect(settings).to.include({ EMAIL_HOST_USER: login.user, EMAIL_USE_TLS: "1", ARGUS_EXTRA_SETTING_BANNER_MESSAGE: BANNER });
        expect(JSON.stringify(layout.cluster.configMaps)).to.not.include(login.password);
        expect(layout.cluster.secrets.EMAIL_HOST_PASSWORD).to.equal(login.password);
        const worker = deployment(layout, "worker").spec.template.spec.containers.find((c: { name: string }) => c.name === "worker");
        expect(worker.env.find((e: { name: string }) => e.name === "EMAIL_HOST_PASSWORD")?.valueFrom?.secretKeyRef?.key).to.equal("EMAIL_HOST_PASSWORD");
    });

    it("shows the banner message set through extraSettings on the page of a logged-in user", async () => {
        const web = await start("web", "web");
        admin = new Client(web.namedPort(), layout.publicHost);
        const token = await admin.post("/api/v2/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
        expect(token.status, token.body).to.equal(200);
        admin.token = token.json().token;
        const browser = new Client(admin.port, layout.publicHost);
        expect((await browser.formLogin("/accounts/login/", ADMIN.username, layout.adminPassword)).status).to.equal(302);
        const page = await browser.get("/incidents/");
        expect(page.status).to.equal(200);
        expect(page.body).to.include(BANNER);

        source = new Client(admin.port, layout.publicHost);
        source.token = await sourceToken(admin, "v2", web, "web", "mail-monitor");
        const sourcePk = Number(await pg.sql("SELECT id FROM argus_incident_sourcesystem WHERE name = 'mail-monitor'", "argus_mail"));
        const timeslots = (await admin.get("/api/v2/notificationprofiles/timeslots/")).json();
        const destinations = (await admin.get("/api/v2/notificationprofiles/destinations/")).json();
        const email = destinations.find((d: { settings: { email_address?: string } }) => d.settings?.email_address === ADMIN.email);
        const filter = await admin.post("/api/v2/notificationprofiles/filters/", { name: "mail source", filter: { sourceSystemIds: [sourcePk] } });
        const profile = await admin.post("/api/v2/notificationprofiles/", { name: "mail", timeslot: timeslots[0].pk, filters: [filter.json().pk], destinations: [email.pk], active: true });
        expect(profile.status, profile.body).to.equal(201);
    });

    it("delivers a notification through the relay, over STARTTLS and logged in with the stack's user and password", async () => {
        const worker = await start("worker", "worker");
        const before = sink.messages().length;
        const description = await postIncident("mail through an authenticated relay");
        await waitFor(() => sink.messages().length > before, MAIL_WITHIN_MS, () => `no mail within ${MAIL_WITHIN_MS} ms; worker log:\n${worker.containers.get("worker")?.log().slice(-3000)}\nsink log:\n${sink.proc.log().slice(-2000)}`, 500);
        const mail = sink.messages()[before];
        expect(mail).to.include(`X-Sink-Rcpt-To: ${ADMIN.email}`);
        expect(mail).to.include(description);
        expect(sink.proc.log()).to.match(/AUTH (PLAIN|LOGIN) over TLS: accepted/);
        await worker.stop();
    });

    it("gives the worker a 30 s EMAIL_TIMEOUT (Django leaves it unset: a relay that never answers would hold a task worker)", async () => {
        const worker = pods.find((p) => p.spec.containers.some((c: { name: string }) => c.name === "worker"));
        expect(worker, "a worker Pod of an earlier test").to.not.equal(undefined);
        const r = await pythonIn(worker!, "worker", "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_TIMEOUT)");
        expect(r.code, r.output).to.equal(0);
        expect(r.lastLine).to.equal("30");
    });

    it("with a wrong password, sends nothing and logs an error in the worker naming the relay, host and port", async () => {
        const worker = await start("worker", "worker-wrong-password", { EMAIL_HOST_PASSWORD: testSecret() });
        const before = sink.messages().length;
        await postIncident("mail with a wrong relay password");
        const relay = new RegExp(`Mail relay 127\\.0\\.0\\.1:${sink.port} \\(STARTTLS, as ${login.user.replace(/\./g, "\\.")}\\) refused the mail: SMTPAuthenticationError`);
        const log = () => worker.containers.get("worker")?.log() ?? "";
        await waitFor(() => relay.test(log()), MAIL_WITHIN_MS, () => `no error naming the relay within ${MAIL_WITHIN_MS} ms; worker log:\n${log().slice(-3000)}`, 500);
        expect(sink.proc.log()).to.match(/AUTH (PLAIN|LOGIN) over TLS: refused/);
        expect(sink.messages().length).to.equal(before);
    });
});
