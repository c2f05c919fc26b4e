import { expect } from "chai";
import { statusCounts } from "../../realworld/bench/storm/abuse";
import { abuseTable, percentile, StormMeasurement, stormProblems, stormRow } from "../../realworld/bench/storm/report";
import { shareOf } from "../../realworld/bench/storm/storm";
import { appliesTo, chosenVariants } from "../../realworld/bench/storm/variants";

const right: StormMeasurement = {
    target: "2.10.2 (server)",
    shape: { incidents: 4, sources: 2, readers: 1, websockets: 0 },
    postMs: [100, 200, 300, 400],
    readMs: [50, 60],
    lastPostAtMs: 2000,
    drainedAtMs: 2500,
    argusCpuSeconds: 2,
    databaseCpuSeconds: 0.4,
    failedPosts: [],
    failedReads: [],
    stored: { rows: 4, distinct: 4 },
    notified: 4,
    websocketReceived: [],
    abuse: [],
};

describe("the storm's percentiles (nearest rank)", () => {
    it("takes the value at rank ceil(p/100 * n) of the sorted values", () => {
        const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        expect(percentile(values, 50)).to.equal(5);
        expect(percentile(values, 99)).to.equal(10);
        expect(percentile(values, 10)).to.equal(1);
        expect(percentile([], 50)).to.equal(undefined);
    });
});

describe("how the storm's incidents are shared among its sources", () => {
    it("gives each incident to exactly one source, as evenly as they go", () => {
        const shares = [0, 1, 2].map((s) => shareOf(s, 3, 8));
        expect(shares).to.deep.equal([[0, 3, 6], [1, 4, 7], [2, 5]]);
        expect(shares.flat().sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    });
});

describe("what makes a storm's result wrong", () => {
    it("finds nothing wrong when every incident was stored once, notified and pushed, and no request failed", () => {
        expect(stormProblems(right)).to.deep.equal([]);
        expect(stormProblems({ ...right, shape: { ...right.shape, websockets: 2 }, websocketReceived: [4, 4] })).to.deep.equal([]);
    });

    it("names each kind of wrong: failed requests, duplicates or losses, missing mails, a websocket client that missed one", () => {
        const wrong = { ...right, failedPosts: ["storm-3: 502"], failedReads: ["500 boom"], stored: { rows: 5, distinct: 4 }, notified: 3, websocketReceived: [4, 2] };
        expect(stormProblems(wrong)).to.deep.equal([
            "1 of 4 posts failed (first: storm-3: 502)",
            "1 of 3 list reads failed (first: 500 boom)",
            "stored 5 rows of 4 distinct incidents, not 4 once each",
            "3 of 4 incidents were notified",
            "websocket client 2 got 2 of 4 incidents",
        ]);
    });
});

describe("a storm's row in the README's table", () => {
    it("shows throughput to the last post, p50 and p99, the drain after the last post, CPU per incident", () => {
        expect(stormRow(right)).to.equal("| 2.10.2 (server) | 4 / 2 / 1 | 2.0/s | 200 ms | 400 ms | 2 | 50 ms | 60 ms | 0.50 s after the last | 0.500 | 0.100 | none |");
    });

    it("says when not every mail went out, and lists what was wrong", () => {
        const row = stormRow({ ...right, drainedAtMs: undefined, notified: 1 });
        expect(row).to.include("| not all |");
        expect(row).to.match(/\| 1 of 4 incidents were notified \|$/);
    });
});

describe("what bad input beside a storm got", () => {
    it("counts the answers by status, 0 for none", () => {
        expect(statusCounts([401, 401, 0, 201, 401])).to.equal("0 ×1, 201 ×1, 401 ×3");
        expect(statusCounts([])).to.equal("none");
    });

    it("shows a row per kind of bad input under the storms that had some", () => {
        const abused = { ...right, target: "2.10.2 (server), with bad input", abuse: [{ name: "4 clients posting with tokens never issued", got: "401 ×812", medianMs: 12.4 }] };
        expect(abuseTable([right, abused])).to.deep.equal([
            "",
            "| Argus | bad input beside the storm | what it got | median time |",
            "|---|---|---|---|",
            "| 2.10.2 (server), with bad input | 4 clients posting with tokens never issued | 401 ×812 | 12 ms |",
        ]);
        expect(abuseTable([right])).to.deep.equal([]);
    });
});

describe("the tuning steps a storm compares (STORM_VARIANTS)", () => {
    it("runs the named variants in order, the defaults alone when none is named, and refuses a name it does not know", () => {
        expect(chosenVariants(undefined).map((v) => v.name)).to.deep.equal(["defaults"]);
        expect(chosenVariants("before, threads,defaults").map((v) => v.name)).to.deep.equal(["before", "threads", "defaults"]);
        expect(() => chosenVariants("defaults,fast")).to.throw('STORM_VARIANTS names "fast", which is not a variant: choose from before, connections, threads, defaults');
    });

    it("runs 4 threads a worker against 2.x only, which 1.x refuses", () => {
        const [threads] = chosenVariants("threads");
        expect(threads.config).to.include({ webWorkers: "4", webThreads: "4" });
        expect([appliesTo(threads, "server"), appliesTo(threads, "spa")]).to.deep.equal([true, false]);
        expect(chosenVariants("before").every((v) => appliesTo(v, "spa") && appliesTo(v, "server"))).to.equal(true);
    });
});
