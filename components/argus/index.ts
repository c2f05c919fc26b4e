import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { argusRelease } from "../../releases/argus";
import { sha256Hex } from "../../util/hash";
import type { ApiConfig, ApiSecretsSource, BackupConfig, ImageConfig, ResourceSpec } from "../../stacks/types";
import { DatabaseBackup } from "../backup";
import { PreviousRelease, replacedRelease } from "../backup/spec";
import { ArgusImage, PreviousImage } from "../image";
import { componentLabels, selectorLabels } from "../labels";
import { hardenedPodSpec, migrationJobAwait, PodIdentity } from "../workload/spec";
import { apiSettingsData, extraSettingVariables, secretEnvNames, secretKeys } from "./settings";
import { adminPasswordKey, argusImageBuildArgs, ArgusRun, migrationPod } from "./spec";

export interface ArgusRuntimeArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly namespace: pulumi.Input<string>;
    readonly images: ImageConfig;
    readonly api: ApiConfig;
    /** The channel layer's `host:port` (1.x only). */
    readonly redisServer?: string;
    /** What the migration Job may use; sized like the layout's web server. */
    readonly migrationResources: ResourceSpec;
    readonly identity: PodIdentity;
    /** How long the migration may run. */
    readonly migrationTimeoutSeconds: number;
    /** The image as the stack's last update left it: what the build reuses. */
    readonly previousImage?: pulumi.Input<PreviousImage | undefined>;
    /** The stack's own PostgreSQL (inCluster): its URL goes into the Secret, and the migration waits for it. */
    readonly database?: { readonly url: pulumi.Output<string>; readonly ready: pulumi.Resource };
    /** A dump before each migration, and what the stack's last update left (the dump names the release it replaces). */
    readonly backup?: { readonly config: BackupConfig; readonly previous: PreviousRelease };
}

/**
 * An Argus release, ready to run in either layout: its image, its settings ConfigMap, its Secret, and the
 * migration Job that brings the database up to that image (and makes the first admin) before any Argus
 * container starts. The layouts' Deployments run containers from `run` and roll out after `migration`.
 */
export class ArgusRuntime extends pulumi.ComponentResource {
    /** What a container needs to run the Argus image. */
    readonly run: ArgusRun;
    /** Argus containers of the layouts start only after it succeeded. */
    readonly migration: k8s.batch.v1.Job;
    readonly imageDigest: pulumi.Output<string>;
    readonly imageReference: string;
    readonly imageCacheFrom: pulumi.Output<string>;
    readonly secretName: pulumi.Output<string>;
    readonly migrationJobName: pulumi.Output<string>;
    /** The dump the migration waits for, if the stack takes one. */
    readonly backup?: DatabaseBackup;
    /** The release its dump names as replaced: exported, so a later update of the same image keeps it. */
    readonly backupReplaces?: string;

