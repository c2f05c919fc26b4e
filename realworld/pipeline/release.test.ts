// The default branch and a release tag, run by gitlab-ci-local on the cluster suite's control plane, each job as
// .gitlab-ci.yml writes it with its environment's scoped variables: staging's deploy given production's
// kubeconfig (refused, nothing made); staging:preview and staging:deploy, which push the images; the tag's
// production:preview, then production:deploy by hand, running exactly the digests staging pushed; then a
// scheduled pipeline's drift check of production, before and after hand changes (a `kubectl edit`, an env var
// added with `kubectl set env`), after the deploys that follow, and after the env var is removed by hand.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { podSpecOf } from "../../util/podTemplates";
import { cluster, deployerKubeconfig } from "../cluster/fixture";
import { summary } from "../cluster/workspace";
import { byKind, emptyNamespace, managed, Obj } from "../cluster/objects";
import { imageRepository, provideBackupVolume } from "../cluster/production";
import { ok, Result } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { GitLabProject } from "./gitlabProject";
import { jobOutput } from "./jobOutput";
import { pipelineKinds } from "../../scripts/pipelineKinds";

/** Every container image of the Deployments in `objects`, by Deployment and container. */
function imagesOf(objects: Obj[]): Record<string, string> {
    const images: Record<string, string> = {};
    for (const d of byKind(objects, "Deployment")) for (const c of podSpecOf(d).containers) images[`${d.metadata.name.replace(/^argus(-staging)?-/, "")}/${c.name}`] = c.image;
    return images;
}

/**
 * `kubectl edit` of production's api Deployment as someone would make it by hand (the admin's kubeconfig), its
 * editor a script: 3 replicas instead of 1, and the django container's SECRET_KEY read from the Secret's
 * DATABASE_URL key instead of its own (kubectl writes the object to a file and runs $KUBE_EDITOR <file>).
 */
async function editProductionApiByHand(): Promise<void> {
    const editor = path.join(makeDir("pipeline-hand-edit"), "edit.js");
    fs.writeFileSync(
        editor,
        `const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
d.spec.replicas = 3;
const django = d.spec.template.spec.containers.find((c) => c.name === "django");
django.env.find((e) => e.name === "SECRET_KEY").valueFrom.secretKeyRef.key = "DATABASE_URL";
fs.writeFileSync(process.argv[2], JSON.stringify(d));
`,
    );
    ok(await cluster().kubectl(["edit", "deployment/argus-api", "-n", "argus", "-o", "json"], { env: { ...process.env, KUBE_EDITOR: `node ${editor}` } }), "kubectl edit deployment/argus-api");
}

/** `kubectl set env` on production's django container: DEBUG=1 added (`DEBUG=1`), or removed (`DEBUG-`). */
async function setDjangoEnvByHand(change: string): Promise<void> {
    ok(await cluster().kubectl(["set", "env", "deployment/argus-api", "-n", "argus", "-c", "django", change]), `kubectl set env ${change}`);
}

/** The replica count of production's api Deployment, the django container's SECRET_KEY key and DEBUG, as the cluster has them. */
async function productionApi(): Promise<{ replicas: number; secretKeyFrom: string; debug?: string }> {
    const api = (await cluster().get(["deployment", "argus-api", "-n", "argus"]))!;
    const django = podSpecOf(api).containers.find((c: Obj) => c.name === "django")!;
    const debug = django.env.find((e: Obj) => e.name === "DEBUG")?.value;
    return { replicas: api.spec.replicas, secretKeyFrom: django.env.find((e: Obj) => e.name === "SECRET_KEY").valueFrom.secretKeyRef.key, ...(debug === undefined ? {} : { debug }) };
}

/** A scheduled pipeline's production:drift. */
function productionDrift(project: GitLabProject): Promise<Result> {
    return project.run(pipelineKinds.schedule, ["production:drift"]);
}

/** The drift check passed, and its report says so. */
function expectNoDrift(project: GitLabProject, drift: Result): void {
    expect(drift.code, drift.output.slice(-4000)).to.equal(0);
    expect(project.artifact("production:drift", "drift.txt")).to.match(/production: no drift/);
}

