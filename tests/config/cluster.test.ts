import { specifies } from "./helpers";

describe("what each cluster setting takes, value by value", () => {
    specifies("namespace", {
        accepted: ["a", "a-1", "1a", "a".repeat(63)],
        refused: ["A", "-a", "a-", "a.b", "a".repeat(64), "a_b"],
        problem: (v) => `"${v}" is not a valid namespace name (lower-case DNS label).`,
    });
});
