/**
 * The upgrade path of the operations guide on one database: the oldest supported 1.x with incidents in it,
 * then 1.37.0's migration Job (the required stop before 2.x), then the newest 2.x's; every incident is still
 * there through API v2. And the skipped path: the program refuses the newest 2.x straight after 1.37.0, and
 * that release's own migration Job, run anyway on a copy of the database, fails as the refusal says.
 */
import { expect } from "chai";
import { defaultArgusVersion, newestServerVersion, supportedArgusVersions } from "../../releases/argus";
import { renderStack, stackProgramConfig } from "../../render";
import { RenderMocks } from "../../render/mocks";
import { Client } from "./client";
import { Pod } from "./pod";
import { Postgres, startPostgres } from "./services";
import { ADMIN, deploy, Layout, runMigrationJob, sourceToken, startPod } from "./layout";

const oldest = supportedArgusVersions[0];
/**
 * Step 4 of "Upgrade to Argus 2.x" in docs/operations.md sets argusVersion 2.9.1. It is also the last release
 * whose squashed migrations still replace the 1.x ones (NOTES.md of 2.10): 1.37.0 straight to 2.10.x fails.
 */
const guideTarget = "2.9.1";
/** No mail leaves: notifications point at a port nothing listens on (the upgrade sends none anyway). */
const NO_SMTP = 9;

describe(`Upgrade on one database: ${oldest} with incidents, then ${defaultArgusVersion}, then ${guideTarget}, then ${newestServerVersion}`, () => {
    let pg: Postgres;
    let databaseUrl: string;
    let pod: Pod | undefined;
    const descriptions: string[] = [];
    let old: Layout;

    before(async () => {
        pg = await startPostgres();
        databaseUrl = await pg.createDatabase("argus_upgrade");
    });

    after(async () => {
        await pod?.stop();
        await pg?.proc.stop();
    });

    it(`${oldest}: migrates and takes incidents through API v1`, async () => {
        old = await deploy({ version: oldest, databaseUrl, smtpPort: NO_SMTP });
        const r = await runMigrationJob(old);
        expect(r.ok, r.output).to.equal(true);
        pod = await startPod(old, "api", `api-${oldest}`);
        const admin = new Client(pod.namedPort(), old.publicHost);
        const token = await admin.post("/api/v1/token-auth/", { username: ADMIN.username, password: old.adminPassword });
        expect(token.status, token.body).to.equal(200);
        admin.token = token.json().token;
        const source = new Client(admin.port, old.publicHost);
        source.token = await sourceToken(admin, "v1", pod, "django", "upgrade-monitor");
        for (const [i, endTime] of ["infinity", new Date().toISOString(), "infinity"].entries()) {
            const description = `made by ${oldest} #${i}`;
            const start = new Date(Date.now() - 60000 * (i + 1)).toISOString();
            const posted = await source.post("/api/v1/incidents/", { start_time: start, end_time: endTime, description, level: 3, tags: [{ tag: `made_by=${oldest}` }] });
            expect(posted.status, posted.body).to.equal(201);
            descriptions.push(description);
        }
        await pod.stop();
        pod = undefined;
    });

    it(`${defaultArgusVersion}: its migration Job completes on that database`, async () => {
        const r = await runMigrationJob(await deploy({ version: defaultArgusVersion, databaseUrl, smtpPort: NO_SMTP, adminPassword: old.adminPassword }));
        expect(r.ok, r.output).to.equal(true);
    });

    it(`${newestServerVersion} straight after ${defaultArgusVersion}: refused by the program naming ${guideTarget}; its migrations fail on a copy`, async () => {
        // The stack's own last outputs say it runs 1.37.0 (render/mocks.ts answers the program's self StackReference).
        const config = stackProgramConfig("staging", { PULUMI_CONFIG: JSON.stringify({ "argus:argusVersion": newestServerVersion }) });
        const refusal = await renderStack("staging", config, undefined, new RenderMocks({ staging: { argusVersion: defaultArgusVersion } })).catch((err: unknown) => err);
        expect(String((refusal as Error)?.message)).to.contain(`"${newestServerVersion}" cannot follow ${defaultArgusVersion}`);
        expect(String((refusal as Error)?.message)).to.contain(`argusVersion ${guideTarget}, pulumi up`);
        const owner = new URL(databaseUrl).username;
        await pg.sql(`CREATE DATABASE argus_skipped TEMPLATE argus_upgrade OWNER ${owner}`);
        const copy = new URL(databaseUrl);
        copy.pathname = "/argus_skipped";
        const r = await runMigrationJob(await deploy({ version: newestServerVersion, databaseUrl: copy.toString(), smtpPort: NO_SMTP, adminPassword: old.adminPassword }));
        expect(r.ok, r.output).to.equal(false);
        expect(r.output).to.match(/already exists/);
    });

    it(`${guideTarget} (the guide's step 4): its migration Job completes on that database`, async () => {
        const r = await runMigrationJob(await deploy({ version: guideTarget, databaseUrl, smtpPort: NO_SMTP, adminPassword: old.adminPassword }));
        expect(r.ok, r.output).to.equal(true);
    });

    it(`${newestServerVersion}: its migration Job completes, and every incident reads back through API v2`, async () => {
        const next = await deploy({ version: newestServerVersion, databaseUrl, smtpPort: NO_SMTP, adminPassword: old.adminPassword });
        if (newestServerVersion !== guideTarget) {
            const r = await runMigrationJob(next);
            expect(r.ok, r.output).to.equal(true);
        }
        pod = await startPod(next, "web", `web-${newestServerVersion}`);
        const admin = new Client(pod.namedPort(), next.publicHost);
        const token = await admin.post("/api/v2/token-auth/", { username: ADMIN.username, password: next.adminPassword });
        expect(token.status, token.body).to.equal(200);
        admin.token = token.json().token;
        const list = await admin.get("/api/v2/incidents/?page_size=100");
        expect(list.status, list.body).to.equal(200);
        const results: { description: string; source: { name: string }; open: boolean }[] = list.json().results;
        expect(results.map((i) => i.description).sort()).to.deep.equal([...descriptions].sort());
        expect(results.every((i) => i.source.name === "upgrade-monitor")).to.equal(true);
        expect(results.filter((i) => i.open).length).to.equal(2);
    });
});