const handSetDebug = "spec.template.spec.containers[name=django].env[name=DEBUG]: set by hand (kubectl-set,";

describe("the default branch and a release tag, run by gitlab-ci-local with staging's and production's identities", function () {
    let project: GitLabProject;
    before(async function () {
        project = new GitLabProject(cluster());
        // What an operator does once per environment (docs/operations.md, "Set up a new environment"): the stacks.
        await project.initStack("staging");
        await project.initStack("production");
    });
    after(async function () {
        // The namespaces are the cluster team's: emptied, not deleted.
        await emptyNamespace(cluster(), "argus-staging");
        await emptyNamespace(cluster(), "argus");
    });

    describe("staging:deploy, its KUBECONFIG variable holding production's kubeconfig by mistake", function () {
        let result: Result;
        before(async function () {
            project.writeVariables({ staging: deployerKubeconfig("production") });
            result = await project.run(pipelineKinds.protectedDefaultBranch, ["staging:deploy"]);
            project.writeVariables();
        });

        it("fails, naming the namespace production's identity may not write", function () {
            expect(result.code, result.output.slice(-4000)).to.not.equal(0);
            expect(result.output).to.match(/FAIL\s+staging:deploy/);
            // RBAC's refusal (k8s.io/apiserver v0.34.4, pkg/endpoints/handlers/responsewriters/errors.go, forbiddenMessage).
            expect(result.output).to.match(/forbidden: User "system:serviceaccount:[^"]+:production" cannot \w+ resource "\w+" in API group "[^"]*" in the namespace "argus-staging"/);
        });

        it("creates nothing in argus-staging", async function () {
            expect((await managed(cluster(), "argus-staging")).map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
        });
    });

    describe("the protected default branch: staging:preview, then staging:deploy", function () {
        let result: Result;
        let objects: Obj[];
        before(async function () {
            result = await project.run(pipelineKinds.protectedDefaultBranch, ["staging:preview", "staging:deploy"]);
            objects = await managed(cluster(), "argus-staging");
        });

        it("passes both jobs, the deploy creating what the preview's artifact said, every kind of object in argus-staging", function () {
            expect(result.code, result.output.slice(-6000)).to.equal(0);
            // Fewer than from nothing: the refused deploy above left the components, provider and images in the
            // state (it failed at the first Kubernetes object).
            const planned = summary(project.artifact("staging:preview", "preview.txt"))["to create"];
            expect(planned).to.be.greaterThan(0);
            expect(summary(jobOutput(result, "staging:deploy")).created).to.equal(planned);
            expect([...new Set(objects.map((o) => o.kind))].sort()).to.include.members(["ConfigMap", "Deployment", "Ingress", "Job", "NetworkPolicy", "Secret", "Service", "ServiceAccount"]);
        });

        it("runs the images it pushed, each by the digest the registry holds for its tag", async function () {
            const ours = Object.values(imagesOf(objects)).filter((i) => i.startsWith(`${imageRepository(cluster())}/`));
            expect(ours.length).to.be.greaterThan(1);
            for (const image of new Set(ours)) {
                const [repository, digest] = image.split("@");
                const tags = await cluster().registry.crane(["ls", repository]);
                const digests = await Promise.all(tags.stdout.trim().split("\n").map(async (t) => (await cluster().registry.crane(["digest", `${repository}:${t}`])).stdout.trim()));
                expect(digests, image).to.include(digest);
            }
        });
    });

    describe("the protected tag v1.2.3: production:preview, then production:deploy by hand", function () {
        let preview: Result;
        let deploy: Result;
        let staging: Record<string, string>;
        let production: Record<string, string>;
        before(async function () {
            await provideBackupVolume(cluster());
            preview = await project.run(pipelineKinds.releaseTag, ["production:preview"]);
            deploy = await project.run(pipelineKinds.releaseTag, ["production:deploy"], ["production:deploy"]);
            staging = imagesOf(await managed(cluster(), "argus-staging"));
            production = imagesOf(await managed(cluster(), "argus"));
        });

        it("previews, then deploys what the preview said", function () {
            expect(preview.code, preview.output.slice(-6000)).to.equal(0);
            expect(deploy.code, deploy.output.slice(-6000)).to.equal(0);
            const planned = summary(project.artifact("production:preview", "preview.txt"))["to create"];
            expect(planned).to.be.greaterThan(20);
            expect(summary(jobOutput(deploy, "production:deploy")).created).to.equal(planned);
        });

        it("runs exactly the digests staging pushed, and builds nothing", function () {
            expect(production).to.deep.equal(staging);
            expect(jobOutput(deploy, "production:deploy")).to.not.match(/docker:index\/image:Image/);
        });
    });

    describe("a scheduled pipeline's production:drift, nothing changed by hand", function () {
        let result: Result;
        before(async function () {
            result = await productionDrift(project);
        });

        it("passes, its report saying no drift", function () {
            expectNoDrift(project, result);
        });
    });

    describe("production:drift after hand changes to production's api Deployment: a kubectl edit, an env var added", function () {
        let result: Result;
        let report: string;
        before(async function () {
            await editProductionApiByHand();
            await setDjangoEnvByHand("DEBUG=1");
            result = await productionDrift(project);
            report = project.artifact("production:drift", "drift.txt");
        });

        it("fails, its report naming the Deployment, each field the program sets with the cluster's and the program's value, and the one it does not set", function () {
            expect(result.code).to.not.equal(0);
            expect(result.output).to.match(/FAIL\s+production:drift/);
            expect(report).to.include("Deployment argus-api (namespace argus): the program would change it back");
            expect(report).to.include("spec.replicas: 3 -> 1");
            expect(report).to.match(/spec\.template\.spec\.containers\[0\]\.env\[1\]\.valueFrom\.secretKeyRef\.key: "DATABASE_URL" -> "SECRET_KEY"/);
            expect(report).to.include(handSetDebug);
            expect(report).to.match(/production: drifted: 1 object differs from the stack/);
        });

        it("changes nothing: the hand changes are still there", async function () {
            expect(await productionApi()).to.deep.equal({ replicas: 3, secretKeyFrom: "DATABASE_URL", debug: "1" });
        });
    });

    describe("production:preview, production:deploy by hand, then production:drift again", function () {
        let deploy: Result;
        let drift: Result;
        before(async function () {
            // The release pipeline again, as an operator runs it: its preview (which reads the cluster), then the deploy by hand.
            deploy = await project.run(pipelineKinds.releaseTag, ["production:preview", "production:deploy"], ["production:deploy"]);
            drift = await productionDrift(project);
        });

        it("puts the program's values back, and drops the env var kubectl added, since it updates that Deployment", async function () {
            expect(deploy.code, deploy.output.slice(-4000)).to.equal(0);
            expect(await productionApi()).to.deep.equal({ replicas: 1, secretKeyFrom: "SECRET_KEY" });
        });

        it("passes the drift check", function () {
            expectNoDrift(project, drift);
        });
    });

    describe("an env var added by hand alone: production:drift, production:preview and deploy, production:drift", function () {
        let first: Result;
        let deploy: Result;
        let second: Result;
        let report: string;
        before(async function () {
            await setDjangoEnvByHand("DEBUG=1");
            first = await productionDrift(project);
            report = project.artifact("production:drift", "drift.txt");
            deploy = await project.run(pipelineKinds.releaseTag, ["production:preview", "production:deploy"], ["production:deploy"]);
            second = await productionDrift(project);
        });

        it("fails the drift check, naming only that env var, to be removed by hand", function () {
            expect(first.code).to.not.equal(0);
            expect(report).to.include(handSetDebug).and.to.include("remove it by hand");
            expect(report).to.not.include("spec.replicas");
        });

        it("is left by the deploy, which has nothing of the program's to change there, so the check still fails", async function () {
            expect(deploy.code, deploy.output.slice(-4000)).to.equal(0);
            expect(await productionApi()).to.deep.equal({ replicas: 1, secretKeyFrom: "SECRET_KEY", debug: "1" });
            expect(second.code).to.not.equal(0);
        });
    });

    describe("the env var removed by hand, as the report says, then production:drift", function () {
        let drift: Result;
        before(async function () {
            await setDjangoEnvByHand("DEBUG-");
            drift = await productionDrift(project);
        });

        it("passes the drift check", function () {
            expectNoDrift(project, drift);
        });
    });
});
