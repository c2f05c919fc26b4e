import { expect } from "chai";
import { evaluate, firstMatch, jobsRun, pipelines, resolved, runnable, shellLines } from "../support/gitlabPipeline";

/** Which jobs of .gitlab-ci.yml run in which pipeline, evaluated as GitLab evaluates their rules. */

describe(".gitlab-ci.yml, as GitLab would run it", () => {
    it("evaluates rule expressions as GitLab does", () => {
        expect(evaluate('$A == "x" && $B', { A: "x", B: "1" })).to.equal(true);
        expect(evaluate('$A == "x" && $B', { A: "x" })).to.equal(false);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3" })).to.equal(true);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3-rc1" })).to.equal(false);
        expect(evaluate("$A == $B || $C", { A: "1", B: "2", C: "yes" })).to.equal(true);
    });

    it("a merge request tests, renders, and previews, deploys and stops its own review stack only", () => {
        expect(jobsRun(pipelines.mergeRequest)).to.deep.equal({ test: "on_success", "review:preview": "on_success", "review:deploy": "on_success", "review:stop": "manual" });
    });

    it("no merge-request job that holds credentials names staging or production, their stacks or their environments", () => {
        // The test job renders every stack offline, with no credentials; every other job runs Pulumi.
        const withCredentials = Object.keys(jobsRun(pipelines.mergeRequest)).filter((name) => name !== "test");
        expect(withCredentials.every((name) => shellLines(name).some((l) => l.includes("ci/stack.sh")))).to.equal(true);
        for (const name of withCredentials) {
            const job = resolved(name);
            if (job.environment) expect(job.environment.name, name).to.match(/^review\//);
            for (const line of job.script ?? []) {
                expect(line, `${name}: ${line}`).not.to.match(/\b(staging|production)\b/);
            }
        }
    });

    it("a branch with an open merge request runs no second pipeline", () => {
        expect(jobsRun(pipelines.branchWithMergeRequest)).to.deep.equal({});
    });

    it("the protected default branch tests, previews staging, then deploys it", () => {
        expect(jobsRun(pipelines.defaultBranch)).to.deep.equal({ test: "on_success", "staging:preview": "on_success", "staging:deploy": "on_success" });
        expect(resolved("staging:deploy").needs).to.deep.equal(["staging:preview"]);
    });

    it("a protected release tag previews production; the deploy waits for a person and blocks nothing", () => {
        expect(jobsRun(pipelines.releaseTag)).to.deep.equal({ test: "on_success", "production:preview": "on_success", "production:deploy": "manual" });
        expect(resolved("production:deploy").needs).to.deep.equal(["production:preview"]);
        const rule = firstMatch(resolved("production:deploy").rules!, pipelines.releaseTag)!;
        expect(rule.allow_failure).to.equal(true);
    });

    it("an unprotected tag reaches no environment", () => {
        expect(jobsRun(pipelines.unprotectedTag)).to.deep.equal({ test: "on_success" });
    });

    it("every job that names staging or production runs only on protected refs", () => {
        for (const name of runnable) {
            const environment = resolved(name).environment?.name ?? "";
            if (!/^(staging|production)$/.test(environment)) continue;
            for (const rule of resolved(name).rules ?? []) {
                expect(rule.if, name).to.contain('$CI_COMMIT_REF_PROTECTED == "true"');
            }
        }
    });
});
