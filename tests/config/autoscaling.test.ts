import { expect } from "chai";
import { parseMinimal } from "../helpers";
import { configError } from "./helpers";

/** The web autoscaler's keys (stacks/sections/autoscaling.ts): off by default, 2.x only, above apiReplicas. */

const server = { argusVersion: "2.10.2" };

describe("the web autoscaler's defaults", () => {
    it("is off: no autoscaler unless webMaxReplicas is set, in either layout", () => {
        expect(parseMinimal("staging", server).api).to.not.have.property("autoscaling");
        expect(parseMinimal("staging").api).to.not.have.property("autoscaling");
    });

    it("runs from apiReplicas up to webMaxReplicas, at 70% of the CPU request unless set", () => {
        expect(parseMinimal("staging", { ...server, apiReplicas: "2", webMaxReplicas: "5" }).api.autoscaling).to.deep.equal({ minReplicas: 2, maxReplicas: 5, targetCpuPercent: 70 });
        expect(parseMinimal("review-1", { ...server, webMaxReplicas: "2", webTargetCpuPercent: "85" }).api.autoscaling).to.deep.equal({ minReplicas: 1, maxReplicas: 2, targetCpuPercent: 85 });
    });

    it("keeps apiReplicas as the fixed count beside it: the autoscaler's fewest", () => {
        expect(parseMinimal("staging", { ...server, apiReplicas: "3", webMaxReplicas: "6" }).api.replicas).to.equal(3);
    });
});

describe("the web autoscaler's refusals", () => {
    it("refuses a maximum not above apiReplicas, which could never add a Pod, suggesting twice apiReplicas", () => {
        expect(configError(() => parseMinimal("staging", { ...server, apiReplicas: "3", webMaxReplicas: "2" })).problems).to.deep.equal([
            {
                key: "webMaxReplicas",
                problem: "is 2, not above apiReplicas (3), the fewest web Pods the autoscaler keeps: it could never add one.",
                fix: "pulumi config set --stack staging webMaxReplicas 6, or pulumi config rm --stack staging webMaxReplicas for a fixed count",
            },
        ]);
        expect(configError(() => parseMinimal("staging", { ...server, apiReplicas: "2", webMaxReplicas: "2" })).problems.map((p) => p.key)).to.deep.equal(["webMaxReplicas"]);
    });

    it("refuses both keys in the 1.x layout, whose api Pods hold the websocket channel layer laid out by apiReplicas", () => {
        const why =
            "applies to the Argus 2.x web server only: a 1.x api Pod holds the websocket channel layer, kept in a Redis inside the Pod when apiReplicas is 1 and shared when more, so a count an autoscaler changed would split the websocket clients over separate Redis instances, and this stack deploys the 1.x layout (argusVersion).";
        expect(configError(() => parseMinimal("staging", { webMaxReplicas: "3", webTargetCpuPercent: "80" })).problems).to.deep.equal([
            { key: "webMaxReplicas", problem: why, fix: "pulumi config rm --stack staging webMaxReplicas (and set apiReplicas to the count the api needs)" },
            { key: "webTargetCpuPercent", problem: why, fix: "pulumi config rm --stack staging webTargetCpuPercent (and set apiReplicas to the count the api needs)" },
        ]);
    });

    it("refuses a CPU target without an autoscaler to use it", () => {
        expect(configError(() => parseMinimal("staging", { ...server, webTargetCpuPercent: "80" })).problems).to.deep.equal([
            {
                key: "webTargetCpuPercent",
                problem: "is set, and without webMaxReplicas there is no autoscaler to use it.",
                fix: "pulumi config set --stack staging webMaxReplicas 4, or pulumi config rm --stack staging webTargetCpuPercent",
            },
        ]);
    });

    it("refuses a maximum above 20 and a CPU target outside 10..100", () => {
        const keys = (plain: Record<string, string>) => configError(() => parseMinimal("staging", { ...server, ...plain })).problems.map((p) => `${p.key}: ${p.problem}`);
        expect(keys({ webMaxReplicas: "21" })).to.deep.equal(["webMaxReplicas: 21 is outside 0..20."]);
        expect(keys({ webMaxReplicas: "4", webTargetCpuPercent: "9" })).to.deep.equal(["webTargetCpuPercent: 9 is outside 10..100."]);
        expect(keys({ webMaxReplicas: "4", webTargetCpuPercent: "101" })).to.deep.equal(["webTargetCpuPercent: 101 is outside 10..100."]);
    });
});
