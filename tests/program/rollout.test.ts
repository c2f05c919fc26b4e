import { expect } from "chai";
import { Rendering } from "../../render";
import { findObject, Overrides, sharedRender } from "../helpers";

/** When each Deployment rolls, in what order the program's workloads start, and what Pulumi waits for. */

const deploymentSpecOf = (r: Rendering, name: string) => JSON.stringify(findObject(r, "Deployment", name).spec);

describe("rollout on change", () => {
    /** Staging as committed, and staging with `overrides` and `secrets`. */
    const beforeAndAfter = (overrides: Overrides, secrets: Record<string, string> = {}) => {
        const renders = { before: undefined as unknown as Rendering, after: undefined as unknown as Rendering };
        beforeEach(async () => {
            renders.before = await sharedRender("staging");
            renders.after = await sharedRender("staging", overrides, secrets);
        });
        return renders;
    };

    for (const { what, overrides, rolls, stays } of [
        { what: "an api setting", overrides: { timeZone: "UTC" }, rolls: "argus-staging-api", stays: "argus-staging-webui" },
        { what: "a webui setting", overrides: { autoRefreshInterval: "60" }, rolls: "argus-staging-webui", stays: "argus-staging-api" },
    ]) {
        describe(`of ${what}`, () => {
            const r = beforeAndAfter(overrides);

            it(`rolls ${rolls}, and leaves the spec of ${stays} unchanged`, () => {
                expect(deploymentSpecOf(r.after, rolls)).not.to.equal(deploymentSpecOf(r.before, rolls));
                expect(deploymentSpecOf(r.after, stays)).to.equal(deploymentSpecOf(r.before, stays));
            });
        });
    }

    describe("of the api's Secret", () => {
        const r = beforeAndAfter({ dataportenKey: "argus" }, { dataportenSecret: "s3cret-value" });
        const secretName = (rendering: Rendering) => findObject(rendering, "Secret", "argus-staging-runtime-secrets").metadata.name;

        it("rolls the api, which names the new Secret, and only the api", () => {
            expect(secretName(r.after)).not.to.equal(secretName(r.before));
            expect(deploymentSpecOf(r.after, "argus-staging-api")).to.contain(secretName(r.after));
            expect(deploymentSpecOf(r.after, "argus-staging-webui")).to.equal(deploymentSpecOf(r.before, "argus-staging-webui"));
        });
    });
});

/** The migration Job's resource (production also has the backup's Job). */
const migrationJob = (r: Rendering) => r.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name.endsWith("-runtime-migrate"))!;

describe("the backup before each migration", () => {
    for (const [stack, overrides] of [["production", {}], ["production", { argusVersion: "2.9.1", webuiReplicas: null }], ["review-123", { backupBeforeMigration: "true" }]] as const) {
        it(`${stack} ${"argusVersion" in overrides ? "2.x" : "1.x"}: migrates only after the backup Job completed (which waits for a stack's own database)`, async () => {
            const r = await sharedRender(stack, overrides);
            const backup = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job" && x.name.endsWith("-runtime-backup-job"))!;
            expect(migrationJob(r).dependsOn ?? [], "the migration Job").to.include(`kubernetes:batch/v1:Job::${backup.name}`);
            const database = r.resources.find((x) => x.name.endsWith("-database-workload-deployment"));
            expect(backup.dependsOn ?? [], "the backup Job").to.deep.equal(database ? [`kubernetes:apps/v1:Deployment::${database.name}`] : []);
        });
    }

    it("is not taken by staging and review stacks unless asked", async () => {
        for (const stack of ["staging", "review-123"]) {
            expect((await sharedRender(stack)).resources.filter((x) => x.name.includes("backup")), stack).to.deep.equal([]);
        }
    });
});

