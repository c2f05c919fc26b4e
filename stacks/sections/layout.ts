/**
 * Which layout a stack deploys, from its Argus release (releases/argus.ts): 1.x with the React webui, or 2.x.
 * No keys of its own; it refuses the keys of the other layout.
 */
import { ConfigReader } from "../configReader";
import { argusRelease, isSupportedArgusVersion } from "../../releases/argus";
import type { ArgusLayout } from "../../releases/argusRelease";
import { ImageKey } from "./images";
import { ServerKey } from "./server";
import { WebuiKey } from "./webui";

/** The layout of a release; an unknown release (refused by the images section) is read as 1.x. */
export function layoutOf(argusVersion: string): ArgusLayout {
    return isSupportedArgusVersion(argusVersion) ? argusRelease(argusVersion).layout : "spa";
}

type LayoutOnlyKey = WebuiKey | ServerKey | ImageKey;

/**
 * Keys only one layout understands, and why; set for the other layout they are refused rather than ignored.
 * Facts: Argus 2.0.0 removed the React frontend and API v1, and 2.x needs neither daphne nor redis
 * (CHANGELOG.md at v2.0.0); the task queue arrived in 2.8.0.
 */
export const layoutOnlyKeys: Record<ArgusLayout, { readonly keys: readonly LayoutOnlyKey[]; readonly why: string }> = {
    spa: {
        keys: ["frontendVersion", "webuiReplicas", "autoRefreshInterval", "realtimeMaxRetries", "redisImage"],
        why: "applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui or redis",
    },
    server: {
        keys: ["workerReplicas", "pruneSchedule", "pruneMinAgeDays", "versionCheck", "heartbeatSchedule", "tokenExpiryCheck", "tokenExpirySchedule", "tokenExpiryDays"],
        why: "applies to the Argus 2.x layout only: 1.x has no task queue, worker or version check",
    },
};

export function refuseOtherLayoutKeys(read: ConfigReader<LayoutOnlyKey>, layout: ArgusLayout): void {
    const other = layout === "spa" ? layoutOnlyKeys.server : layoutOnlyKeys.spa;
    for (const key of other.keys.filter((k) => read.isChosen(k))) {
        read.fail(key, `${other.why}, and this stack deploys the ${layout === "spa" ? "1.x" : "2.x"} layout (argusVersion).`, `pulumi config rm --stack ${read.stack} ${key}`);
    }
}
