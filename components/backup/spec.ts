/**
 * The pure parts of the backup taken before each migration: its volume, its Job's Pod and the script it runs.
 * Facts about the official postgres image (docker-library/postgres, Debian Dockerfiles): user `postgres`, uid
 * 999; pg_dump of the image's major first on PATH; bash in every Debian variant.
 */
import * as k8s from "@pulumi/kubernetes";
import type { BackupConfig, ResourceSpec } from "../../stacks/types";
import { postgresUid } from "../database/spec";
import { resourceRequirements, restrictedSecurityContext } from "../workload/containers";
import { PodSpec } from "../workload/spec";

/** Where the volume with the dumps is mounted in the backup's container. */
export const backupMountPath = "/backups";

/** A dump's file name: `<UTC timestamp>-argus-<release replaced>-before-<new release>.dump`, so names sort by time. */
export const dumpNamePattern = /^\d{8}T\d{6}Z-argus-[\w.]+-before-[\w.]+\.dump$/;

/**
 * The script the backup container runs. DATABASE_URL comes from the api Secret as an environment variable and
 * is only ever read here, never written into the manifest; libpq takes it as `--dbname` (any scheme Django
 * accepts becomes postgresql://). A dump is written under a hidden name and renamed when pg_dump succeeded, so a
 * failed or killed run leaves no file that looks like a dump; then all but the newest `keep` are removed. Its
 * arguments: the release replaced, the new release, how many dumps to keep.
 */
export const backupScript = `set -euo pipefail
replaced="$1" next="$2" keep="$3"
cd ${backupMountPath}
rm -f .partial-*
name="$(date -u +%Y%m%dT%H%M%SZ)-argus-\${replaced}-before-\${next}.dump"
pg_dump --format=custom --dbname="postgresql://\${DATABASE_URL#*://}" --file=".partial-$name"
mv ".partial-$name" "$name"
echo "wrote ${backupMountPath}/$name ($(stat -c %s "$name") bytes)"
find . -maxdepth 1 -name '*-argus-*-before-*.dump' | sort -r | tail -n +$((keep + 1)) | while read -r old; do rm -f "$old"; echo "removed \${old#./}"; done
`;

/** The releases the dump's name records. */
export interface BackupReleases {
    /** The release the stack runs now, which the migration replaces; "none" on a stack's first deploy. */
    readonly replaced: string;
    readonly next: string;
}

/** The stack's outputs of its last update, where it has one (index.ts reads them). */
export interface PreviousRelease {
    readonly argusVersion?: string;
    readonly argusImage?: string;
    /** What the last update's backup named as replaced. */
    readonly backupReplaces?: string;
}

/**
 * The release a backup names as replaced: what the stack ran before this update. A later update that keeps the
 * image keeps the name its backup Job had, so a no-change `pulumi up` does not change the Job (which would
 * replace it and dump again).
 */
export function replacedRelease(previous: PreviousRelease, imageReference: string): string {
    if (previous.argusImage === imageReference && previous.backupReplaces) {
        return previous.backupReplaces;
    }
    return previous.argusVersion ?? "none";
}

/**
 * The claim is not awaited: pulumi-kubernetes v4.25.0 waits for a claim to be Bound unless it reads, from the
 * cluster-scoped StorageClass, that binding waits for the first Pod (provider/pkg/await/awaiters.go
 * untilCoreV1PersistentVolumeClaimReady, pvcBindMode, 284-330, five minutes). The deployers may not read
 * StorageClasses, and the backup's Pod comes only after the claim's create returned: a WaitForFirstConsumer
 * class would never bind. The backup Job's own await shows a claim that never binds (its Pod stays Pending).
 */
export const backupClaimAnnotations = { "pulumi.com/skipAwait": "true" } as const;

/** The claim the dumps live on: one Pod writes it at a time. */
export function backupClaimSpec(config: BackupConfig): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    return {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${config.storageGi}Gi` } },
        ...(config.storageClass ? { storageClassName: config.storageClass } : {}),
    };
}

/**
 * The backup Job's Pod: pg_dump of the server's major as the image's postgres user, the claim mounted (fsGroup
 * makes it writable to that user), the database URL from the api Secret.
 */
export function backupPod(config: BackupConfig, claimName: k8s.types.input.core.v1.PersistentVolumeClaimVolumeSource["claimName"], secretName: k8s.types.input.core.v1.SecretKeySelector["name"], databaseUrlKey: string, releases: BackupReleases, resources: ResourceSpec): PodSpec {
    return {
        restartPolicy: "Never",
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, fsGroup: postgresUid },
        containers: [
            {
                name: "pg-dump",
                image: config.image,
                // bash -c's first argument after the script is $0, the rest $1...
                command: ["bash", "-c", backupScript, "backup", releases.replaced, releases.next, String(config.keep)],
                env: [{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: secretName, key: databaseUrlKey } } }],
                securityContext: restrictedSecurityContext(postgresUid),
                resources: resourceRequirements(resources),
                volumeMounts: [
                    { name: "backups", mountPath: backupMountPath },
                    { name: "tmp", mountPath: "/tmp" },
                ],
            },
        ],
        volumes: [
            { name: "backups", persistentVolumeClaim: { claimName } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ],
    };
}
