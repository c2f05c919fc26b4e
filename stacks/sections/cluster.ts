/** Which cluster and namespace a stack deploys to: the Kubernetes provider's settings. */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { StackIdentity } from "../stackName";
import { isDnsLabel } from "../../util/validators";

export const clusterKeys = {
    namespace: {
        type: "string",
        description: "Kubernetes namespace. Empty: the instance name (argus, argus-staging, argus-review-<slug>).",
        example: "argus-staging",
        default: "",
    },
    createNamespace: {
        type: "boolean",
        description: "Create the namespace (review stacks own theirs); false when the cluster team provides it.",
        example: "true",
        default: false,
    },
    kubeconfig: {
        type: "string",
        description: "kubeconfig of the cluster this stack deploys to (secret). Empty: the file $KUBECONFIG names (in CI, the environment's file variable).",
        example: "<kubeconfig YAML>",
        default: "",
        secret: true,
        multiline: true,
    },
    adoptExistingObjects: {
        type: "boolean",
        description: "Take over objects that already exist under this program's names (the old YAML deployment) by updating them; for the first `pulumi up` of a move only (docs/operations.md).",
        example: "true",
        default: false,
    },
    kubeContext: {
        type: "string",
        description: "Context of the kubeconfig to deploy to. Empty: its current context.",
        example: "paas2-argus-staging",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type ClusterKey = keyof typeof clusterKeys;

/** The cluster a stack deploys to: the Kubernetes provider's settings. */
export interface ClusterConfig {
    /** Unset: the file $KUBECONFIG names. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** Unset: the kubeconfig's current context. */
    readonly context?: string;
    /** Review stacks: let `pulumi destroy` finish when the namespace or cluster is already gone. */
    readonly deleteUnreachable: boolean;
    /** Update objects that already exist under our names instead of failing: moving from the old YAML. */
    readonly adoptExistingObjects: boolean;
}

/** Where a stack deploys, and what it makes there before anything else. */
export interface NamespaceConfig {
    /** By default the instance name. */
    readonly namespace: string;
    readonly createNamespace: boolean;
    /**
     * A review stack that makes its namespace first binds the review deployer's rights there
     * (deployers/identities.ts reviewRoleBinding): the review identity holds none in a namespace until then.
     * Production and staging deploy into the cluster team's namespace, where their Role is bound already.
     */
    readonly bindReviewDeployer: boolean;
}

/** The namespace: by default the instance name. */
export function readNamespace(read: ConfigReader<ClusterKey>, identity: StackIdentity): NamespaceConfig {
    const namespace = read.string("namespace") || identity.instanceName;
    const createNamespace = read.boolean("createNamespace");
    if (!isDnsLabel(namespace)) {
        read.fail("namespace", `"${namespace}" is not a valid namespace name (lower-case DNS label).`, read.setCommand("namespace"));
    }
    return { namespace, createNamespace, bindReviewDeployer: identity.environment === "review" && createNamespace };
}

export function readCluster(read: ConfigReader<ClusterKey>, identity: StackIdentity): ClusterConfig {
    const kubeconfig = read.secret("kubeconfig");
    return {
        kubeconfig: kubeconfig?.value,
        context: read.string("kubeContext") || undefined,
        deleteUnreachable: identity.environment === "review",
        adoptExistingObjects: read.boolean("adoptExistingObjects"),
    };
}
