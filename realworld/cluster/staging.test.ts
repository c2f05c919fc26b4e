// Staging on the suite's control plane (fixture.ts), deployed with staging's identity only, as CI does it:
// the stack exists (docs/operations.md makes it by hand), ci/stack.sh configures it from CI's variables and
// runs pulumi up (the engine harness's docker stand-in builds the images). Then one setting changed, the same
// stack run with production's kubeconfig (refused by the API server, nothing changed), and pulumi destroy.
import { expect } from "chai";
import { ok, Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { initStack, tail } from "../engine/support";
import { deployerUsername } from "../../deployers/names";
import { cluster, deployerKubeconfig, timedRun } from "./fixture";
import { emptyNamespace, expectHealthy, managed, Obj, specChangesOf } from "./objects";
import { setConfig, summary, useCluster } from "./workspace";

describe("staging, deployed and changed with staging's identity only", () => {
    const stack = "staging";
    const ns = "argus-staging";
    let ws: Workspace;
    let created = 0;
    before(async () => {
        ws = await Workspace.create();
        useCluster(ws, cluster(), deployerKubeconfig("staging"));
        await initStack(ws, stack);
        // No ingress controller here: Ingress await would wait for an address forever (the config allows it off).
        await setConfig(ws, stack, { awaitIngresses: "false" });
    });
    after(async () => {
        // The namespace is the cluster team's (fixture.ts): emptied, not deleted.
        await emptyNamespace(cluster(), ns);
        ws?.dispose();
    });

    describe("ci/stack.sh up from nothing", () => {
        let result: Result;
        let since: number;
        before(async () => {
            ({ result, since } = await timedRun("staging: ci/stack.sh up from nothing (configure + pulumi up)", () => ws.stackSh(stack, "up")));
            created = summary(result.output).created;
        });

        it("succeeds, creating every object in argus-staging", () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(created, tail(result)).to.be.greaterThan(20);
        });

        it("leaves the stack healthy: the migration Job complete before the Deployments, Pod Security admits every Pod", async () => {
            await expectHealthy(cluster(), ns, since);
        });
    });

    describe("one setting changed (resourceOverrides: the webui's memory)", () => {
        let result: Result;
        let since: number;
        let changed: string[];
        let objects: Obj[];
        before(async () => {
            await setConfig(ws, stack, { resourceOverrides: "webui.memory=80Mi/128Mi" });
            ({ result: { result, since }, changed } = await specChangesOf(cluster(), ns, () => timedRun("staging: ci/stack.sh up of one setting (the webui's memory)", () => ws.stackSh(stack, "up"))));
            objects = await managed(cluster(), ns);
        });

        it("updates the webui's Deployment and nothing else", () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(summary(result.output)).to.deep.equal({ updated: 1, unchanged: created - 1 });
            expect(changed).to.deep.equal(["Deployment/argus-staging-webui"]);
        });

        it("rolls the webui out with the new limit, the stack healthy", async () => {
            const webui = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-staging-webui")!;
            expect(webui.spec.template.spec.containers.map((c: Obj) => c.resources?.limits?.memory)).to.deep.equal(["128Mi"]);
            await expectHealthy(cluster(), ns, since);
        });
    });

    describe("the staging stack run with production's kubeconfig", () => {
        let result: Result;
        let changed: string[];
        before(async () => {
            useCluster(ws, cluster(), deployerKubeconfig("production"));
            await setConfig(ws, stack, { resourceOverrides: "webui.memory=96Mi/160Mi" });
            // ci/stack.sh, as the job runs it: it puts the kubeconfig that KUBECONFIG names into the stack's config.
            ({ result, changed } = await specChangesOf(cluster(), ns, () => ws.stackSh(stack, "up")));
            useCluster(ws, cluster(), deployerKubeconfig("staging"));
        });

        it("fails with the API server's 403 shown plainly", () => {
            expect(result.code, tail(result)).to.not.equal(0);
            // RBAC's refusal (k8s.io/apiserver v0.34.4, pkg/endpoints/handlers/responsewriters/errors.go, forbiddenMessage).
            expect(result.output).to.match(new RegExp(`forbidden: User "${deployerUsername("production")}" cannot \\w+ resource "\\w+" in API group "[^"]*" in the namespace "${ns}"`));
        });

        it("changes nothing in argus-staging", () => {
            expect(changed).to.deep.equal([]);
        });
    });

    describe("pulumi destroy with staging's identity", () => {
        let result: Result;
        before(async () => {
            // The stack's config still holds production's kubeconfig, which ci/stack.sh put there in the failed job,
            // and the failed run may have left it in the provider's state: staging's again, as its next job would
            // set it, and --run-program, so that the provider takes it from the config rather than the state.
            ok(await ws.pulumi(["config", "set", "--secret", "--stack", stack, "argus:kubeconfig"], { input: deployerKubeconfig("staging") }), "pulumi config set --secret argus:kubeconfig");
            ({ result } = await timedRun("staging: pulumi destroy", () => ws.pulumi(["destroy", "--yes", "--non-interactive", "--run-program", "--stack", stack], { timeoutMs: 600_000 })));
        });

        it("removes every object of the stack, the namespace staying (the cluster team's, holding staging's Role)", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect((await managed(cluster(), ns)).map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
            expect((await cluster().get(["namespace", ns]))?.status?.phase).to.equal("Active");
        });
    });
});
