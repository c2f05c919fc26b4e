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

/**
 * The longest instance name whose derived names all pass the API server: the tightest is a CronJob's name
 * (at most 52 characters, since Kubernetes appends 11 to name its Jobs) with the longest suffix we give one
 * (`-maintenance-start`), ahead of a migration Job's (`-migrate-` and 12 hex, at most 63, since it is copied
 * into a Pod label). A test renders the longest review slug in both layouts through the render's name checks.
 */
export const maxInstanceNameLength = 52 - "-maintenance-start".length;

/** The instance name (and namespace) of review stack review-<slug>: this prefix and the slug. */
export const reviewInstancePrefix = "argus-review-";

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
        const instanceName = review[1] ? `${reviewInstancePrefix}${review[1]}` : "argus-review";
        if (instanceName.length > maxInstanceNameLength) {
            return `stack name "${stack}" is too long: a review slug has at most ${maxInstanceNameLength - reviewInstancePrefix.length} characters.`;
        }
        return { stack, environment: "review", instanceName, configFile: "Pulumi.review.yaml" };
    }
    return `unknown stack "${stack}".`;
}
