import { expect } from "chai";
import { shared } from "./shared";

describe("values tests share (tests/support/shared.ts)", () => {
    const stryker = globalThis as { __stryker__?: { activeMutant?: string; currentTestId?: string } };
    const saved = stryker.__stryker__;
    afterEach(() => (stryker.__stryker__ = saved));

    it("makes a value once, and again (disposing of the old) whenever Stryker's mutant or test changes", async () => {
        const made: number[] = [];
        const disposed: number[] = [];
        const value = shared(async () => made.push(made.length + 1), (n) => void disposed.push(n));
        stryker.__stryker__ = undefined;
        expect([await value(), await value()]).to.deep.equal([1, 1]);
        stryker.__stryker__ = { currentTestId: "a" };
        expect([await value(), await value()]).to.deep.equal([2, 2]);
        stryker.__stryker__ = { currentTestId: "b" };
        expect(await value()).to.equal(3);
        stryker.__stryker__ = { currentTestId: "b", activeMutant: "7" };
        expect(await value()).to.equal(4);
        expect(disposed).to.deep.equal([1, 2, 3]);
        await value.release();
        expect(disposed).to.deep.equal([1, 2, 3, 4]);
        expect(await value()).to.equal(5);
        await value.release();
    });

    it("releases a value that failed to be made without throwing again, so the hook goes on to close the rest", async () => {
        const disposed: string[] = [];
        const value = shared<string>(async () => Promise.reject(new Error("nginx is not installed")), (v) => void disposed.push(v));
        const failure = await value().catch((err: Error) => err.message);
        expect(failure).to.equal("nginx is not installed");
        await value.release();
        expect(disposed).to.deep.equal([]);
    });
});
