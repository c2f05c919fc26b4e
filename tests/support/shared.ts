/**
 * A value several tests share (a render, a running nginx), made once and handed to each test that asks.
 *
 * Tests ask for it in their own body or in a `beforeEach` hook, never in a `before` hook: Stryker credits the
 * code that runs to the test it runs in (it marks the test in a root `beforeEach`, which runs before a suite's
 * own), so code run in a `before` hook is credited to whichever test ran before, and the tests that really
 * check it never run against its mutants. The value is
 * therefore made again whenever Stryker's context changes: per mutant in a mutation run, and per test in its
 * coverage run. Under plain mocha that context never changes and the value is made once.
 */

interface StrykerContext {
    activeMutant?: string;
    currentTestId?: string;
}

function strykerContext(): string {
    const context = (globalThis as { __stryker__?: StrykerContext }).__stryker__;
    return `${context?.activeMutant ?? ""}\u0000${context?.currentTestId ?? ""}`;
}

const disposers = new Set<() => Promise<void>>();

/** Disposes of every shared value still held (a running process, a temporary folder); mocha calls it at the end. */
export async function disposeShared(): Promise<void> {
    for (const dispose of [...disposers]) {
        await dispose();
    }
}

/** A shared value; `release()` disposes of it now (in a suite's `after` hook), before its resources go. */
export interface Shared<T> {
    (): Promise<T>;
    release(): Promise<void>;
}

/** `make` once per Stryker context; `dispose` (if given) cleans up a value when it is replaced or released. */
export function shared<T>(make: () => Promise<T>, dispose?: (value: T) => Promise<void> | void): Shared<T> {
    let current: { context: string; value: Promise<T> } | undefined;
    const release = async () => {
        const old = current;
        current = undefined;
        disposers.delete(release);
        // A value that failed to be made (nginx missing, say) has nothing to dispose of, and its error was
        // reported by the test that asked for it: releasing it must not throw again, or the hook that
        // releases it stops before it closes what else it holds, and mocha never exits.
        const made = old && (await old.value.then((value) => ({ value }), () => undefined));
        if (made && dispose) await dispose(made.value);
    };
    const get = async () => {
        const context = strykerContext();
        if (current?.context !== context) {
            await release();
            current = { context, value: make() };
            disposers.add(release);
        }
        return current.value;
    };
    return Object.assign(get, { release });
}

after(disposeShared);
