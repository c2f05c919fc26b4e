/** Mocha root hooks: whatever a failed test left running is stopped, then the summary line. */
import { removeScratch, stopAll, summaryLine } from "./harness";

export const mochaHooks = {
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60000);
        await stopAll();
        if (!process.env.ARGUS_REALWORLD_KEEP) removeScratch();
        console.log(`\n${summaryLine()}`);
    },
};
