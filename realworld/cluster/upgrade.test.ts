// A 1.x review stack moved to 2.x as docs/operations.md's "Upgrade to Argus 2.x" says, on the suite's
// control plane (fixture.ts): 1.37.0, then the Ingresses off for one deploy, then 2.9.1 with the 1.x-only keys
// removed (realworld/engine/support.ts toLayout2) and the Ingresses back. Then, on that 2.x stack, the
// web server at 2 fixed Pods, then its autoscaler turned on (webMaxReplicas, docs/operations.md "Capacity"), and an
// update after the count moved, and the autoscaler off again.
import { expect } from "chai";
import * as path from "path";
import { ok, Result } from "../shared/process";
import { waitFor } from "../shared/wait";
import { Workspace } from "../engine/harness";
import { tail, toLayout2 } from "../engine/support";
import { cluster, deployerKubeconfig, timedRun } from "./fixture";
import { byKind, expectHealthy, managed, migrationJobs, notRolledOut, Obj, specChangesOf } from "./objects";
import { reviewStackWorkspace, setConfig, up } from "./workspace";

/**
 * Who owns a Deployment's spec.replicas (its managedFields, which kubectl shows only when asked), as `manager
 * (subresource)`; the program's managers (`pulumi-kubernetes-<random>`, ci/drift/managedFields.js) as `pulumi-kubernetes`.
 */
