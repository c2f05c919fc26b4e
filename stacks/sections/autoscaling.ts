/**
 * An optional HorizontalPodAutoscaler for the Argus 2.x web server: from apiReplicas Pods up to webMaxReplicas,
 * by the average CPU use of the web containers against their CPU request. Off unless webMaxReplicas is set.
 * What it needs in the cluster (metrics-server) and what turning it on does: docs/operations.md, "Capacity".
 */
import type { ArgusLayout } from "../../releases/argusRelease";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";

export const autoscalingKeys = {
    webMaxReplicas: {
        type: "integer",
        description: "2.x: the most web Pods a HorizontalPodAutoscaler may run, above apiReplicas (its fewest). 0: no autoscaler, apiReplicas Pods. Needs metrics-server in the cluster (docs/operations.md, \"Capacity\").",
        example: "4",
        default: 0,
    },
    webTargetCpuPercent: {
        type: "integer",
        description: "2.x, with webMaxReplicas: the average CPU use of the web containers (gunicorn, not the nginx beside it), in percent of their CPU request, above which the autoscaler adds Pods and below which it removes them.",
        example: "80",
        default: 70,
    },
} satisfies Record<string, ConfigKeySpec>;

export type AutoscalingKey = keyof typeof autoscalingKeys;

/** The web Deployment's autoscaler: its fewest and most Pods, and the CPU use it keeps them at. */
export interface WebAutoscaling {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** Average CPU use of the Pods, in percent of their containers' CPU requests. */
    readonly targetCpuPercent: number;
}

/** Bounds of webMaxReplicas when set (apiReplicas' own upper bound is 20), and of the CPU target. */
export const maxReplicasBounds = { min: 0, max: 20 } as const;
export const targetCpuPercentBounds = { min: 10, max: 100 } as const;

/**
 * Why 1.x gets no autoscaler: the program lays out its websocket channel layer by the api's Pod count (one Pod
 * keeps Redis in itself, more share one Redis Deployment: stacks/sections/api.ts apiReplicas), so a count the
 * autoscaler changes at run time would leave the Pods' websocket clients each on a Redis of its own.
 */
const layoutRefusal =
    "applies to the Argus 2.x web server only: a 1.x api Pod holds the websocket channel layer, kept in a Redis inside the Pod when apiReplicas is 1 and shared when more, so a count an autoscaler changed would split the websocket clients over separate Redis instances";

/**
 * The autoscaler of a stack, or undefined without one. `replicas` is the web server's fixed count (apiReplicas),
 * which becomes the autoscaler's fewest.
 */
export function readAutoscaling(read: ConfigReader<AutoscalingKey>, layout: ArgusLayout, replicas: number): WebAutoscaling | undefined {
    const maxReplicas = read.integer("webMaxReplicas", maxReplicasBounds);
    const targetCpuPercent = read.integer("webTargetCpuPercent", targetCpuPercentBounds);
    if (layout === "spa") {
        for (const key of (["webMaxReplicas", "webTargetCpuPercent"] as const).filter((k) => read.isChosen(k))) {
            read.fail(key, `${layoutRefusal}, and this stack deploys the 1.x layout (argusVersion).`, `pulumi config rm --stack ${read.stack} ${key} (and set apiReplicas to the count the api needs)`);
        }
        return undefined;
    }
    if (maxReplicas === 0) {
        if (read.isChosen("webTargetCpuPercent")) {
            read.fail("webTargetCpuPercent", "is set, and without webMaxReplicas there is no autoscaler to use it.", `${read.setCommand("webMaxReplicas")}, or pulumi config rm --stack ${read.stack} webTargetCpuPercent`);
        }
        return undefined;
    }
    if (maxReplicas <= replicas) {
        read.fail(
            "webMaxReplicas",
            `is ${maxReplicas}, not above apiReplicas (${replicas}), the fewest web Pods the autoscaler keeps: it could never add one.`,
            `${read.setCommand("webMaxReplicas", String(Math.min(maxReplicasBounds.max, Math.max(replicas + 1, 2 * replicas))))}, or pulumi config rm --stack ${read.stack} webMaxReplicas for a fixed count`,
        );
        return undefined;
    }
    return { minReplicas: replicas, maxReplicas, targetCpuPercent };
}
