/** Mocha root hooks: whatever a failed test left running is stopped, then the summary line. */
import { removeScratch, stopAll, summaryLine } from "./harness";

export const mochaHooks = {
    beforeAll(): void {
        if (process.getuid?.() !== 0) {
            throw new Error("npm run test:argus runs as root: it starts every container in a mount namespace (unshare) and drops to its uid (setpriv).");
        }
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60000);
        await stopAll();
        if (!process.env.ARGUS_REALWORLD_KEEP) removeScratch();
        console.log(`\n${summaryLine()}`);
    },
};
