/** The environments this program deploys, and how a stack name maps onto them. */

export type Environment = "production" | "staging" | "review";

export interface StackIdentity {
    /** The Pulumi stack name, e.g. `review-123`. */
    readonly stack: string;
    readonly environment: Environment;
    /** Prefix of every Kubernetes name and the default namespace and host label. */
    readonly instanceName: string;
    /** The committed config file of the stack; for review-<slug>, the template its own file is made from. */
    readonly configFile: string;
}

/** DNS label limit (63) minus the longest suffix we append to the instance name (`-webui`). */
const maxInstanceNameLength = 63 - "-webui".length;

const reviewStack = /^review(?:-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?))?$/;

export const knownStacksHelp =
    "Use production, staging, review, or review-<slug> with a lower-case slug such as review-123.";

/** Returns the identity of a stack, or an error message when the name is not one this program deploys. */
export function parseStackName(stack: string): StackIdentity | string {
    if (stack === "production") {
        return { stack, environment: "production", instanceName: "argus", configFile: "Pulumi.production.yaml" };
    }
    if (stack === "staging") {
        return { stack, environment: "staging", instanceName: "argus-staging", configFile: "Pulumi.staging.yaml" };
    }
    const review = reviewStack.exec(stack);
    if (review) {
        const instanceName = review[1] ? `argus-review-${review[1]}` : "argus-review";
        if (instanceName.length > maxInstanceNameLength) {
            return `stack name "${stack}" is too long: a review slug has at most ${maxInstanceNameLength - "argus-review-".length} characters.`;
        }
        return { stack, environment: "review", instanceName, configFile: "Pulumi.review.yaml" };
    }
    return `unknown stack "${stack}".`;
}
