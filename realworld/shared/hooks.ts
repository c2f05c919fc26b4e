/**
 * The mocha root hooks every real-world suite requires (its .mocharc.yml): after the run, whatever a failed
 * test left running is stopped and the scratch folder removed.
 */
import { stopAll } from "./process";
import { removeScratch } from "./scratch";

export const mochaHooks = {
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60000);
        await stopAll();
        removeScratch();
    },
};
