import { expect } from "chai";
import { commandLineKinds, listedJobs, pipelineArguments, pipelineKinds } from "../../scripts/pipelineKinds";

/** What a list of the interpreter's arguments sets, unsets and declares overridden on purpose. */
function readArguments(args: string[]): { set: Record<string, string>; unset: string[]; ignored: string[] } {
    const valuesOf = (option: string) => args.flatMap((a, i) => (a === option ? [args[i + 1]] : []));
    const set = Object.fromEntries(valuesOf("--variable").map((v) => [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)]));
    return { set, unset: valuesOf("--unset-variable"), ignored: valuesOf("--ignore-predefined-vars").flatMap((v) => v.split(",")) };
}

const common = { CI_DEFAULT_BRANCH: "main" };

describe("the kinds of pipeline an operator runs by name", () => {
    it("are the four protected kinds, under the names docs/operations.md gives", () => {
        expect(commandLineKinds).to.deep.equal({
            "merge-request": pipelineKinds.mergeRequest,
            "default-branch": pipelineKinds.protectedDefaultBranch,
            "release-tag": pipelineKinds.releaseTag,
            schedule: pipelineKinds.schedule,
        });
    });
});

describe("the interpreter's arguments for each kind (what GitLab sets, what it leaves out)", () => {
    it("merge-request: a merge_request_event of IID 7 on an unprotected ref, CI_COMMIT_BRANCH removed", () => {
        const args = readArguments(pipelineArguments(commandLineKinds["merge-request"]));
        expect(args.set).to.deep.equal({ ...common, CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: "7", CI_COMMIT_REF_NAME: "feature", CI_COMMIT_REF_PROTECTED: "false" });
        expect(args.unset).to.deep.equal(["CI_COMMIT_BRANCH"]);
    });

    it("default-branch: a push to the protected branch main, CI_COMMIT_BRANCH kept", () => {
        const args = readArguments(pipelineArguments(commandLineKinds["default-branch"]));
        expect(args.set).to.deep.equal({ ...common, CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "main", CI_COMMIT_REF_NAME: "main", CI_COMMIT_REF_PROTECTED: "true" });
        expect(args.unset).to.deep.equal([]);
    });

    it("release-tag: a push of the protected tag v1.2.3, CI_COMMIT_BRANCH removed", () => {
        const args = readArguments(pipelineArguments(commandLineKinds["release-tag"]));
        expect(args.set).to.deep.equal({ ...common, CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "v1.2.3", CI_COMMIT_REF_NAME: "v1.2.3", CI_COMMIT_REF_PROTECTED: "true" });
        expect(args.unset).to.deep.equal(["CI_COMMIT_BRANCH"]);
    });

    it("schedule: a scheduled pipeline of the protected branch main", () => {
        const args = readArguments(pipelineArguments(commandLineKinds.schedule));
        expect(args.set).to.deep.equal({ ...common, CI_PIPELINE_SOURCE: "schedule", CI_COMMIT_BRANCH: "main", CI_COMMIT_REF_NAME: "main", CI_COMMIT_REF_PROTECTED: "true" });
        expect(args.unset).to.deep.equal([]);
    });

    it("the suite's unprotected kinds leave the ref unprotected; its tag release-1 has no CI_COMMIT_BRANCH either", () => {
        expect(readArguments(pipelineArguments(pipelineKinds.unprotectedDefaultBranch)).set.CI_COMMIT_REF_PROTECTED).to.equal("false");
        expect(readArguments(pipelineArguments(pipelineKinds.unprotectedReleaseTag)).set.CI_COMMIT_REF_PROTECTED).to.equal("false");
        expect(readArguments(pipelineArguments(pipelineKinds.otherProtectedTag))).to.deep.include({ unset: ["CI_COMMIT_BRANCH"] });
        expect(readArguments(pipelineArguments(pipelineKinds.otherProtectedTag)).set.CI_COMMIT_TAG).to.equal("release-1");
    });

    it("sets the extra variables too, and declares every set and unset name overridden on purpose", () => {
        const args = readArguments(pipelineArguments(commandLineKinds["release-tag"], { CI_PROJECT_DIR: "/checkout" }));
        expect(args.set.CI_PROJECT_DIR).to.equal("/checkout");
        expect([...args.ignored].sort()).to.deep.equal([...Object.keys(args.set), ...args.unset].sort());
    });
});

describe("the job list --list-csv prints", () => {
    it("is read from its header on, each job with its when, allow_failure, environment and needs", () => {
        const stdout = ["a warning first", "name;stage;when;allowFailure;environment;needs", "test;test;on_success;false;;", "review:stop;review;manual;true;review/7;[review:deploy,test]", ""].join("\n");
        expect([...listedJobs(stdout)!.values()]).to.deep.equal([
            { name: "test", when: "on_success", allowFailure: false, environment: "", needs: [] },
            { name: "review:stop", when: "manual", allowFailure: true, environment: "review/7", needs: ["review:deploy", "test"] },
        ]);
    });

    it("is missing when the header is", () => {
        expect(listedJobs("Error: .gitlab-ci.yml is invalid\n")).to.equal(undefined);
    });
});
