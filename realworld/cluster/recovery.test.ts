// Recovery of a review stack on the suite's control plane (fixture.ts): a migration Job that fails, and a
// deploy killed while its migration Job is awaited, then docs/operations.md's procedure. kwok fails or slows
// a Job's Pods by their memory limit (kwok.ts); django's memory limit reaches the migration Pod
// (components/instance.ts, migrationResources), set here through resourceOverrides.
import { expect } from "chai";
import * as path from "path";
import { Proc, Result, startProcess } from "../shared/process";
import { sleep } from "../shared/wait";
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { asIdentity, cluster, deployerKubeconfig, timedRun } from "./fixture";
import { failingMemoryLimit, slowJobSeconds, slowMemoryLimit } from "./kwok";
import { byKind, deploymentImagesAndLimits, expectHealthy, managed, migrationJobs, notRolledOut, Obj } from "./objects";
import { killPluginsOf, reviewStackWorkspace, setConfig, up } from "./workspace";

describe("a review stack recovering from a failed and from a killed deploy", () => {
    const stack = "review-7";
    const ns = "argus-review-7";
    let ws: Workspace;
    before(async () => {
        ws = await reviewStackWorkspace(cluster(), deployerKubeconfig("review"), stack);
        const first = await ws.stackSh(stack, "up");
        if (first.code !== 0) throw new Error(`ci/stack.sh ${stack} up:\n${tail(first)}`);
    });
    after(async () => {
        if (ws) await ws.stackSh(stack, "destroy");
        ws?.dispose();
    });

    describe("a migration Job whose Pod fails", () => {
        let result: Result;
        let deploymentsBefore: Record<string, string>;
        let objects: Obj[];
        before(async () => {
            deploymentsBefore = deploymentImagesAndLimits(await managed(cluster(), ns));
            await setConfig(ws, stack, { resourceOverrides: `django.memory=256Mi/${failingMemoryLimit}` });
            ({ result } = await timedRun("review-7: pulumi up with a failing migration Job (backoffLimit 2, the Job controller's back-off)", () => up(ws, stack)));
            objects = await managed(cluster(), ns);
        });

        it("stops the update with an error naming the migration", () => {
            expect(result.code, tail(result)).to.not.equal(0);
            expect(result.output).to.match(/migrate/);
        });

        it("leaves the Job Failed", () => {
            const job = migrationJobs(objects)[0];
            expect(job.status?.conditions?.find((c: Obj) => c.type === "Failed")?.status, JSON.stringify(job.status)).to.equal("True");
        });

        it("leaves the Deployments as before the failed update, rolled out", () => {
            expect(deploymentImagesAndLimits(objects), "the Deployments as before the failed update").to.deep.equal(deploymentsBefore);
            expect(notRolledOut(byKind(objects, "Deployment"))).to.deep.equal([]);
        });

        describe("the next up after the fix", () => {
            let fixed: Result;
            let since: number;
            before(async () => {
                await setConfig(ws, stack, { resourceOverrides: "" });
                ({ result: fixed, since } = await timedRun("review-7: pulumi up after the fix (the failed Job replaced)", () => up(ws, stack)));
            });

            it("completes, the failed Job replaced, the stack healthy", async () => {
                expect(fixed.code, tail(fixed)).to.equal(0);
                await expectHealthy(cluster(), ns, since);
            });
        });
    });

    describe("a deploy killed while the migration Job is awaited", () => {
        let jobName = "";
        let pendingOperations = 0;
        before(async () => {
            await setConfig(ws, stack, { resourceOverrides: `django.memory=256Mi/${slowMemoryLimit}` });
            const cli: Proc = startProcess("pulumi up (to be killed)", "pulumi", ["up", "--yes", "--non-interactive", "--stack", stack], { cwd: ws.dir, env: ws.env, logFile: path.join(ws.tmp, "killed-up.log") });
            try {
                // Kill the CLI (its whole process group, as a cancelled CI job is) once the slow Job exists.
                const deadline = Date.now() + 120_000;
                while (!jobName && Date.now() < deadline && cli.alive) {
                    const jobs = (await cluster().get<{ items: Obj[] }>(["jobs", "-n", ns]))!.items;
                    jobName = jobs.find((j) => JSON.stringify(j.spec.template.spec).includes(slowMemoryLimit))?.metadata.name ?? "";
                    if (!jobName) await sleep(200);
                }
            } finally {
                cli.killNow();
                await cli.exited;
                killPluginsOf(ws);
            }
            const state = await ws.pulumi(["stack", "export", "--stack", stack]);
            pendingOperations = JSON.parse(state.stdout).deployment.pending_operations?.length ?? 0;
        });

        it("leaves the slow Job created and a pending operation in the state", () => {
            expect(jobName, "the slow Job created").to.not.equal("");
            expect(pendingOperations, "a pending operation in the state").to.be.greaterThan(0);
        });

        describe("docs/operations.md's procedure (\"A deploy cancelled or killed while the migration Job runs\")", () => {
            let cancel: Result;
            let deleted: Result;
            let refresh: Result;
            let again: Result;
            let since: number;
            before(async () => {
                // A killed CLI leaves its lock in a self-managed backend: the next command says "the stack is
                // currently locked ... delete the lock file with `pulumi cancel`" (pkg/backend/diy/lock.go at
                // v3.248.0; CancelCurrentUpdate in backend.go deletes the lock files). docs/operations.md's
                // procedure does not say so: this step is ours.
                cancel = await ws.pulumi(["cancel", "--yes", "--non-interactive", "--stack", stack]);
                // As the operator would, with the environment's own kubeconfig.
                deleted = await asIdentity("review", ["-n", ns, "delete", "job", jobName, "--wait=true"]);
                refresh = await ws.pulumi(["refresh", "--yes", "--non-interactive", "--clear-pending-creates", "--stack", stack]);
                ({ result: again, since } = await timedRun(`review-7: pulumi up after the documented recovery (a migration Job of ${slowJobSeconds} s)`, () => up(ws, stack)));
            });

            it("pulumi cancel, deleting the Job and pulumi refresh --clear-pending-creates succeed", () => {
                expect(cancel.code, cancel.output).to.equal(0);
                expect(deleted.code, deleted.output).to.equal(0);
                expect(refresh.code, tail(refresh)).to.equal(0);
            });

            it("lets the next up complete without AlreadyExists, the stack healthy", async () => {
                expect(again.code, tail(again)).to.equal(0);
                expect(again.output).to.not.match(/AlreadyExists/);
                await expectHealthy(cluster(), ns, since);
            });
        });
    });
});
