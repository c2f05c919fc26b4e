import { expect } from "chai";
import { emptyTimings, markdownReport, median, ratio, RunDescription } from "../../realworld/bench/table";

const run: RunDescription = { date: "2026-12-07T05:00:00Z", processors: 2, cpuModel: "Some CPU", rounds: 3, change: "autoRefreshInterval 30 → 60", versions: "pulumi v3.248.0" };

describe("the deploy benchmark's medians (realworld/bench/table.ts)", () => {
    it("takes the middle value, the mean of the two middle ones for an even count, none of nothing", () => {
        expect(median([9, 1, 5])).to.equal(5);
        expect(median([4, 1, 3, 2])).to.equal(2.5);
        expect(median([7])).to.equal(7);
        expect(median([])).to.equal(undefined);
    });

    it("gives pulumi's median over the other tool's, and a dash when either is missing", () => {
        expect(ratio([20, 30, 10], [2, 1, 3])).to.equal("10.0×");
        expect(ratio([20], undefined)).to.equal("–");
        expect(ratio(undefined, [1])).to.equal("–");
    });
});

describe("the deploy benchmark's report (realworld/bench/table.ts)", () => {
    it("names the run, then one row per step: each tool's median, and pulumi's ratios to kubectl and Helm", () => {
        const timings = emptyTimings();
        timings.pulumi = { preview: [4, 5, 6], "from nothing": [20, 21, 22], "no change": [10, 11, 12], "one setting": [12, 13, 14], delete: [8, 9, 10] };
        timings.kubectl = { "from nothing": [2, 2, 2], "no change": [1, 1, 1], "one setting": [1.5, 1.5, 1.5], delete: [3, 3, 3] };
        timings.helm = { "from nothing": [1.4, 1.5, 1.6], "no change": [0.5, 0.6, 0.7], "one setting": [1, 1, 1], delete: [4, 4, 5] };
        expect(markdownReport(timings, run).split("\n")).to.deep.equal([
            "Deploy benchmark, production, medians of 3 rounds (interleaved); 2026-12-07T05:00:00Z; 2 processors, Some CPU; pulumi v3.248.0; one setting: autoRefreshInterval 30 → 60.",
            "",
            "| step | pulumi | kubectl --server-side + waits | Helm v4 | pulumi/kubectl | pulumi/helm |",
            "|---|---|---|---|---|---|",
            "| preview | 5.00 s | – | – | – | – |",
            "| from nothing | 21.00 s | 2.00 s | 1.50 s | 10.5× | 14.0× |",
            "| no change | 11.00 s | 1.00 s | 0.60 s | 11.0× | 18.3× |",
            "| one setting | 13.00 s | 1.50 s | 1.00 s | 8.7× | 13.0× |",
            "| delete | 9.00 s | 3.00 s | 4.00 s | 3.0× | 2.3× |",
            "",
        ]);
    });

    it("says how many rounds a median stands for when the step failed in some", () => {
        const timings = emptyTimings();
        timings.helm = { "from nothing": [1, 3] };
        expect(markdownReport(timings, { ...run, rounds: 1 })).to.contain("medians of 1 round (interleaved)");
        expect(markdownReport(timings, run)).to.contain("| from nothing | – | – | 2.00 s (2 of 3) | – | – |");
    });
});
