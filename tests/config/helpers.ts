/** Helpers of the config tests: what a stack's config refuses, and one `it` per key's accepted and refused values. */
import { expect } from "chai";
import { ConfigError } from "../../stacks";
import { cutQuotedValues } from "../../stacks/configReader";
import { parseMinimal } from "../helpers";

/** The ConfigError `run` throws; fails the test when it throws anything else or nothing. */
export function configError(run: () => unknown): ConfigError {
    try {
        run();
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return err as ConfigError;
    }
    throw new Error("expected a ConfigError");
}

/** Every problem of a staging config, as `key: problem Fix: fix`. */
export function problems(plain: Record<string, string>, secrets: Record<string, string> = {}): string[] {
    try {
        parseMinimal("staging", plain, secrets);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
    }
}

/** Every problem of a stack's config (staging unless named), as `key: problem`, without the fix. */
export function problemTexts(plain: Record<string, string>, secrets: Record<string, string> = {}, stack = "staging"): string[] {
    return configError(() => parseMinimal(stack, plain, secrets)).problems.map((p) => `${p.key}: ${p.problem}`);
}

/** The problems the staging stack reports for one key, given extra plain and secret config. */
export function problemsOf(key: string, plain: Record<string, string>, secrets: Record<string, string> = {}): string[] {
    try {
        parseMinimal("staging", plain, secrets);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.filter((p) => p.key === key).map((p) => p.problem);
    }
}

/** One `it` per key: every accepted value parses without a problem of that key, every refused one gives exactly its message. */
export function specifies(key: string, cases: { accepted: string[]; refused: string[]; problem: (value: string) => string; with?: Record<string, string>; secret?: boolean }): void {
    const config = (value: string): [Record<string, string>, Record<string, string>] =>
        cases.secret ? [cases.with ?? {}, { [key]: value }] : [{ ...cases.with, [key]: value }, {}];
    it(`${key}: takes ${cases.accepted.map((v) => JSON.stringify(v)).join(", ")}; refuses the rest`, () => {
        for (const value of cases.accepted) {
            expect(problemsOf(key, ...config(value)), value).to.deep.equal([]);
        }
        for (const value of cases.refused) {
            // Messages cut a long value (cutQuotedValues), as every value they repeat.
            expect(problemsOf(key, ...config(value)), value).to.deep.equal([cutQuotedValues(cases.problem(value))]);
        }
    });
}
