// Production on the suite's control plane (fixture.ts), deployed with production's identity only: pulumi up
// from nothing, with no change and with one setting changed, then pulumi destroy; then the same manifests from the offline render applied with kubectl apply --server-side, timed against each other.
// Production looks its images up in the suite's registry (Debian's docker-registry with TLS and a password),
// where crane pushed small test images under the references the program computes (production.ts).
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { clock, cluster, timed, timedRun, timings } from "./fixture";
import { byKind, emptyNamespace, expectHealthy, managed, Obj, specChangesOf, versions } from "./objects";
import { expectImagesFromRegistry, imageRepository, prepareProduction, productionManifests, Pushed } from "./production";
import { setConfig, summary, up } from "./workspace";

describe("production: pulumi up against kubectl apply --server-side of the render, on the same control plane", () => {
    const ns = "argus";
    let ws: Workspace;
    let pushed: Pushed;
    before(async () => {
        ws = await Workspace.create();
        pushed = await prepareProduction(cluster(), ws);
    });
    after(async () => {
        // The namespace is the cluster team's (fixture.ts): emptied, not deleted.
        await emptyNamespace(cluster(), ns);
        ws?.dispose();
    });

    let upMs = 0;
    let noChangeMs = 0;
    let created = 0;

    describe("pulumi up from nothing", () => {
        let result: Result;
        let since: number;
        let objects: Obj[];
        before(async () => {
            since = Date.now();
            [result, upMs] = await clock(() => up(ws, "production"));
            created = summary(result.output).created;
            objects = await managed(cluster(), ns);
        });

        it("succeeds with a healthy stack", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), ns, since);
        });

        it("runs our images by the digests the registry reported", () => {
            expectImagesFromRegistry(objects, imageRepository(cluster()), pushed);
        });

        it("makes PodDisruptionBudgets", () => {
            expect(byKind(objects, "PodDisruptionBudget").length, "PDBs in production").to.be.greaterThan(0);
        });
    });

    describe("pulumi up with no change", () => {
        let result: Result;
        let versionsBefore: Record<string, string>;
        let versionsAfter: Record<string, string>;
        before(async () => {
            versionsBefore = await versions(cluster(), ns);
            [result, noChangeMs] = await clock(() => up(ws, "production"));
            versionsAfter = await versions(cluster(), ns);
        });

        it("reports every resource unchanged", () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(Object.keys(summary(result.output))).to.deep.equal(["unchanged"]);
        });

        it("touches no object", () => {
            expect(versionsAfter, "a no-change update touches nothing").to.deep.equal(versionsBefore);
        });
    });

    describe("one setting changed (webuiReplicas 2 to 3)", () => {
        let result: Result;
        let since: number;
        let changed: string[];
        before(async () => {
            await setConfig(ws, "production", { webuiReplicas: "3" });
            ({ result: { result, since }, changed } = await specChangesOf(cluster(), ns, () => timedRun("production: pulumi up of one setting (webuiReplicas 2 -> 3)", () => up(ws, "production"))));
        });

        it("updates the webui's Deployment only, with production's identity", async () => {
            expect(result.code, tail(result)).to.equal(0);
            expect(summary(result.output)).to.deep.equal({ updated: 1, unchanged: created - 1 });
            expect(changed).to.deep.equal(["Deployment/argus-webui"]);
        });

        it("leaves the stack healthy, the webui at 3 replicas", async () => {
            const objects = await expectHealthy(cluster(), ns, since);
            expect(objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-webui")?.status?.availableReplicas).to.equal(3);
        });
    });

    describe("the same manifests with kubectl, after pulumi destroy", () => {
        let file: string;
        let jobName: string | undefined;
        /** kubectl apply --server-side, then wait for the Job and every Deployment (what pulumi up awaits). */
        const kubectlRun = async () => {
            const apply = await cluster().kubectl(["apply", "--server-side", "--field-manager=cluster-suite", "-f", file]);
            expect(apply.code, apply.output).to.equal(0);
            const job = await cluster().kubectl(["wait", "-n", ns, "--for=condition=complete", `job/${jobName}`, "--timeout=300s"]);
            expect(job.code, job.output).to.equal(0);
            const deps = await cluster().kubectl(["wait", "-n", ns, "--for=condition=available", "deployment", "--all", "--timeout=300s"]);
            expect(deps.code, deps.output).to.equal(0);
        };
        let kubectlMs = 0;
        before(async () => {
            const destroy = await ws.pulumi(["destroy", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000 });
            if (destroy.code !== 0) throw new Error(`pulumi destroy:\n${tail(destroy)}`);
            const manifests = productionManifests(cluster(), ws);
            file = path.join(ws.tmp, "manifests.yaml");
            fs.writeFileSync(file, manifests);
            jobName = /kind: Job\nmetadata:\n(?:  .*\n)*?  name: (\S+-migrate-[0-9a-f]+)\n/.exec(manifests)?.[1];
            if (!jobName) throw new Error("no Job in the render");
            [, kubectlMs] = await clock(kubectlRun);
        });

        it("leaves the same healthy objects (only the Deployments' ordering after the Job may differ)", async () => {
            await expectHealthy(cluster(), ns).catch((err) => {
                // kubectl creates the Deployments with the Job, not after it: only the ordering may differ.
                if (!/before the Job completed/.test(String(err))) throw err;
            });
        });

        it("applies the same manifests again, the Job and every Deployment still complete (timed against pulumi up)", async () => {
            const [, kubectlAgainMs] = await clock(kubectlRun);
            timed(`production: pulumi up from nothing (${created} created)`, upMs);
            timed("production: pulumi up with no change", noChangeMs);
            timed("production: kubectl apply --server-side + wait for the Job + rollout status, from nothing", kubectlMs);
            timed("production: the same kubectl run again (no change)", kubectlAgainMs);
            timings.push(`production: ratio pulumi/kubectl from nothing ${(upMs / kubectlMs).toFixed(1)}x, with no change ${(noChangeMs / kubectlAgainMs).toFixed(1)}x`);
        });
    });
});
