import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupConfig, ResourceSpec } from "../../stacks/types";
import { componentLabels, selectorLabels } from "../labels";
import { hardenedPodSpec, migrationJobAwait, PodIdentity } from "../workload/spec";
import { backupClaimAnnotations, backupClaimSpec, backupPod, BackupReleases } from "./spec";

export interface DatabaseBackupArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly namespace: pulumi.Input<string>;
    readonly config: BackupConfig;
    /** The Secret whose DATABASE_URL the dump connects with (the api's). */
    readonly secretName: pulumi.Input<string>;
    readonly databaseUrlKey: string;
    /** Suffix of the Job's name: the migration Job's, so each new image gets a backup of its own. */
    readonly jobSuffix: string;
    readonly releases: BackupReleases;
    readonly resources: ResourceSpec;
    readonly identity: PodIdentity;
    /** How long one dump may run. */
    readonly timeoutSeconds: number;
    /** What the dump must wait for (the stack's own database). */
    readonly after?: pulumi.Resource[];
}

/**
 * The dump taken before a migration: a PersistentVolumeClaim that keeps the last dumps, and a Job, named after
 * the new image, that writes one. The provider awaits the Job until it completed, and fails the update when it
 * failed (pulumi-kubernetes v4.25.0 provider/pkg/await/job.go); the migration Job depends on it, so nothing
 * migrates, and no new Pod starts, without a dump.
 */
export class DatabaseBackup extends pulumi.ComponentResource {
    readonly job: k8s.batch.v1.Job;
    readonly claimName: pulumi.Output<string>;

    constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:DatabaseBackup", name, {}, opts);
        const labels = componentLabels(args.instance, "backup");
        const claim = new k8s.core.v1.PersistentVolumeClaim(
            `${name}-claim`,
            // Kept when the stack stops taking backups or is destroyed: the dumps outlive the stack's objects.
            { metadata: { name: `${args.instance}-backups`, namespace: args.namespace, labels, annotations: backupClaimAnnotations }, spec: backupClaimSpec(args.config) },
            { parent: this, retainOnDelete: true },
        );
        this.claimName = claim.metadata.name;
        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: { name: `${args.instance}-backup-${args.jobSuffix}`, namespace: args.namespace, labels, annotations: migrationJobAwait(args.timeoutSeconds) },
                spec: {
                    backoffLimit: 1,
                    activeDeadlineSeconds: args.timeoutSeconds,
                    template: {
                        metadata: { labels },
                        spec: hardenedPodSpec(backupPod(args.config, this.claimName, args.secretName, args.databaseUrlKey, args.releases, args.resources), selectorLabels(args.instance, "backup"), args.identity),
                    },
                },
            },
            { parent: this, dependsOn: args.after ?? [] },
        );
        this.registerOutputs({ claimName: this.claimName, jobName: this.job.metadata.name });
    }
}
