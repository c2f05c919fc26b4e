import { expect } from "chai";
import { Rendering } from "../../render";
import { RenderMocks } from "../../render/mocks";
import { ConfigError } from "../../stacks";
import { upgradeProblem } from "../../stacks/upgrade";
import { renderWith } from "../helpers";

/** Upgrades the program refuses, from the release a stack runs now (stacks/upgrade.ts, fed by the stack's own last outputs). */

const v210 = { argusVersion: "2.10.2" };

describe("the stepping stone between a 1.x database and 2.10", () => {
    it("refuses a stack that runs 1.x now, naming the release to deploy first", () => {
        const problem = upgradeProblem("production", "1.37.0", "2.10.2")!;
        expect(problem.key).to.equal("argusVersion");
        expect(problem.problem).to.equal('"2.10.2" cannot follow 1.37.0, which this stack runs now: 2.10 removed the migrations its squashed ones replace, so a database no 2.x release has migrated cannot be migrated by it (NOTES.md at 2.10.0). Nothing was changed.');
        expect(problem.fix).to.equal('pulumi config set --stack production argusVersion 2.9.1, pulumi up, then set 2.10.2 again (docs/operations.md, "Upgrade to Argus 2.x")');
    });

    it("lets a stack on any 2.x release, and a new stack, go to 2.10; and 1.x to 2.9.1", () => {
        expect(upgradeProblem("production", "2.8.0", "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", "2.10.0", "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", undefined, "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", "1.37.0", "2.9.1")).to.equal(undefined);
    });

    describe("in the program", () => {
        let mocks: RenderMocks;
        let refusal: unknown;
        let fine: Rendering;
        beforeEach(async () => {
            mocks = new RenderMocks({ staging: { argusVersion: "1.37.0" } });
            refusal = await renderWith("staging", v210, {}, mocks).catch((err: unknown) => err);
            fine = await renderWith("staging", v210, {}, new RenderMocks({ staging: { argusVersion: "2.9.1" } }));
        });

        it("is refused from the stack's own outputs, before it makes anything", () => {
            expect(refusal).to.be.instanceOf(ConfigError);
            expect((refusal as Error).message).to.contain('argus:argusVersion: "2.10.2" cannot follow 1.37.0');
            // The stack itself, and the read of its own last outputs: no object of the cluster.
            expect(mocks.resources.map((x) => x.type)).to.deep.equal(["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
        });

        it("lets a stack that runs 2.x now go on to 2.10", () => {
            expect(fine.outputs.argusVersion).to.equal("2.10.2");
        });
    });
});
