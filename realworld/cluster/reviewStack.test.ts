// A review stack's lifecycle through ci/stack.sh, as the merge-request pipeline runs it with the review
// identity's kubeconfig only, on the suite's control plane (fixture.ts): the program run by the real engine
// (realworld/engine's harness: pulumi v3.248.0, the Node.js language host v3.68.0, pulumi-kubernetes 4.25.0,
// stand-ins for random and docker) against kube-apiserver v1.34.4, which validates, defaults and admits every
// object (Pod Security admission and the review policy included); the kubernetes provider's await logic
// decides when an update is done. Each step's deploy runs in its `before`; the `it`s check what it left.
import { expect } from "chai";
import { Result } from "../shared/process";
import { reviewRoleBinding } from "../../deployers/identities";
import { reviewDeployerRole } from "../../deployers/names";
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { cluster, deployerKubeconfig, timedRun, timings } from "./fixture";
import { byKind, expectHealthy, managed, managedKinds, migrationJobs, Obj, versions } from "./objects";
import { reviewStackWorkspace, setConfig, summary, up } from "./workspace";

describe("a review stack through ci/stack.sh, as the merge-request pipeline runs it", () => {
    const stack = "review-5";
    const ns = "argus-review-5";
    let ws: Workspace;
    before(async () => {
        ws = await reviewStackWorkspace(cluster(), deployerKubeconfig("review"), stack);
    });
    after(() => ws?.dispose());

    describe("ci/stack.sh up from nothing", () => {
        let result: Result;
        let since: number;
        let objects: Obj[];
        before(async () => {
            ({ result, since } = await timedRun("review-5: ci/stack.sh up from nothing (configure + pulumi up)", () => ws.stackSh(stack, "up")));
            objects = await managed(cluster(), ns);
        });

        it("succeeds, creating every object", () => {
            expect(result.code, tail(result)).to.equal(0);
            const s = summary(result.output);
            expect(s.created, JSON.stringify(s)).to.be.greaterThan(20);
        });

        it("leaves the stack healthy: the migration Job complete before any Deployment, Deployments available, Pod Security admits every Pod", async () => {
            await expectHealthy(cluster(), ns, since);
        });

        it("makes every kind of object the stack needs, the image-pull Secret admitted as a real dockerconfigjson", () => {
            const kinds = new Set(objects.map((o) => o.kind));
            for (const kind of ["Deployment", "Job", "Service", "Ingress", "NetworkPolicy", "ConfigMap", "Secret", "ServiceAccount"]) {
                expect(kinds.has(kind), `a ${kind} in ${ns}`).to.equal(true);
            }
            const pull = objects.find((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson");
            expect(pull, "the image-pull Secret, admitted as a real dockerconfigjson").to.not.equal(undefined);
        });

        it("made, with the review identity's kubeconfig, the RoleBinding that gives it its rights in the new namespace", async () => {
            const binding = await cluster().get(["rolebinding", reviewDeployerRole, "-n", ns]);
            const expected = reviewRoleBinding(ns);
            expect({ roleRef: binding?.roleRef, subjects: binding?.subjects }).to.deep.equal({ roleRef: expected.roleRef, subjects: expected.subjects });
            // The binding is created once the Namespace's await is done: the gap is that await, which watches the
            // namespace's Events cluster-wide, a read review is refused (deployers/rights.ts awaitReads).
            const namespaceCreated = Date.parse((await cluster().get(["namespace", ns]))!.metadata.creationTimestamp);
            timings.push(`review-5: its Namespace created -> its RoleBinding created (the Namespace's await; 1 s resolution): ${(Date.parse(binding!.metadata.creationTimestamp) - namespaceCreated) / 1000} s`);
        });

        it("runs the review app's own PostgreSQL, available under restricted and reached only through its NetworkPolicy", () => {
            // The review app's own PostgreSQL (a Deployment, its Pod admitted under restricted), reached only by
            // this stack's Argus Pods.
            const database = objects.find((o) => o.kind === "Deployment" && o.metadata.name === `${ns}-database`);
            expect(database?.status?.availableReplicas, "the review app's own database, available").to.equal(1);
            expect(database!.spec.template.spec.containers[0].securityContext).to.deep.include({ runAsUser: 999, readOnlyRootFilesystem: true });
            expect(objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === `${ns}-database`), "the database's NetworkPolicy").to.equal(true);
        });
    });

    describe("a second up with no change", () => {
        let result: Result;
        let versionsBefore: Record<string, string>;
        let versionsAfter: Record<string, string>;
        before(async () => {
            versionsBefore = await versions(cluster(), ns);
            ({ result } = await timedRun("review-5: pulumi up with no change", () => up(ws, stack)));
            versionsAfter = await versions(cluster(), ns);
        });

        it("reports every resource unchanged", () => {
            expect(result.code, tail(result)).to.equal(0);
            const s = summary(result.output);
            expect(Object.keys(s), JSON.stringify(s)).to.deep.equal(["unchanged"]);
        });

        it("touches no object in the cluster", () => {
            expect(versionsAfter).to.deep.equal(versionsBefore);
        });
    });

    describe("a settings change (timeZone)", () => {
        let result: Result;
        let since: number;
        let settingsBefore: string[];
        let objects: Obj[];
        const settingsOf = (list: Obj[]) => byKind(list, "ConfigMap").filter((c) => c.metadata.name.includes("runtime-settings"));
        before(async () => {
            settingsBefore = settingsOf(await managed(cluster(), ns)).map((c) => c.metadata.name);
            await setConfig(ws, stack, { timeZone: "UTC" });
            ({ result, since } = await timedRun("review-5: pulumi up of a settings change (timeZone)", () => up(ws, stack)));
            objects = await managed(cluster(), ns);
        });

        it("rolls the Pods out only after the migration Job ran again", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), ns, since);
        });

        it("replaces the settings ConfigMap by one under a new name holding the new value", () => {
            expect(settingsBefore).to.have.length(1);
            const settings = settingsOf(objects);
            expect(settings.map((c) => c.metadata.name), "the old ConfigMap deleted, a new name").to.have.length(1);
            expect(settings[0].metadata.name).to.not.equal(settingsBefore[0]);
            expect(settings[0].data.TIME_ZONE ?? JSON.stringify(settings[0].data)).to.include("UTC");
        });

        it("moves every Pod that reads the settings to the new ConfigMap", async () => {
            const [settings] = settingsOf(objects);
            const api = byKind(objects, "Deployment").find((d) => d.metadata.name.includes("api"))!;
            expect(JSON.stringify(api.spec.template.spec)).to.include(settings.metadata.name);
            // Every Pod that reads a settings ConfigMap (not the database's or the webui's) reads the new one.
            const pods = (await cluster().get<{ items: Obj[] }>(["pods", "-n", ns]))!.items.filter((p) => JSON.stringify(p.spec).includes("-runtime-settings-"));
            expect(pods.length).to.be.greaterThan(0);
            for (const pod of pods) expect(JSON.stringify(pod.spec), `Pod ${pod.metadata.name} runs the new settings`).to.include(settings.metadata.name);
        });
    });

    describe("apiReplicas 1 to 3", () => {
        let result: Result;
        let since: number;
        before(async () => {
            await setConfig(ws, stack, { apiReplicas: "3" });
            ({ result, since } = await timedRun("review-5: pulumi up of apiReplicas 1 -> 3", () => up(ws, stack)));
        });

        it("leaves the stack healthy", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), ns, since);
        });

        it("moves redis out of the api Pods into the shared redis Deployment, behind a Service", async () => {
            const objects = await managed(cluster(), ns);
            const deployments = byKind(objects, "Deployment");
            const api = deployments.find((d) => /-api$|-api-/.test(d.metadata.name) && !d.metadata.name.includes("redis"))!;
            const redis = deployments.find((d) => d.metadata.name.includes("redis"));
            expect(api.spec.replicas).to.equal(3);
            expect(api.spec.template.spec.containers.map((c: Obj) => c.name)).to.not.include("redis");
            expect(redis, `a shared redis Deployment among ${deployments.map((d) => d.metadata.name)}`).to.not.equal(undefined);
            expect(redis!.status.availableReplicas).to.equal(1);
            expect(byKind(objects, "Service").some((s) => s.metadata.name.includes("redis"))).to.equal(true);
        });
    });

    describe("a new Argus image (an extra Python package)", () => {
        let result: Result;
        let since: number;
        let jobsBefore: string[];
        before(async () => {
            jobsBefore = migrationJobs(await managed(cluster(), ns)).map((j) => j.metadata.name);
            await setConfig(ws, stack, { extraPythonPackages: "argus-ticket-rt==1.1.0" });
            ({ result, since } = await timedRun("review-5: pulumi up of a new Argus image", () => up(ws, stack)));
        });

        it("leaves the stack healthy, rolled out after the migration Job", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), ns, since);
        });

        it("runs a new migration Job, named after the new image's content tag, with the image the api runs", async () => {
            const objects = await managed(cluster(), ns);
            const job = migrationJobs(objects)[0];
            expect(jobsBefore).to.not.include(job.metadata.name);
            const api = byKind(objects, "Deployment").find((d) => d.metadata.name === `${ns}-api`)!;
            expect(api.spec.template.spec.containers.map((c: Obj) => c.image)).to.include(job.spec.template.spec.containers[0].image);
        });
    });

    describe("teardown: ci/stack.sh destroy", () => {
        let result: Result;
        before(async () => {
            ({ result } = await timedRun("review-5: ci/stack.sh destroy", () => ws.stackSh(stack, "destroy")));
        });

        it("succeeds", () => {
            expect(result.code, tail(result)).to.equal(0);
        });

        it("removes every object and the namespace", async () => {
            expect(await cluster().get(["namespace", ns]), "the namespace is gone").to.equal(undefined);
            const left = await cluster().get<{ items: Obj[] }>([managedKinds.join(","), "-A", "-l", `app.kubernetes.io/instance=${ns}`]);
            expect(left!.items.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
        });

        it("removes the stack", async () => {
            const stacks = await ws.pulumi(["stack", "ls", "--json"]);
            expect((JSON.parse(stacks.stdout) as { name: string }[]).map((s) => s.name)).to.not.include(stack);
        });
    });
});
