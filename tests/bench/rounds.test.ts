import { expect } from "chai";
import { Judge, orderOfRound, runRounds, Tool } from "../../realworld/bench/rounds";
import { StepName, ToolName } from "../../realworld/bench/table";

/** A tool whose steps only log; `fails` names a step that throws (in every round). */
function fakeTool(name: ToolName, log: string[], fails?: StepName): Tool {
    const steps: StepName[] = name === "pulumi" ? ["preview", "from nothing", "delete"] : ["from nothing", "delete"];
    return {
        name,
        steps: steps.map((step) => ({
            step,
            prepare: async () => void log.push(`${name} prepare ${step}`),
            run: async () => {
                log.push(`${name} ${step}`);
                if (step === fails) throw new Error(`${step} broke`);
            },
        })),
        recover: async () => void log.push(`${name} recover`),
    };
}

function judge(log: string[], failingCheck?: StepName): Judge {
    return {
        checks: {
            "from nothing": async () => {
                log.push("check ready");
                if (failingCheck === "from nothing") throw new Error("a Deployment is not rolled out");
            },
        },
        emptyNamespace: async () => void log.push("empty"),
    };
}

describe("the deploy benchmark's rounds (realworld/bench/rounds.ts)", () => {
    let quiet: typeof console.log;
    beforeEach(() => ((quiet = console.log), (console.log = () => undefined)));
    afterEach(() => (console.log = quiet));

    it("rotates the tools' order by one each round", () => {
        expect([0, 1, 2, 3].map((r) => orderOfRound(["a", "b", "c"], r).join(""))).to.deep.equal(["abc", "bca", "cab", "abc"]);
    });

    it("runs each tool's steps in turn, each prepared first and checked after, and empties the namespace after each tool", async () => {
        const log: string[] = [];
        const outcome = await runRounds([fakeTool("pulumi", log), fakeTool("helm", log)], 2, judge(log));
        expect(log).to.deep.equal([
            ...["pulumi prepare preview", "pulumi preview", "pulumi prepare from nothing", "pulumi from nothing", "check ready", "pulumi prepare delete", "pulumi delete", "empty"],
            ...["helm prepare from nothing", "helm from nothing", "check ready", "helm prepare delete", "helm delete", "empty"],
            ...["helm prepare from nothing", "helm from nothing", "check ready", "helm prepare delete", "helm delete", "empty"],
            ...["pulumi prepare preview", "pulumi preview", "pulumi prepare from nothing", "pulumi from nothing", "check ready", "pulumi prepare delete", "pulumi delete", "empty"],
        ]);
        expect(outcome.failures).to.deep.equal([]);
        expect(Object.keys(outcome.timings.pulumi)).to.deep.equal(["preview", "from nothing", "delete"]);
        expect(outcome.timings.pulumi.preview).to.have.length(2);
        expect(outcome.timings.kubectl).to.deep.equal({});
    });

    it("ends a tool's round at a failed step, recovers it, records the failure, and goes on with the next tool", async () => {
        const log: string[] = [];
        const outcome = await runRounds([fakeTool("kubectl", log, "from nothing"), fakeTool("helm", log)], 1, judge(log));
        expect(log).to.deep.equal(["kubectl prepare from nothing", "kubectl from nothing", "kubectl recover", "empty", "helm prepare from nothing", "helm from nothing", "check ready", "helm prepare delete", "helm delete", "empty"]);
        expect(outcome.failures).to.have.length(1);
        expect(outcome.failures[0]).to.match(/^round 1 of 1, kubectl from nothing FAILED: from nothing broke$/);
        expect(outcome.timings.kubectl).to.deep.equal({});
        expect(outcome.timings.helm["from nothing"]).to.have.length(1);
    });

    it("counts a step whose check fails as failed, untimed", async () => {
        const log: string[] = [];
        const outcome = await runRounds([fakeTool("helm", log)], 1, judge(log, "from nothing"));
        expect(outcome.failures).to.deep.equal(["round 1 of 1, helm from nothing FAILED: a Deployment is not rolled out"]);
        expect(outcome.timings.helm).to.deep.equal({});
        expect(log).to.deep.equal(["helm prepare from nothing", "helm from nothing", "check ready", "helm recover", "empty"]);
    });
});
