/** Waiting: for a condition, or for a started process to listen, with a failure message that shows why. */
import type { Proc } from "./process";
import { portOpen } from "./ports";

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until predicate() is true, polling; throws with describe() after timeoutMs. A predicate that throws ends the wait. */
export async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string, intervalMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await predicate()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
        await sleep(intervalMs);
    }
}

/**
 * Waits until `proc` listens on 127.0.0.1:port; throws, with the last lines of its log, when it exits first
 * or does not listen within timeoutMs.
 */
export async function waitForPort(proc: Proc, port: number, timeoutMs: number, intervalMs = 50): Promise<void> {
    await waitFor(
        async () => {
            if (!proc.alive) throw new Error(`${proc.name} exited with ${proc.exitCode}:\n${proc.logTail()}`);
            return portOpen(port);
        },
        timeoutMs,
        () => `${proc.name} did not listen on 127.0.0.1:${port}:\n${proc.logTail()}`,
        intervalMs,
    );
}
