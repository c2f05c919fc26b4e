// A merge request's pipelines run by gitlab-ci-local on the cluster suite's control plane, each job exactly as
// .gitlab-ci.yml writes it, with the review identity's kubeconfig (scoped to review/*): review:preview and
// review:deploy; a new push that changes one setting; review:stop, twice.
import { expect } from "chai";
import { cluster } from "../cluster/fixture";
import { summary } from "../cluster/workspace";
import { managed, Obj, specChangesOf } from "../cluster/objects";
import { Result } from "../shared/process";
import { GitLabProject } from "./gitlabProject";
import { mergeRequestIid, pipelineKinds } from "../../scripts/pipelineKinds";
import { jobOutput } from "./jobOutput";

const stack = `review-${mergeRequestIid}`;
const ns = `argus-review-${mergeRequestIid}`;
const mergeRequest = pipelineKinds.mergeRequest;

describe("a merge request's pipelines, run by gitlab-ci-local with the review identity", function () {
    let project: GitLabProject;
    before(function () {
        project = new GitLabProject(cluster());
    });

    describe("the first pipeline: review:preview, then review:deploy", function () {
        let result: Result;
        let preview: string;
        let objects: Obj[];
        before(async function () {
            result = await project.run(mergeRequest, ["review:preview", "review:deploy"]);
            preview = project.artifact("review:preview", "preview.txt");
            objects = await managed(cluster(), ns);
        });

        it("passes both jobs", function () {
            expect(result.code, result.output.slice(-6000)).to.equal(0);
            expect(result.output).to.match(/PASS\s+review:preview/).and.to.match(/PASS\s+review:deploy/);
        });

        it("says in the preview's artifact what would be created, and the deploy creates exactly that", function () {
            const planned = summary(preview)["to create"];
            expect(planned, preview.slice(-3000)).to.be.greaterThan(20);
            expect(summary(jobOutput(result, "review:deploy")).created).to.equal(planned);
        });

        it(`makes the review app's objects in ${ns}, its own database among them`, function () {
            const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
            expect(names).to.include.members([`Deployment/${ns}-api`, `Deployment/${ns}-webui`, `Deployment/${ns}-database`]);
        });
    });

    describe("a new push that changes one setting", function () {
        let result: Result;
        let changed: string[];
        before(async function () {
            project.checkout.edit("Pulumi.review.yaml", "config:\n", "config:\n  argus:resourceOverrides: webui.memory=80Mi/128Mi\n");
            project.checkout.commit("the webui's memory, a new push");
            ({ result, changed } = await specChangesOf(cluster(), ns, () => project.run(mergeRequest, ["review:preview", "review:deploy"])));
        });

        it("previews one update, and changes exactly the webui's Deployment", function () {
            expect(result.code, result.output.slice(-6000)).to.equal(0);
            const preview = project.artifact("review:preview", "preview.txt");
            expect(summary(preview)["to update"], preview.slice(-3000)).to.equal(1);
            // `pulumi preview --diff` names each change and the object's id: namespace/name.
            expect(preview).to.match(new RegExp(`~ kubernetes:apps/v1:Deployment: \\(update\\)\\n\\s+\\[id=${ns}/${ns}-webui\\]`));
            expect(changed).to.deep.equal([`Deployment/${ns}-webui`]);
        });
    });

    describe("review:stop, run by hand, then once more", function () {
        let first: Result;
        let second: Result;
        before(async function () {
            first = await project.run(mergeRequest, ["review:stop"], ["review:stop"]);
            second = await project.run(mergeRequest, ["review:stop"], ["review:stop"]);
        });

        it("removes the namespace and the stack", async function () {
            expect(first.code, first.output.slice(-6000)).to.equal(0);
            expect(await cluster().get(["namespace", ns])).to.equal(undefined);
            const stacks = await project.pulumi("review", ["stack", "ls", "--json"]);
            expect(JSON.parse(stacks.stdout).map((s: { name: string }) => s.name)).to.not.include(stack);
        });

        it("succeeds again when there is nothing left to stop", function () {
            expect(second.code, second.output.slice(-6000)).to.equal(0);
            expect(second.output).to.include(`Stack ${stack} does not exist (already removed); nothing to destroy.`);
        });
    });
});
