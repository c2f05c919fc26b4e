import { expect } from "chai";
import { evaluate, jobsRun, pipelines, resolved, runnable, shellLines } from "../support/gitlabPipeline";

/**
 * What of .gitlab-ci.yml's rules the real interpreter cannot show. Which jobs each kind of pipeline creates, with
 * their when, allow_failure, environment and needs, is proved by gitlab-ci-local itself in the pipeline suite
 * (realworld/pipeline/pipelines.test.ts); here stays what it does not evaluate: workflow:rules exclusions
 * (a second pipeline for a branch with an open merge request), what the jobs' scripts name, and the rule
 * text that keeps staging and production to protected refs for any job added later.
 */

describe(".gitlab-ci.yml, as GitLab would run it", () => {
    it("evaluates rule expressions as GitLab does", () => {
        expect(evaluate('$A == "x" && $B', { A: "x", B: "1" })).to.equal(true);
        expect(evaluate('$A == "x" && $B', { A: "x" })).to.equal(false);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3" })).to.equal(true);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3-rc1" })).to.equal(false);
        expect(evaluate("$A == $B || $C", { A: "1", B: "2", C: "yes" })).to.equal(true);
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
