// A 1.x review stack moved to 2.x as docs/operations.md's "Upgrade to Argus 2.x" says, on the suite's
// control plane (fixture.ts): 1.37.0, then the Ingresses off for one deploy, then 2.9.1 with the 1.x-only keys
// removed (realworld/engine/support.ts toLayout2) and the Ingresses back.
import { expect } from "chai";
import * as path from "path";
import { Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { tail, toLayout2 } from "../engine/support";
import { cluster, deployerKubeconfig, timedRun } from "./fixture";
import { byKind, expectHealthy, managed, migrationJobs, Obj } from "./objects";
import { reviewStackWorkspace, setConfig, up } from "./workspace";

describe("upgrade: a 1.x review stack moved to 2.x as docs/operations.md's \"Upgrade to Argus 2.x\" says", () => {
    const stack = "review-6";
    const ns = "argus-review-6";
    let ws: Workspace;
    before(async () => {
        ws = await reviewStackWorkspace(cluster(), deployerKubeconfig("review"), stack);
    });
    after(() => ws?.dispose());

    describe("step 2: 1.37.0, the default", () => {
        let result: Result;
        before(async () => {
            result = await ws.stackSh(stack, "up");
        });

        it("deploys a healthy 1.x stack with its webui Deployment", async () => {
            expect(result.code, tail(result)).to.equal(0);
            const old = await expectHealthy(cluster(), ns);
            expect(byKind(old, "Deployment").map((d) => d.metadata.name)).to.include(`${ns}-webui`);
        });
    });

    describe("step 3: the Ingresses off for one deploy", () => {
        let result: Result;
        before(async () => {
            await setConfig(ws, stack, { webuiIngress: "false", apiIngress: "false" });
            result = await up(ws, stack);
        });

        it("removes every Ingress", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(byKind(await managed(cluster(), ns), "Ingress")).to.deep.equal([]);
        });
    });

    describe("step 4: 2.9.1, the 1.x-only keys removed, the Ingresses back", () => {
        let result: Result;
        let since: number;
        let oldJob: string;
        let objects: Obj[];
        before(async () => {
            oldJob = migrationJobs(await managed(cluster(), ns))[0]?.metadata.name;
            toLayout2(path.join(ws.dir, `Pulumi.${stack}.yaml`));
            for (const key of ["webuiIngress", "apiIngress"]) {
                const rm = await ws.pulumi(["config", "rm", "--stack", stack, `argus:${key}`]);
                if (rm.code !== 0) throw new Error(rm.output);
            }
            ({ result, since } = await timedRun("review-6: ci/stack.sh up from 1.37.0 to 2.9.1", () => ws.stackSh(stack, "up")));
            objects = await managed(cluster(), ns);
        });

        it("succeeds, web, worker and the CronJobs started after the migration Job", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), ns, since);
        });

        it("removes the 1.x api and webui Deployments; web and worker run", () => {
            const deployments = byKind(objects, "Deployment").map((d) => d.metadata.name);
            expect(deployments.sort(), "the api and the webui gone; web and worker").to.deep.equal([`${ns}-database`, `${ns}-web`, `${ns}-worker`]);
        });

        it("makes the housekeeping CronJobs and brings the Ingresses back", () => {
            expect(byKind(objects, "CronJob").length, "the housekeeping CronJobs").to.be.greaterThan(0);
            expect(byKind(objects, "Ingress").length).to.be.greaterThan(0);
        });

        it("runs a new migration Job for the 2.9.1 image", () => {
            expect(migrationJobs(objects)[0].metadata.name, "a new migration Job for the 2.9.1 image").to.not.equal(oldJob);
        });
    });

    describe("ci/stack.sh destroy", () => {
        let result: Result;
        before(async () => {
            result = await ws.stackSh(stack, "destroy");
        });

        it("removes the stack's namespace", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(await cluster().get(["namespace", ns])).to.equal(undefined);
        });
    });
});
