import { expect } from "chai";
import { jobsRun, pipelines, resolved, Variables } from "../support/gitlabPipeline";

/**
 * The drift jobs of .gitlab-ci.yml: which pipelines run them, with which environment, script and artifact. The
 * pipeline suite (realworld/pipeline) runs them; here stays what it cannot show: rules of pipelines it does not
 * make, and that `action: verify` records no deployment (doc/ci/yaml/_index.md, environment:action, gitlabhq).
 */

const defaultBranch = { CI_DEFAULT_BRANCH: "main", CI_PROJECT_PATH: "sikt/argus-deploy", CI_COMMIT_BRANCH: "main", CI_COMMIT_REF_NAME: "main" };
const schedule = (protectedRef: boolean, branch = "main"): Variables => ({ ...defaultBranch, CI_PIPELINE_SOURCE: "schedule", CI_COMMIT_BRANCH: branch, CI_COMMIT_REF_NAME: branch, CI_COMMIT_REF_PROTECTED: String(protectedRef) });
const drift = ["production:drift", "staging:drift"];
const driftJobsOf = (vars: Variables) => Object.keys(jobsRun(vars)).filter((name) => name.endsWith(":drift"));

describe(".gitlab-ci.yml, drift jobs", () => {
    it("a schedule of the protected default branch runs the tests and both drift jobs, and deploys nothing", () => {
        expect(jobsRun(schedule(true))).to.deep.equal({ test: "on_success", "staging:drift": "on_success", "production:drift": "on_success" });
    });

    it("no other pipeline runs them: an unprotected schedule, a push, a merge request", () => {
        expect(driftJobsOf(schedule(false))).to.deep.equal([]);
        expect(driftJobsOf({ ...defaultBranch, CI_PIPELINE_SOURCE: "push", CI_COMMIT_REF_PROTECTED: "true" })).to.deep.equal([]);
        expect(driftJobsOf(pipelines.mergeRequest)).to.deep.equal([]);
    });

    it("each verifies its environment, in its resource group, with ci/stack.sh drift, waiting for nothing", () => {
        for (const name of drift) {
            const environment = name.split(":")[0];
            const job = resolved(name) as ReturnType<typeof resolved> & { needs?: unknown };
            expect(job.environment, name).to.deep.equal({ name: environment, action: "verify" });
            expect(job.resource_group, name).to.equal(environment);
            expect(job.script, name).to.deep.equal([`ci/stack.sh ${environment} drift`]);
            expect(job.needs, name).to.deep.equal([]);
            expect(job.extends, name).to.equal(".pulumi");
        }
    });

    it("keeps drift.txt for 30 days, also when the job fails (it fails when anything drifted)", () => {
        for (const name of drift) {
            expect((resolved(name) as { artifacts?: unknown }).artifacts, name).to.deep.equal({ paths: ["drift.txt"], when: "always", expire_in: "30 days" });
        }
    });
});
