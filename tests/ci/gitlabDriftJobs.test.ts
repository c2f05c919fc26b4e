import { expect } from "chai";
import { resolved } from "../support/gitlabPipeline";

/**
 * The drift jobs of .gitlab-ci.yml. The pipeline suite (realworld/pipeline) shows which pipelines create them,
 * their needs, and their artifact kept when they fail (gitlab-ci-local exports it then only with `when: always`,
 * src/job.ts); here stays what it cannot show: `action: verify`, which records no deployment
 * (doc/ci/yaml/_index.md, environment:action, gitlabhq), the resource_group, the script.
 */

const drift = ["production:drift", "staging:drift"];

describe(".gitlab-ci.yml, drift jobs", () => {
    it("each verifies its environment, in its resource group, with ci/stack.sh drift", () => {
        for (const name of drift) {
            const environment = name.split(":")[0];
            const job = resolved(name);
            expect(job.environment, name).to.deep.equal({ name: environment, action: "verify" });
            expect(job.resource_group, name).to.equal(environment);
            expect(job.script, name).to.deep.equal([`ci/stack.sh ${environment} drift`]);
            expect(job.extends, name).to.equal(".pulumi");
        }
    });
});