describe("the order workloads start in", () => {
    for (const stack of ["production", "staging", "review-123"]) {
        describe(`${stack}, 1.x layout`, () => {
            let r: Rendering;
            beforeEach(async () => (r = await sharedRender(stack)));

            it("rolls the api Deployment out only after its image's migration Job has run", () => {
                const deployment = r.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && x.name.endsWith("-api-workload-deployment"))!;
                const job = migrationJob(r);
                expect(deployment.dependsOn).to.deep.equal([`kubernetes:batch/v1:Job::${job.name}`]);
            });

            it("lets nothing else wait for the migration: the webui rolls out in parallel with it", () => {
                const job = migrationJob(r);
                const waiting = r.resources.filter((x) => (x.dependsOn ?? []).includes(`kubernetes:batch/v1:Job::${job.name}`)).map((x) => x.name);
                expect(waiting).to.deep.equal([r.resources.find((x) => x.name.endsWith("-api-workload-deployment"))!.name]);
                const webui = r.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && x.name.endsWith("-webui-workload-deployment"))!;
                expect(webui.dependsOn).to.equal(undefined);
            });
        });
    }

    describe("staging, 2.x layout", () => {
        let r: Rendering;
        beforeEach(async () => (r = await sharedRender("staging", { argusVersion: "2.9.1", webuiReplicas: null })));

        it("starts web, worker and every CronJob only after the migration Job of their image", () => {
            const job = migrationJob(r);
            const dependents = r.resources.filter((x) => ["kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:CronJob"].includes(x.type));
            expect(dependents).to.have.length(6);
            for (const resource of dependents) {
                expect(resource.dependsOn, resource.name).to.deep.equal([`kubernetes:batch/v1:Job::${job.name}`]);
            }
        });
    });
});

describe("waiting for readiness", () => {
    const annotations = (r: Rendering, kind: string) =>
        Object.fromEntries(r.objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name.replace(/-[0-9a-f]{12}$/, ""), (o.metadata as any).annotations ?? {}]));

    for (const [awaitDeployments, awaitIngresses] of [["true", "true"], ["false", "true"], ["true", "false"], ["false", "false"]]) {
        describe(`awaitDeployments ${awaitDeployments}, awaitIngresses ${awaitIngresses}`, () => {
            let r: Rendering;
            beforeEach(async () => (r = await sharedRender("staging", { awaitDeployments, awaitIngresses, awaitTimeoutSeconds: "900", apiReplicas: "3" })));
            const expected = (wait: string) => (wait === "true" ? { "pulumi.com/timeoutSeconds": "900" } : { "pulumi.com/skipAwait": "true" });

            it("awaits each kind as set, a Deployment until all its replicas are rolled out, never a Service; the migration Job always, replaced when unready", () => {
                expect(r.objects.map((o) => (o.spec as any)?.replicas)).to.include.members([1, 3]);
                for (const deployment of r.objects.filter((o) => o.kind === "Deployment")) {
                    const replicas = (deployment.spec as any).replicas;
                    const rolledOut = { "pulumi.com/waitFor": JSON.stringify([`jsonpath={.status.updatedReplicas}=${replicas}`, `jsonpath={.status.availableReplicas}=${replicas}`, `jsonpath={.status.replicas}=${replicas}`]) };
                    expect((deployment.metadata as any).annotations, deployment.metadata.name).to.deep.equal({ ...expected(awaitDeployments), ...(awaitDeployments === "true" ? rolledOut : {}) });
                }
                for (const service of Object.values(annotations(r, "Service"))) {
                    expect(service).to.deep.equal({ "pulumi.com/skipAwait": "true" });
                }
                for (const ingress of Object.values(annotations(r, "Ingress"))) {
                    expect(ingress).to.deep.include(expected(awaitIngresses));
                    expect(ingress).to.not.have.property(awaitIngresses === "true" ? "pulumi.com/skipAwait" : "pulumi.com/timeoutSeconds");
                }
                expect(annotations(r, "Job")["argus-staging-migrate"]).to.deep.equal({ "pulumi.com/timeoutSeconds": "660", "pulumi.com/replaceUnready": "true" });
            });
        });
    }
});
