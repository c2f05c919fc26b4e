/**
 * The backup before each migration, and docs/operations.md's restore ("Restoring the backup taken before a
 * migration"), on one database: incidents written by 2.9.1; the backup Job of 2.10.2 as the render gives it
 * (the release it replaces answered by the stack's own outputs, as render/mocks.ts does), run with a host folder
 * standing for its PersistentVolumeClaim; 2.10.2's migration Job failing half-way on a sabotaged database; then
 * the guide's restore command in a Pod made from the backup Job's own, and 2.9.1's migration Job and web Pod
 * serving the data again.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { newestServerVersion } from "../../releases/argus";
import { renderStack, stackProgramConfig } from "../../render";
import { RenderMocks } from "../../render/mocks";
import { makeDir } from "../shared/scratch";
import { Client } from "./client";
import { Pod } from "./pod";
import { Postgres, startPostgres } from "./services";
import { ADMIN, deploy, Layout, runMigrationJob, sourceToken, startPod } from "./layout";

/** The release the data is written with: the last one before 2.10 (upgrade.test.ts says why it is a stop). */
const OLD = "2.9.1";
/** No mail leaves: notifications point at a port nothing listens on. */
const NO_SMTP = 9;
/** The official postgres image's user (components/database/spec.ts postgresUid), which fsGroup gives the volume. */
const POSTGRES_UID = 999;
/** What turns the backup on for staging, with pg_dump of the major the suite's PostgreSQL runs (Debian's 15). */
const BACKUP_CONFIG = { "argus:backupBeforeMigration": "true", "argus:backupPostgresMajor": "15" };