    constructor(name: string, args: ArgusRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Runtime", name, {}, opts);
        const release = argusRelease(args.images.argusVersion);
        const metadata = { namespace: args.namespace, labels: componentLabels(args.instance, "runtime") };

        const image = new ArgusImage(
            `${name}-image`,
            { component: "argus", buildArgs: argusImageBuildArgs(release, args.images.extraPythonPackages, args.images.argusExtras), images: args.images, previous: args.previousImage },
            { parent: this },
        );
        this.imageDigest = image.digest;
        this.imageReference = image.reference;
        this.imageCacheFrom = image.cacheFrom;

        this.secretName = this.secretFor(name, args.api, metadata, args.database?.url);
        const settings = new k8s.core.v1.ConfigMap(`${name}-settings`, { metadata, data: apiSettingsData(release, args.api, args.redisServer) }, { parent: this });
        this.run = { image: image.digest, release, settingsConfigMap: settings.metadata.name, secretName: this.secretName, secretEnv: secretEnvNames(args.api) };

        // Named after the image's content tag, so each new image migrates before its Pods start and a preview
        // knows the name even before the image is built; a first admin to create makes it a new Job. A new
        // settings ConfigMap or Secret name changes the Pod template too, which a Job cannot take: the
        // provider replaces it and migrate runs again (harmless: it only applies what is missing).
        const contentSuffix = args.api.admin ? sha256Hex(image.reference, args.api.admin.username).slice(0, 12) : image.reference.slice(-12);
        const ready = args.database ? [args.database.ready] : [];
        this.backupReplaces = args.backup && replacedRelease(args.backup.previous, image.reference);
        this.backup =
            args.backup &&
            new DatabaseBackup(
                `${name}-backup`,
                {
                    instance: args.instance,
                    namespace: args.namespace,
                    config: args.backup.config,
                    secretName: this.secretName,
                    databaseUrlKey: secretKeys.databaseUrl,
                    jobSuffix: contentSuffix,
                    releases: { replaced: this.backupReplaces!, next: release.version },
                    resources: args.migrationResources,
                    identity: args.identity,
                    timeoutSeconds: args.migrationTimeoutSeconds,
                    after: ready,
                },
                { parent: this },
            );
        const migrateLabels = componentLabels(args.instance, "migrate");
        this.migration = new k8s.batch.v1.Job(
            `${name}-migrate`,
            {
                metadata: {
                    name: `${args.instance}-migrate-${contentSuffix}`,
                    namespace: args.namespace,
                    labels: migrateLabels,
                    annotations: migrationJobAwait(args.migrationTimeoutSeconds),
                },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: args.migrationTimeoutSeconds,
                    template: {
                        metadata: { labels: migrateLabels },
                        spec: hardenedPodSpec(migrationPod(this.run, args.migrationResources, args.api.admin), selectorLabels(args.instance, "migrate"), args.identity),
                    },
                },
            },
            // The backup's Job is awaited to completion: migrate runs only once the dump is written, and a failed
            // dump fails the update before anything changed the schema or the Pods.
            { parent: this, ...(ready.length || this.backup ? { dependsOn: [...ready, ...(this.backup ? [this.backup.job] : [])] } : {}) },
        );
        this.migrationJobName = this.migration.metadata.name;

        this.registerOutputs({
            imageDigest: this.imageDigest,
            imageReference: this.imageReference,
            secretName: this.secretName,
            migrationJobName: this.migrationJobName,
            backupJobName: this.backup?.job.metadata.name,
        });
    }

    /** The name of the Secret with Argus' secrets: an operator's existing one, or one made here. */
    private secretFor(name: string, api: ApiConfig, metadata: k8s.types.input.meta.v1.ObjectMeta, ownDatabaseUrl?: pulumi.Output<string>): pulumi.Output<string> {
        const source: ApiSecretsSource = api.secrets;
        if ("existingSecretName" in source) {
            return pulumi.output(source.existingSecretName);
        }
        const url = source.databaseUrl ?? ownDatabaseUrl;
        if (!url) {
            throw new Error("No DATABASE_URL: config names none and no inCluster database was given (stacks/ refuses such a config).");
        }
        const djangoSecretKey =
            source.djangoSecretKey ??
            new random.RandomPassword(`${name}-django-secret-key`, { length: 50, special: true, overrideSpecial: "!#%&*()-_=+[]{}<>:?" }, { parent: this }).result;
        const optional: [string, pulumi.Output<string> | undefined][] = [
            [secretKeys.dataportenSecret, source.dataportenSecret],
            [secretKeys.oidcClientSecret, source.oidcClientSecret],
            [secretKeys.ticketAuthenticationSecret, source.ticketAuthenticationSecret],
            [adminPasswordKey, source.adminPassword],
            [secretKeys.emailHostPassword, api.emailHostPassword],
            ...Object.entries(extraSettingVariables(api.extraSettings?.secret)),
        ];
        const secret = new k8s.core.v1.Secret(
            `${name}-secrets`,
            {
                metadata,
                type: "Opaque",
                stringData: {
                    [secretKeys.databaseUrl]: url,
                    [secretKeys.djangoSecretKey]: pulumi.secret(djangoSecretKey),
                    ...Object.fromEntries(optional.filter((entry): entry is [string, pulumi.Output<string>] => entry[1] !== undefined)),
                },
            },
            { parent: this },
        );
        return secret.metadata.name;
    }
}
