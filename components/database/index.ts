import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseConfig, ResourceSpec, RolloutConfig } from "../../stacks/types";
import { componentLabels } from "../labels";
import { PodIdentity } from "../workload/spec";
import { Workload } from "../workload";
import { databaseUrl, databaseVolumes, passwordKey, postgresContainer, postgresPort, postgresUid } from "./spec";

export interface ArgusDatabaseArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly namespace: pulumi.Input<string>;
    readonly config: Extract<DatabaseConfig, { mode: "inCluster" }>;
    readonly resources: ResourceSpec;
    readonly identity: PodIdentity;
    readonly rollout: RolloutConfig;
}

/**
 * A PostgreSQL of the stack's own, for review apps: one Pod of the official image with a generated
 * password, its data in an emptyDir (kept across container restarts, lost when the Pod is replaced), a
 * Service in front. `pulumi destroy` removes it with the rest of the stack.
 */
export class ArgusDatabase extends pulumi.ComponentResource {
    /** DATABASE_URL for Argus, secret. */
    readonly url: pulumi.Output<string>;
    /** Ready once the server answers: the migration Job waits for it. */
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: ArgusDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Database", name, {}, opts);
        // Letters and digits only, so the password needs no escaping inside the URL.
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
        const secret = new k8s.core.v1.Secret(
            `${name}-credentials`,
            { metadata: { namespace: args.namespace, labels: componentLabels(args.instance, "database") }, type: "Opaque", stringData: { [passwordKey]: password.result } },
            { parent: this },
        );
        const workload = new Workload(
            `${name}-workload`,
            {
                instance: args.instance,
                component: "database",
                namespace: args.namespace,
                replicas: 1,
                pod: {
                    containers: [postgresContainer(args.config.image, args.resources, secret.metadata.name)],
                    volumes: databaseVolumes(args.config.storageGi),
                    // The data volume belongs to the postgres group, as initdb wants.
                    securityContext: { runAsNonRoot: true, fsGroup: postgresUid, seccompProfile: { type: "RuntimeDefault" } },
                },
                service: { target: postgresPort, port: postgresPort.containerPort },
                // Two servers must never run on one database; with an emptyDir each would have its own anyway.
                rolloutStrategy: "recreate",
                identity: args.identity,
                // Always awaited: the migration Job must find the server answering.
                rollout: { ...args.rollout, awaitDeployments: true },
            },
            { parent: this },
        );
        this.deployment = workload.deployment;
        this.url = databaseUrl(workload.serviceName!, password.result);
        this.registerOutputs({ deploymentName: this.deployment.metadata.name, serviceName: workload.serviceName });
    }
}
