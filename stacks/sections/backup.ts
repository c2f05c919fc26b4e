/** The backup a stack takes of its database before each migration: whether, with which pg_dump, where, how many. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { Environment, StackIdentity } from "../stackName";
import type { DatabaseConfig } from "./database";

/**
 * The majors the official postgres image is published for: the keys of versions.json in docker-library/postgres
 * (commit 6edb0a8c, 2026-02-26: 14 to 18, each with bookworm and trixie variants).
 */
export const officialPostgresMajors = [14, 15, 16, 17, 18] as const;

export const backupKeys = {
    backupBeforeMigration: {
        type: "string",
        description: "Dump the database (pg_dump -Fc) to a PersistentVolumeClaim before each migration Job; the migration waits for it, and a failed dump stops the rollout. true or false; empty: on for production, off for staging and review stacks.",
        example: "true",
        default: "",
    },
    backupPostgresMajor: {
        type: "string",
        description: `PostgreSQL major of an external database server (SHOW server_version): the backup runs pg_dump of the official postgres image of that major (${officialPostgresMajors.join(", ")}). Set it: a server of a newer major makes pg_dump refuse, which stops the rollout. An inCluster database's is taken from postgresImage.`,
        example: "16",
        default: "15",
    },
    backupStorageGi: {
        type: "integer",
        description: "Size in GiB of the PersistentVolumeClaim the dumps are kept on.",
        example: "20",
        default: 5,
    },
    backupStorageClass: {
        type: "string",
        description: "StorageClass of the dumps' PersistentVolumeClaim; empty: the cluster's default class.",
        example: "standard",
        default: "",
    },
    backupKeep: {
        type: "integer",
        description: "How many dumps the volume keeps: each backup removes the oldest beyond this number once its own dump is written.",
        example: "10",
        default: 5,
    },
} satisfies Record<string, ConfigKeySpec>;

export type BackupKey = keyof typeof backupKeys;

/** The backup before each migration; undefined in ArgusConfig when the stack takes none. */
export interface BackupConfig {
    /** The PostgreSQL major whose pg_dump runs. */
    readonly postgresMajor: number;
    /** The image running pg_dump: an inCluster database's own, else the official image of that major. */
    readonly image: string;
    readonly storageGi: number;
    /** Empty: the cluster's default StorageClass. */
    readonly storageClass: string;
    readonly keep: number;
}

/** Production keeps a dump before every migration unless told otherwise; other stacks only when asked. */
export const defaultBackup: Readonly<Record<Environment, boolean>> = { production: true, staging: false, review: false };

/** The official image of a major (docker-library/postgres publishes `<major>-bookworm` for each, versions.json). */
export function officialPostgresImage(major: number): string {
    return `docker.io/library/postgres:${major}-bookworm`;
}

/** The major in an official postgres image's tag (`postgres:15.18-bookworm` is 15), if it has one. */
export function postgresImageMajor(image: string): number | undefined {
    const tag = /(?:^|\/)postgres:(\d+)(?:[.-]|$)/.exec(image);
    return tag ? Number(tag[1]) : undefined;
}

export function readBackup(read: ConfigReader<BackupKey>, identity: StackIdentity, database: DatabaseConfig): BackupConfig | undefined {
    const chosen = read.string("backupBeforeMigration");
    if (chosen !== "" && chosen !== "true" && chosen !== "false") {
        read.fail("backupBeforeMigration", `"${chosen}" is not true, false or empty (on for production only).`, read.setCommand("backupBeforeMigration"));
    }
    const storageGi = read.integer("backupStorageGi", { min: 1, max: 1000 });
    const keep = read.integer("backupKeep", { min: 1, max: 100 });
    const storageClass = read.string("backupStorageClass");
    if (!(chosen === "" ? defaultBackup[identity.environment] : chosen === "true")) {
        for (const key of (["backupPostgresMajor", "backupStorageGi", "backupStorageClass", "backupKeep"] as const).filter((k) => read.isChosen(k))) {
            read.fail(key, "has no effect: this stack takes no backup before migrations (backupBeforeMigration).", `pulumi config rm --stack ${read.stack} ${key}`);
        }
        return undefined;
    }
    const major = readMajor(read, database);
    return major === undefined ? undefined : { postgresMajor: major, image: database.mode === "inCluster" ? database.image : officialPostgresImage(major), storageGi, storageClass, keep };
}

/**
 * The server's major: an inCluster database's from its image, else the key, one the official image is published
 * for. Its default, 15, is the review apps' own database's; pg_dump refuses a server of a newer major ("server
 * version mismatch"), so a wrong guess stops the rollout rather than writing a dump nobody can restore.
 */
function readMajor(read: ConfigReader<BackupKey>, database: DatabaseConfig): number | undefined {
    const given = read.string("backupPostgresMajor").trim();
    const offered = officialPostgresMajors.join(", ");
    if (database.mode === "inCluster") {
        const own = postgresImageMajor(database.image);
        if (own === undefined) {
            read.fail("backupPostgresMajor", `the inCluster database's image "${database.image}" names no PostgreSQL major in its tag, which the backup's pg_dump must match.`, "pulumi config set postgresImage docker.io/library/postgres:15.18-bookworm");
        } else if (read.isChosen("backupPostgresMajor") && Number(given) !== own) {
            read.fail("backupPostgresMajor", `${given} differs from the major of the inCluster database's image (${own}), which the backup takes.`, `pulumi config rm --stack ${read.stack} backupPostgresMajor`);
        }
        return own;
    }
    const major = Number(given);
    if (!(officialPostgresMajors as readonly number[]).includes(major)) {
        read.fail("backupPostgresMajor", `"${given}" is not a major the official postgres image is published for (${offered}).`, read.setCommand("backupPostgresMajor"));
        return undefined;
    }
    return major;
}
