/** What `pulumi up` waits for, and how long. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";

export const rolloutKeys = {
    awaitDeployments: {
        type: "boolean",
        description: "Let `pulumi up` wait until the Deployments are rolled out and ready. The migration Job is always awaited.",
        example: "false",
        default: true,
    },
    awaitIngresses: {
        type: "boolean",
        description: "Let `pulumi up` wait until the ingress controller reports an address for each Ingress; false for controllers that never do.",
        example: "false",
        default: true,
    },
    migrationTimeoutSeconds: {
        type: "integer",
        description: "How long the migration Job may run, at most 4800 (the deploy job's timeout must outlast it and the rollouts). Raise it for a long migration, such as 1.37.0's primary keys on a large database (NOTES.md at v1.37.0).",
        example: "3600",
        default: 600,
    },
    awaitTimeoutSeconds: {
        type: "integer",
        description: "How long `pulumi up` waits for a Deployment or Ingress to become ready.",
        example: "900",
        default: 600,
    },
} satisfies Record<string, ConfigKeySpec>;

export type RolloutKey = keyof typeof rolloutKeys;

export interface RolloutConfig {
    readonly awaitDeployments: boolean;
    readonly awaitIngresses: boolean;
    readonly timeoutSeconds: number;
    /** The migration Job's deadline; `pulumi up` waits a minute longer. */
    readonly migrationTimeoutSeconds: number;
}

/**
 * How long `pulumi up` may wait for a rollout or an Ingress, and for the migration Job. The deploy jobs'
 * `timeout` in .gitlab-ci.yml outlasts the longest of both, so GitLab never kills an update while the
 * Job still runs (docs/operations.md, "Time limits"; a test checks the sum).
 */
export const awaitTimeoutBounds = { min: 30, max: 3600 } as const;
export const migrationTimeoutBounds = { min: 60, max: 4800 } as const;

export function readRollout(read: ConfigReader<RolloutKey>): RolloutConfig {
    return {
        awaitDeployments: read.boolean("awaitDeployments"),
        awaitIngresses: read.boolean("awaitIngresses"),
        timeoutSeconds: read.integer("awaitTimeoutSeconds", awaitTimeoutBounds),
        migrationTimeoutSeconds: read.integer("migrationTimeoutSeconds", migrationTimeoutBounds),
    };
}
