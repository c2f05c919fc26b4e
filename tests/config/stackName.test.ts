import { expect } from "chai";
import { parseStackConfig } from "../../stacks";
import { parseStackName } from "../../stacks/stackName";
import { mapSource, minimalConfig, minimalSecrets } from "../helpers";
import { configError } from "./helpers";

describe("stack names", () => {
    it("maps production, staging and review stacks to environments, instance names and config files", () => {
        expect(parseStackName("production")).to.deep.include({ environment: "production", instanceName: "argus", configFile: "Pulumi.production.yaml" });
        expect(parseStackName("staging")).to.deep.include({ environment: "staging", instanceName: "argus-staging", configFile: "Pulumi.staging.yaml" });
        expect(parseStackName("review")).to.deep.include({ environment: "review", instanceName: "argus-review", configFile: "Pulumi.review.yaml" });
        expect(parseStackName("review-123")).to.deep.include({ environment: "review", instanceName: "argus-review-123", configFile: "Pulumi.review.yaml" });
    });

    it("refuses an unknown stack with the names it accepts", () => {
        const error = configError(() => parseStackConfig("dev", mapSource(minimalConfig, minimalSecrets)));
        expect(error.message).to.equal(
            'The configuration of stack "dev" has 1 problem; nothing was created.\n' +
                '  - stack name: unknown stack "dev". Fix: Use production, staging, review, or review-<slug> with a lower-case slug such as review-123.',
        );
    });

    it("refuses review slugs that are not DNS labels or too long", () => {
        expect(parseStackName("review-Feature_X")).to.be.a("string");
        expect(parseStackName(`review-${"a".repeat(45)}`)).to.match(/too long/);
    });
});