async function replicasOwners(ns: string, name: string): Promise<string[]> {
    const deployment = (await cluster().get(["deployment.apps", name, "-n", ns, "--show-managed-fields"]))!;
    return (deployment.metadata.managedFields as Obj[])
        .filter((f) => f.fieldsV1?.["f:spec"]?.["f:replicas"] !== undefined)
        .map((f) => ({ manager: f.manager.startsWith("pulumi-kubernetes-") ? "pulumi-kubernetes" : f.manager, subresource: f.subresource }))
        .map(({ manager, subresource }) => (subresource ? `${manager} (${subresource})` : manager));
}

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

    describe("step 5: two web Pods, a fixed count (apiReplicas 2)", () => {
        let result: Result;
        before(async () => {
            await setConfig(ws, stack, { apiReplicas: "2" });
            ({ result } = await timedRun("review-6: pulumi up of apiReplicas 2", () => up(ws, stack)));
        });

        it("runs 2 web Pods, the count the program's field manager owns", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect((await cluster().get(["deployment.apps", `${ns}-web`, "-n", ns]))?.status.availableReplicas).to.equal(2);
            expect(await replicasOwners(ns, `${ns}-web`)).to.deep.equal(["pulumi-kubernetes"]);
        });
    });

    describe("step 6: the web autoscaler on, from 2 (apiReplicas) to 3 Pods (webMaxReplicas)", () => {
        const web = `${ns}-web`;
        let result: Result;
        let since: number;
        let objects: Obj[];
        before(async () => {
            await setConfig(ws, stack, { webMaxReplicas: "3" });
            ({ result, since } = await timedRun("review-6: pulumi up with the web autoscaler", () => up(ws, stack)));
            objects = await managed(cluster(), ns);
        });

        it("succeeds, making an autoscaling/v2 HorizontalPodAutoscaler of the web Deployment: 2 to 3 Pods at 70% CPU", () => {
            expect(result.code, tail(result)).to.equal(0);
            const autoscalers = byKind(objects, "HorizontalPodAutoscaler");
            expect(autoscalers.map((h) => [h.apiVersion, h.metadata.name]), "one autoscaler, named like its Deployment").to.deep.equal([["autoscaling/v2", web]]);
            expect(autoscalers[0].spec).to.deep.include({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: web }, minReplicas: 2, maxReplicas: 3 });
            expect(autoscalers[0].spec.metrics).to.deep.equal([{ type: "ContainerResource", containerResource: { name: "cpu", container: "web", target: { type: "Utilization", averageUtilization: 70 } } }]);
        });

        it("leaves the web Deployment's spec.replicas to others: no field manager of the program owns it", async () => {
            const owners = await replicasOwners(ns, web);
            expect(owners, `owners of spec.replicas: ${owners.join(", ")}`).to.not.include("pulumi-kubernetes");
        });

        it("drops web from 2 Pods to 1 once, as the update removes spec.replicas (docs/operations.md, \"Capacity\"), and the HPA controller raises it back to 2", async () => {
            // The deployment controller's event of each scaling (pkg/controller/deployment/sync.go scaleReplicaSet, k8s v1.34.4).
            const events = (await cluster().get<{ items: Obj[] }>(["events", "-n", ns, "--field-selector", `involvedObject.kind=Deployment,involvedObject.name=${web},reason=ScalingReplicaSet`]))!.items;
            expect(events.map((e) => e.message).filter((m: string) => / from 2 to 1$/.test(m)), "the one-time drop").to.have.length(1);
            // The controller syncs each autoscaler every 15 s (--horizontal-pod-autoscaler-sync-period's default,
            // pkg/controller/podautoscaler/config/v1alpha1/defaults.go at k8s v1.34.4) and clamps a count below
            // minReplicas before it asks for metrics (horizontal.go reconcileAutoscaler): no metrics API here.
            await waitFor(async () => (await cluster().get(["deployment.apps", web, "-n", ns]))?.spec.replicas === 2, 90_000, () => "the web Deployment back at 2 Pods");
        });

        it("has the HPA controller raise the web Deployment to its fewest again after a hand scaled it to 1", async () => {
            const replicas = async () => (await cluster().get(["deployment.apps", web, "-n", ns]))?.spec.replicas;
            await waitFor(async () => (await replicas()) === 2, 90_000, () => "the web Deployment at 2 Pods");
            ok(await cluster().kubectl(["scale", `deployment.apps/${web}`, "-n", ns, "--replicas=1"]), "kubectl scale --replicas=1");
            expect(await replicas(), "scaled by hand").to.equal(1);
            await waitFor(async () => (await replicas()) === 2, 90_000, () => "the HPA controller raising the web Deployment back to 2");
            // The HPA controller (and kubectl scale) write the count through the scale subresource, which leaves no
            // manager owning spec.replicas (seen at v1.34.4): nothing for the drift check (ci/drift/) to report, and
            // nothing an apply of the field would conflict with (step 8).
            expect(await replicasOwners(ns, web), "the owners of spec.replicas").to.deep.equal([]);
        });

        it("makes a PodDisruptionBudget for web (2 Pods at the fewest), the stack healthy once the 2 are rolled out", async () => {
            expect(byKind(objects, "PodDisruptionBudget").map((b) => b.metadata.name)).to.include(web);
            await waitFor(async () => notRolledOut(byKind(await managed(cluster(), ns), "Deployment")).length === 0, 120_000, () => "every Deployment rolled out");
            await expectHealthy(cluster(), ns, since);
        });
    });

    describe("step 7: the count at 3, as the autoscaler would choose it under load, and an update that rolls web", () => {
        const web = `${ns}-web`;
        let result: Result;
        let changed: string[];
        let deployment: Obj;
        before(async () => {
            // A metrics API would let the controller choose 3; here a hand does, and within 2..3 the controller,
            // finding no metrics, leaves it (horizontal.go reconcileAutoscaler: computeReplicasForMetrics fails).
            ok(await cluster().kubectl(["scale", `deployment.apps/${web}`, "-n", ns, "--replicas=3"]), "kubectl scale --replicas=3");
            await waitFor(async () => notRolledOut(byKind(await managed(cluster(), ns), "Deployment")).length === 0, 120_000, () => "web rolled out at 3 Pods");
            // Only gunicorn's command line of web changes (components/argus/spec.ts gunicornCommand): a new template.
            await setConfig(ws, stack, { webThreads: "2" });
            ({ result: { result }, changed } = await specChangesOf(cluster(), ns, () => timedRun("review-6: pulumi up rolling the autoscaled web", () => up(ws, stack))));
            deployment = (await cluster().get(["deployment.apps", web, "-n", ns]))!;
        });

        it("succeeds, changing the web Deployment only", () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(changed).to.deep.equal([`Deployment/${web}`]);
        });

        it("keeps the 3 Pods: the update does not set the count back, and the await saw all 3 rolled out", () => {
            expect(deployment.spec.replicas).to.equal(3);
            expect(deployment.spec.template.spec.containers[0].args.join(" ")).to.contain("--threads 2");
            expect(notRolledOut([deployment])).to.deep.equal([]);
        });
    });

    describe("step 8: the autoscaler off again (webMaxReplicas 0)", () => {
        const web = `${ns}-web`;
        let result: Result;
        before(async () => {
            await setConfig(ws, stack, { webMaxReplicas: "0" });
            ({ result } = await timedRun("review-6: pulumi up without the web autoscaler", () => up(ws, stack)));
        });

        it("removes the autoscaler and sets the count back to apiReplicas, with no field conflict", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(byKind(await managed(cluster(), ns), "HorizontalPodAutoscaler")).to.deep.equal([]);
            const deployment = (await cluster().get(["deployment.apps", web, "-n", ns]))!;
            expect([deployment.spec.replicas, deployment.status.availableReplicas]).to.deep.equal([2, 2]);
            expect(await replicasOwners(ns, web)).to.deep.equal(["pulumi-kubernetes"]);
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
