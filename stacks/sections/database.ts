/** Argus' PostgreSQL: which kind a stack has by default, and the keys of the stack's own. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { Environment, StackIdentity } from "../stackName";
import { isPinnedImage } from "../../util/validators";

export const databaseKeys = {
    database: {
        type: "string",
        description: "Where Argus' PostgreSQL lives: inCluster (a PostgreSQL of the stack's own in its namespace, with a generated password; its data lives as long as its Pod) or external (databaseUrl or existingApiSecret). Empty: inCluster for review stacks, external for staging and production.",
        example: "external",
        default: "",
    },
    postgresImage: {
        type: "string",
        description: "Stock PostgreSQL image of an inCluster database, pinned to a version (the official postgres image: its entrypoint, user 999 and PGDATA).",
        example: "docker.io/library/postgres:15.18-bookworm",
        default: "docker.io/library/postgres:15.18-bookworm",
    },
    databaseStorageGi: {
        type: "integer",
        description: "Size limit in GiB of an inCluster database's data (an emptyDir: kept while its Pod lives, lost when the Pod is replaced).",
        example: "2",
        default: 1,
    },
} satisfies Record<string, ConfigKeySpec>;

export type DatabaseKey = keyof typeof databaseKeys;

/**
 * Where Argus' PostgreSQL lives: a hosted one outside the cluster (its URL in config or an operator's
 * Secret), or one of the stack's own, which the program runs and builds the URL of (review apps).
 */
export type DatabaseConfig =
    | { readonly mode: "external" }
    | {
          readonly mode: "inCluster";
          /** The official postgres image, pinned. */
          readonly image: string;
          /** Size limit of its data folder. */
          readonly storageGi: number;
      };

/** Review apps run a PostgreSQL of their own; staging and production use the hosted one. */
export const defaultDatabase: Readonly<Record<Environment, DatabaseConfig["mode"]>> = {
    review: "inCluster",
    staging: "external",
    production: "external",
};

/** Keys that mean something for one kind of database only; set for the other, they are refused rather than ignored. */
const databaseOnlyKeys: Readonly<Record<DatabaseConfig["mode"], readonly OneKindKey[]>> = {
    inCluster: ["postgresImage", "databaseStorageGi"],
    external: ["databaseCidr", "databasePort"],
};

/** The keys of databaseOnlyKeys; the external database's are the network section's (stacks/sections/network.ts). */
type OneKindKey = DatabaseKey | "databaseCidr" | "databasePort";

export function readDatabase(read: ConfigReader<OneKindKey>, identity: StackIdentity): DatabaseConfig {
    const chosen = read.string("database");
    if (chosen && chosen !== "inCluster" && chosen !== "external") {
        read.fail("database", `"${chosen}" is neither inCluster nor external.`, read.setCommand("database"));
    }
    const mode: DatabaseConfig["mode"] = chosen === "inCluster" || chosen === "external" ? chosen : defaultDatabase[identity.environment];
    const other = mode === "inCluster" ? "external" : "inCluster";
    for (const key of databaseOnlyKeys[other].filter((k) => read.isChosen(k))) {
        read.fail(key, `applies to an ${other} database only, and this stack's database is ${mode}.`, `pulumi config rm --stack ${read.stack} ${key}`);
    }
    if (mode === "external") {
        return { mode };
    }
    const image = read.string("postgresImage");
    if (!isPinnedImage(image)) {
        read.fail("postgresImage", `"${image}" is not pinned to a version (a tag other than latest, or a digest).`, read.setCommand("postgresImage"));
    }
    return { mode, image, storageGi: read.integer("databaseStorageGi", { min: 1, max: 100 }) };
}