describe(`A backup before ${newestServerVersion}'s migration, which fails half-way, restored as docs/operations.md says, and ${OLD} back`, () => {
    let pg: Postgres;
    let databaseUrl: string;
    let old: Layout;
    let next: Layout;
    let web: Pod | undefined;
    let claim: string;
    let backupJob: any;
    let dumpName = "";
    let migrationsBefore = 0;
    let madeMountPoint = false;
    const descriptions: string[] = [];
    const db = "argus_backup";

    /** The cluster of the new release, with the host folder standing for the backups' claim. */
    const cluster = () => ({ ...next.cluster, claims: { [backupJob.spec.template.spec.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim.claimName]: claim } });

    before(async () => {
        pg = await startPostgres();
        databaseUrl = await pg.createDatabase(db);
        // The volume as fsGroup leaves it: the postgres user's group owns it.
        claim = makeDir("backups-claim", 0o2770, { uid: POSTGRES_UID, gid: POSTGRES_UID });
        // The sandbox bind-mounts each volume onto its mountPath, which must exist.
        if (!fs.existsSync("/backups")) {
            fs.mkdirSync("/backups");
            madeMountPoint = true;
        }
    });

    after(async () => {
        await web?.stop();
        await pg?.proc.stop();
        if (madeMountPoint) fs.rmdirSync("/backups");
    });

    it(`${OLD}: migrates, and a source posts incidents the web Pod serves`, async () => {
        old = await deploy({ version: OLD, databaseUrl, smtpPort: NO_SMTP, extraConfig: BACKUP_CONFIG });
        const r = await runMigrationJob(old);
        expect(r.ok, r.output).to.equal(true);
        web = await startPod(old, "web", `web-${OLD}`);
        const admin = await login(web, old);
        const source = new Client(admin.port, old.publicHost);
        source.token = await sourceToken(admin, "v2", web, "web", "backup-monitor");
        for (const i of [1, 2]) {
            const description = `written by ${OLD} #${i}`;
            const posted = await source.post("/api/v2/incidents/", { start_time: new Date().toISOString(), end_time: "infinity", description, level: 2, tags: [{ tag: "host=backup.example.org" }] });
            expect(posted.status, posted.body).to.equal(201);
            descriptions.push(description);
        }
    });

    it(`${newestServerVersion}: the render's backup Job, which its migration Job waits for, dumps the database named after ${OLD}`, async () => {
        next = await deploy({ version: newestServerVersion, databaseUrl, smtpPort: NO_SMTP, adminPassword: old.adminPassword, extraConfig: BACKUP_CONFIG });
        // The stack's own last outputs say it runs 2.9.1 (render/mocks.ts answers the program's self StackReference).
        const config = stackProgramConfig("staging", { PULUMI_CONFIG: JSON.stringify({ "argus:argusVersion": newestServerVersion, ...BACKUP_CONFIG }) });
        const rendering = await renderStack("staging", config, undefined, new RenderMocks({ staging: { argusVersion: OLD } }));
        backupJob = rendering.objects.find((o) => o.kind === "Job" && (o.metadata.labels as Record<string, string> | undefined)?.["app.kubernetes.io/component"] === "backup");
        expect(backupJob, "a backup Job in the render").to.not.equal(undefined);
        const migration = rendering.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name.endsWith("-runtime-migrate"))!;
        const backup = rendering.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name.endsWith("-runtime-backup-job"))!;
        expect(migration.dependsOn ?? [], "the migration Job waits for the backup").to.include(`kubernetes:batch/v1:Job::${backup.name}`);

        const pod = await Pod.create("backup", backupJob, next.image, cluster());
        expect(pod.container("pg-dump").securityContext).to.deep.include({ runAsUser: POSTGRES_UID, runAsNonRoot: true, readOnlyRootFilesystem: true });
        const r = await pod.runToCompletion("pg-dump", 120000);
        expect(r.code, r.output).to.equal(0);
        dumpName = /wrote \/backups\/(\S+\.dump)/.exec(r.output)?.[1] ?? "";
        expect(dumpName).to.match(new RegExp(`^\\d{8}T\\d{6}Z-argus-${OLD.replace(/\./g, "\\.")}-before-${newestServerVersion.replace(/\./g, "\\.")}\\.dump$`));
        expect(fs.readFileSync(path.join(claim, dumpName)).subarray(0, 5).toString()).to.equal("PGDMP");
        expect(fs.readdirSync(claim).filter((f) => f.startsWith("."))).to.deep.equal([]);
    });

    it(`${newestServerVersion}: its migration Job fails half-way, after earlier migrations changed the schema`, async () => {
        migrationsBefore = Number(await pg.sql("SELECT count(*) FROM django_migrations", db));
        // versioncheck 0002 (2.10's, the last app in INSTALLED_APPS) creates this table: it now fails, after the
        // migrations of argus_incident (a heartbeat_frequency column) and argus_notificationprofile applied.
        await pg.sql(`CREATE TABLE versioncheck_pypiversion (id integer); ALTER TABLE versioncheck_pypiversion OWNER TO ${new URL(databaseUrl).username}`, db);
        const r = await runMigrationJob(next);
        expect(r.ok, r.output).to.equal(false);
        expect(r.output).to.match(/versioncheck_pypiversion" already exists/);
        expect(Number(await pg.sql("SELECT count(*) FROM django_migrations", db)), "migrations applied before the failure").to.be.greaterThan(migrationsBefore);
        expect(await pg.sql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'argus_incident_sourcesystem' AND column_name = 'heartbeat_frequency'", db)).to.equal("1");
    });

    it(`restores the dump with the guide's command, and ${OLD}'s migration Job and web Pod serve the data again`, async () => {
        // docs/operations.md stops everything that uses the database first.
        await web?.stop();
        web = undefined;
        const guide = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "operations.md"), "utf8");
        const script = /^\s*RESTORE='([^']+)'$/m.exec(guide)?.[1];
        expect(script, "the restore command in docs/operations.md").to.match(/^pg_restore --clean/);
        // What the guide's jq makes of the backup Job: its Pod, the container running the restore instead.
        const template = backupJob.spec.template;
        const restoreJob = {
            ...backupJob,
            spec: { ...backupJob.spec, template: { ...template, spec: { ...template.spec, containers: [{ ...template.spec.containers[0], name: "restore", command: ["bash", "-c", script, "restore", dumpName] }] } } },
        };
        const pod = await Pod.create("restore", restoreJob, next.image, cluster());
        const r = await pod.runToCompletion("restore", 120000);
        expect(r.code, r.output).to.equal(0);
        expect(Number(await pg.sql("SELECT count(*) FROM django_migrations", db))).to.equal(migrationsBefore);
        expect(await pg.sql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'argus_incident_sourcesystem' AND column_name = 'heartbeat_frequency'", db)).to.equal("0");

        const again = await runMigrationJob(old);
        expect(again.ok, again.output).to.equal(true);
        web = await startPod(old, "web", `web-${OLD}-restored`);
        const admin = await login(web, old);
        const list = await admin.get("/api/v2/incidents/?page_size=100");
        expect(list.status, list.body).to.equal(200);
        expect(list.json().results.map((i: { description: string }) => i.description).sort()).to.deep.equal([...descriptions].sort());
    });
});

/** The admin's API client on a 2.x web Pod. */
async function login(web: Pod, layout: Layout): Promise<Client> {
    const admin = new Client(web.namedPort(), layout.publicHost);
    const token = await admin.post("/api/v2/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
    expect(token.status, token.body).to.equal(200);
    admin.token = token.json().token;
    return admin;
}
