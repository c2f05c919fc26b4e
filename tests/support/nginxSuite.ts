import { RunningNginx } from "./nginx";
import { shared } from "./shared";

/**
 * Called inside a `describe`: nginx started by `start` and handed to each test by a `beforeEach` hook (made once
 * per Stryker context, see shared: the config comes from the program's own functions), stopped after the suite,
 * then `cleanUp` run even when stopping fails.
 */
export function nginxBeforeEach(start: () => Promise<RunningNginx>, cleanUp: () => void): () => RunningNginx {
    let nginx: RunningNginx | undefined;
    const running = shared(start, (value) => value.stop());
    beforeEach(async () => (nginx = await running()));
    after(async () => {
        try {
            await running.release();
        } finally {
            cleanUp();
        }
    });
    return () => nginx!;
}
