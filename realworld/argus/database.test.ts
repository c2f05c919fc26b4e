/**
 * A review app's own PostgreSQL, from a review stack's render: the official postgres image's container run with
 * Debian's PostgreSQL 15 (same major version; the harness redoes the image's entrypoint), its readiness probe,
 * then the migration Job of the default release migrating against it through the Service the program names in
 * DATABASE_URL. A restart of the container keeps the data (an emptyDir outlives its container, not its Pod).
 */
import { expect } from "chai";
import { defaultArgusVersion } from "../../releases/argus";
import { Pod } from "./pod";
import { runToEnd } from "./sandbox";
import { ADMIN, deploy, deployment, Layout, runMigrationJob } from "./layout";
import { one } from "./render";

describe(`A review app's own PostgreSQL (review-db, Argus ${defaultArgusVersion})`, () => {
    let layout: Layout;
    let database: Pod;

    before(async () => {
        layout = await deploy({ version: defaultArgusVersion, stack: "review-db", smtpPort: 9 });
    });

    after(async () => {
        await database?.stop();
    });

    /** SQL as the app's role, over TCP with its password, from inside the database's container. */
    async function sql(statement: string): Promise<string> {
        const c = database.container("postgres");
        const sandbox = database.sandbox(c);
        const env = { ...sandbox.env, PGPASSWORD: sandbox.env.POSTGRES_PASSWORD };
        const argv = database.argv(c, ["psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", "5432", "-U", "argus", "-d", "argus", "-c", statement]);
        const r = await runToEnd("psql", { ...sandbox, env }, argv, 30000);
        if (r.code !== 0) throw new Error(`psql: ${r.output}`);
        return r.output.trim();
    }

    it("starts the rendered postgres container as the image's uid 999 and passes its readiness probe", async () => {
        database = await Pod.create("database", deployment(layout, "database"), layout.image, layout.cluster);
        const postgres = database.container("postgres");
        expect(postgres.securityContext).to.deep.include({ runAsUser: 999, readOnlyRootFilesystem: true });
        database.start("postgres");
        await database.waitReady("postgres", 60000);
        expect(database.containers.get("postgres")!.log()).to.include("PostgreSQL init process complete");
    });

    it("migrates Argus through the Service and password the program puts into DATABASE_URL", async () => {
        const service = one(layout.rendering, "Service", "database");
        const port = service.spec.ports[0].port;
        const withDatabase: Layout = { ...layout, cluster: { ...layout.cluster, services: { [`${service.metadata.name}:${port}`]: `127.0.0.1:${database.ports.get(5432)}` } } };
        const r = await runMigrationJob(withDatabase);
        expect(r.ok, r.output).to.equal(true);
        expect(await sql(`SELECT is_superuser FROM argus_auth_user WHERE username = '${ADMIN.username}'`)).to.equal("t");
    });

    it("keeps the data when the container restarts, and fails its probe while it is stopped", async () => {
        await database.stopContainer("postgres");
        const stopped = await database.probe("postgres", "readinessProbe");
        expect(stopped.ok, stopped.detail).to.equal(false);
        database.start("postgres");
        await database.waitReady("postgres", 60000);
        expect(database.containers.get("postgres")!.log()).to.include("Skipping initialization");
        expect(Number(await sql("SELECT count(*) FROM django_migrations"))).to.be.greaterThan(0);
    });
});
