// The default branch and a release tag, run by gitlab-ci-local on the cluster suite's control plane, each job as
// .gitlab-ci.yml writes it with its environment's scoped variables: staging's deploy given production's
// kubeconfig (refused, nothing made); staging:preview and staging:deploy, which push the images; the tag's
// production:preview, then production:deploy by hand, running exactly the digests staging pushed.
import { expect } from "chai";
import { podSpecOf } from "../../util/podTemplates";
import { cluster, deployerKubeconfig } from "../cluster/fixture";
import { byKind, emptyNamespace, managed, Obj } from "../cluster/objects";
import { imageRepository } from "../cluster/production";
import { Result } from "../shared/process";
import { GitLabProject } from "./gitlabProject";
import { jobLines, resourceCounts } from "./jobOutput";
import { pipelineKinds } from "../../scripts/pipelineKinds";

/** Every container image of the Deployments in `objects`, by Deployment and container. */
function imagesOf(objects: Obj[]): Record<string, string> {
    const images: Record<string, string> = {};
    for (const d of byKind(objects, "Deployment")) for (const c of podSpecOf(d).containers) images[`${d.metadata.name.replace(/^argus(-staging)?-/, "")}/${c.name}`] = c.image;
    return images;
}

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

        it("passes both jobs, the deploy creating what the preview's artifact said", function () {
            expect(result.code, result.output.slice(-6000)).to.equal(0);
            const planned = resourceCounts(project.artifact("staging:preview", "preview.txt"))["to create"];
            expect(planned).to.be.greaterThan(20);
            expect(resourceCounts(jobLines(result, "staging:deploy")).created).to.equal(planned);
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
            preview = await project.run(pipelineKinds.releaseTag, ["production:preview"]);
            deploy = await project.run(pipelineKinds.releaseTag, ["production:deploy"], ["production:deploy"]);
            staging = imagesOf(await managed(cluster(), "argus-staging"));
            production = imagesOf(await managed(cluster(), "argus"));
        });

        it("previews, then deploys what the preview said", function () {
            expect(preview.code, preview.output.slice(-6000)).to.equal(0);
            expect(deploy.code, deploy.output.slice(-6000)).to.equal(0);
            const planned = resourceCounts(project.artifact("production:preview", "preview.txt"))["to create"];
            expect(planned).to.be.greaterThan(20);
            expect(resourceCounts(jobLines(deploy, "production:deploy")).created).to.equal(planned);
        });

        it("runs exactly the digests staging pushed, and builds nothing", function () {
            expect(production).to.deep.equal(staging);
            expect(jobLines(deploy, "production:deploy")).to.not.match(/docker:index\/image:Image/);
        });
    });
});
