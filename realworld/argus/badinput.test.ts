/**
 * Bad input at run time: a wrong database password, or a database nobody listens for. The migration Job must
 * fail with Argus' (Django's) own error in its log, leave nothing half-migrated, and the web never become
 * ready: the render makes every Deployment wait for the Job, and a Pod started anyway fails its startup probe.
 */
import { expect } from "chai";
import { defaultArgusVersion, newestServerVersion } from "../../releases/argus";
import { freePort } from "../shared/ports";
import { testSecret } from "../shared/redaction";
import { sleep } from "../shared/wait";
import { Pod } from "./pod";
import { Postgres, startPostgres } from "./services";
import { deploy, deployment, Layout, runMigrationJob } from "./layout";

/** How long a Pod started against a broken database is watched. */
const WATCH_MS = 8000;

describe("Bad database settings at run time", () => {
    let pg: Postgres;
    const pods: Pod[] = [];

    before(async () => {
        pg = await startPostgres();
    });

    after(async () => {
        await Promise.all(pods.map((p) => p.stop()));
        await pg?.proc.stop();
    });

    async function tables(db: string): Promise<number> {
        return Number(await pg.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", db));
    }

    /** Deployments running the Argus image (not the webui's or redis' stock images) that do not wait for the migration Job. */
    function notWaitingForMigration(layout: Layout): string[] {
        type Resource = { type: string; name: string; dependsOn?: string[]; inputs: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
        const resources = layout.rendering.resources as Resource[];
        const job = resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name.endsWith("-migrate"))!;
        const image = JSON.stringify(job.inputs.spec.template.spec.containers[0].image);
        const argusImage = (r: Resource) => (r.inputs?.spec?.template?.spec?.containers ?? []).some((c: { image?: unknown }) => JSON.stringify(c.image) === image);
        return resources
            .filter((r) => r.type === "kubernetes:apps/v1:Deployment" && argusImage(r))
            .filter((r) => !(r.dependsOn ?? []).some((d) => d.startsWith("kubernetes:batch/v1:Job::") && d.endsWith("-migrate")))
            .map((r) => r.name);
    }

    const cases = [
        { version: defaultArgusVersion, web: "api", container: "django" },
        { version: newestServerVersion, web: "web", container: "web" },
    ];
    for (const { version, web, container } of cases) {
        describe(`Argus ${version}`, () => {
            it("fails the migration Job on a wrong password with Django's error, migrating nothing", async () => {
                const good = await pg.createDatabase(`argus_badpw_${version.replace(/\./g, "_")}`);
                const wrong = good.replace(/:[^:@/]+@/, `:${testSecret()}@`);
                const layout = await deploy({ version, databaseUrl: wrong, smtpPort: 9 });
                const r = await runMigrationJob(layout);
                expect(r.ok).to.equal(false);
                expect(r.output).to.match(/password authentication failed for user "argus_badpw_/);
                expect(r.output).to.match(/OperationalError/);
                expect(await tables(new URL(good).pathname.slice(1))).to.equal(0);
                expect(notWaitingForMigration(layout), "Argus Deployments that do not wait for the migration Job").to.deep.equal([]);

                // A Pod started anyway (a reschedule with the bad Secret): the web container never passes its startup
                // probe, so it is never ready (and is restarted); the worker's init container (2.x) fails.
                const pod = await Pod.create(`${web}-badpw-${version}`, deployment(layout, web), layout.image, layout.cluster);
                pods.push(pod);
                for (const c of pod.spec.containers) pod.start(c.name);
                await sleep(WATCH_MS);
                const startup = await pod.probe(container, "startupProbe");
                expect(startup.ok, startup.detail).to.equal(false);
                expect(startup.detail).to.match(/password authentication failed/);
                if (version === newestServerVersion) {
                    const worker = await Pod.create(`worker-badpw-${version}`, deployment(layout, "worker"), layout.image, layout.cluster);
                    const init = await worker.runToCompletion(worker.spec.initContainers[0].name, 120000);
                    expect(init.code, init.output).to.not.equal(0);
                    expect(init.output).to.match(/password authentication failed/);
                }
            });

            it("fails the migration Job when the database is unreachable, with Django's error", async () => {
                const port = await freePort(); // nothing listens there
                const layout = await deploy({ version, databaseUrl: `postgresql://argus:${testSecret()}@127.0.0.1:${port}/argus`, smtpPort: 9 });
                const r = await runMigrationJob(layout);
                expect(r.ok).to.equal(false);
                expect(r.output).to.match(/OperationalError/);
                expect(r.output).to.match(/Connection refused|connection failed/i);
            });
        });
    }
});
