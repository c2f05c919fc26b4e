// The `test` job run by gitlab-ci-local in the shell executor, its script exactly as .gitlab-ci.yml writes it:
// install-system-packages.sh, npm ci, npm test, the three offline renders; then its artifact.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Result } from "../shared/process";
import { interpreter, pipelineKinds } from "../../scripts/pipelineKinds";
import { Checkout } from "./interpreter";

describe("the test job, run by gitlab-ci-local in a shell", function () {
    let checkout: Checkout;
    let result: Result;

    before(async function () {
        this.timeout(900_000);
        checkout = new Checkout(interpreter());
        // The job's image is ignored (--force-shell-executor): it runs with this machine's Node, nginx and redis.
        // npm_config_cache stands for the job's GitLab cache of .npm/ (keyed by package-lock.json): this
        // machine's npm cache, so `npm ci --prefer-offline` needs the registry only for what it lacks.
        const kind = { ...pipelineKinds.protectedDefaultBranch, variables: { ...pipelineKinds.protectedDefaultBranch.variables, npm_config_cache: path.join(os.homedir(), ".npm") } };
        result = await checkout.run(kind, ["--force-shell-executor", "test"], 840_000);
    });

    it("passes", function () {
        expect(result.code, result.output.slice(-4000)).to.equal(0);
        expect(result.output).to.match(/PASS\s+test/);
    });

    it("exports the rendered manifests of production, staging and review as its artifact", function () {
        const artifacts = path.join(checkout.dir, ".gitlab-ci-local", "artifacts", "test", "rendered");
        for (const stack of ["production", "staging", "review"]) {
            const manifests = fs.readFileSync(path.join(artifacts, stack, "manifests.yaml"), "utf8");
            expect(manifests, stack).to.match(/^kind: Deployment$/m);
            const resources = JSON.parse(fs.readFileSync(path.join(artifacts, stack, "resources.json"), "utf8"));
            expect(resources, stack).to.not.be.empty;
        }
    });
});
