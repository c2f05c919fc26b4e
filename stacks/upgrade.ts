import { argusRelease, compareVersions, isSupportedArgusVersion } from "../releases/argus";
import { ConfigProblem } from "./configError";

/**
 * Why a stack that runs `previous` now (its own last `argusVersion` output; none for a new stack) may not
 * move to `target` in one step, or undefined. A release with a stepping stone (releases/argus.ts: 2.10 needs
 * a database some 2.x release below 2.10 migrated) refuses a stack on an older release, naming the release
 * to deploy first.
 */
export function upgradeProblem(stack: string, previous: string | undefined, target: string): ConfigProblem | undefined {
    if (!previous || !isSupportedArgusVersion(target)) {
        return undefined;
    }
    const stone = argusRelease(target).steppingStone;
    if (!stone || compareVersions(previous, stone.below) >= 0) {
        return undefined;
    }
    return {
        key: "argusVersion",
        problem: `"${target}" cannot follow ${previous}, which this stack runs now: ${stone.why}. Nothing was changed.`,
        fix: `pulumi config set --stack ${stack} argusVersion ${stone.via}, pulumi up, then set ${target} again (docs/operations.md, "Upgrade to Argus 2.x")`,
    };
}
