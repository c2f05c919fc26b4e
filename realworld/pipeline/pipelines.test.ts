// Which jobs each kind of pipeline creates, as gitlab-ci-local evaluates .gitlab-ci.yml (schema, rules,
// when, environment), against docs/operations.md's "The pipeline at a glance".
import { expect } from "chai";
import { interpreter, ListedJob, mergeRequestIid, PipelineKind, pipelineKinds } from "../../scripts/pipelineKinds";
import { Checkout } from "./interpreter";

/** A job as the table says it: when it runs, its environment ("" for none), the jobs it waits for. */
type Expected = Record<string, { when: "on_success" | "manual"; environment: string; needs: string[] }>;

const job = (when: "on_success" | "manual", environment: string, needs: string[]) => ({ when, environment, needs });
const test = { test: job("on_success", "", []) };
const review = `review/${mergeRequestIid}`;
const staging = {
    ...test,
    "staging:preview": job("on_success", "staging", ["test"]),
    "staging:deploy": job("on_success", "staging", ["staging:preview"]),
};

// docs/operations.md, "The pipeline at a glance": `test` in every pipeline; review:* for merge requests
// (review:stop by hand), the deploy after the preview; staging:* on the protected default branch, the deploy
// after the preview; production:* on protected tags vX.Y.Z, production:deploy by hand after the preview;
// the drift checks on schedules. Everything else deploys nothing.
const expectedJobs: [PipelineKind, Expected][] = [
    [
        pipelineKinds.mergeRequest,
        {
            ...test,
            "review:preview": job("on_success", review, ["test"]),
            "review:deploy": job("on_success", review, ["review:preview"]),
            "review:stop": job("manual", review, ["review:deploy"]),
        },
    ],
    [pipelineKinds.protectedDefaultBranch, staging],
    [
        pipelineKinds.releaseTag,
        {
            ...test,
            "production:preview": job("on_success", "production", ["test"]),
            "production:deploy": job("manual", "production", ["production:preview"]),
        },
    ],
    [pipelineKinds.unprotectedDefaultBranch, test],
    [pipelineKinds.unprotectedReleaseTag, test],
    // GitLab creates no pipeline at all here (workflow:rules), which the interpreter does not apply:
    // tests/ci/gitlabRules.test.ts pins that. What the interpreter shows is that no job would deploy.
    [pipelineKinds.otherProtectedTag, test],
    // A schedule of the protected default branch deploys nothing (the staging jobs exclude schedules); it checks
    // staging and production for drift, neither waiting for the test job.
    [pipelineKinds.schedule, { ...test, "staging:drift": job("on_success", "staging", []), "production:drift": job("on_success", "production", []) }],
    // Unprotected, a schedule gets no protected variables: it checks nothing either.
    [pipelineKinds.unprotectedSchedule, test],
];

function described(jobs: Map<string, ListedJob>): Expected {
    return Object.fromEntries([...jobs.values()].map((j) => [j.name, job(j.when as "on_success" | "manual", j.environment, j.needs)]));
}

describe("gitlab-ci-local reads .gitlab-ci.yml as GitLab would", function () {
    let checkout: Checkout;

    before(function () {
        this.timeout(300_000); // a cold install of the interpreter
        checkout = new Checkout(interpreter());
    });

    describe("schema validation", function () {
        it("passes .gitlab-ci.yml against GitLab's schema", async function () {
            const result = await checkout.run(pipelineKinds.protectedDefaultBranch, ["--list-csv"]);
            expect(result.code, result.output).to.equal(0);
            expect(result.stderr).to.match(/json schema validated/);
        });

        it("rejects a file that breaks the schema (so the pass above means something)", async function () {
            const broken = new Checkout(interpreter());
            broken.edit(".gitlab-ci.yml", "      when: manual\n      allow_failure: true\n  environment:\n    name: production", "      when: sometimes\n      allow_failure: true\n  environment:\n    name: production");
            const result = await broken.run(pipelineKinds.releaseTag, ["--list-csv"]);
            expect(result.code).to.not.equal(0);
            expect(result.output).to.include("Invalid .gitlab-ci.yml configuration");
            expect(result.output).to.match(/'when' property must be one of .* \(found sometimes\) at production:deploy\.rules\.0\.when/);
        });
    });

    for (const [kind, expected] of expectedJobs) {
        describe(`${kind.name}`, function () {
            let jobs: Map<string, ListedJob>;

            before(async function () {
                jobs = await checkout.jobs(kind);
            });

            it("creates exactly the jobs the operators' guide lists, with their when, environment and needs", function () {
                expect(described(jobs)).to.deep.equal(expected);
            });

            it("lets a manual job fail without failing the pipeline", function () {
                for (const job of jobs.values()) expect(job.allowFailure, job.name).to.equal(job.when === "manual");
            });
        });
    }
});
