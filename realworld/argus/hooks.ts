/**
 * The Argus suite's mocha root hooks (with realworld/shared/hooks.ts, which stops what a failed test left
 * running and removes the scratch folder): the suite runs as root; the summary line at the end.
 */
import { summaryLine } from "./stats";

export const mochaHooks = {
    beforeAll(): void {
        if (process.getuid?.() !== 0) {
            throw new Error("npm run test:argus runs as root: it starts every container in a mount namespace (unshare) and drops to its uid (setpriv).");
        }
    },
    afterAll(): void {
        console.log(`\n${summaryLine()}`);
    },
};
