/**
 * The api's secrets (the database URL, Django's key, the Dataporten, ticket and first admin's credentials):
 * from config, or all from an operator's Secret, and the accounts they go with.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { StackIdentity } from "../stackName";
import { checkObjectName, requireTogether } from "../valueReaders";
import { isJsonObject } from "../../util/validators";
import { DatabaseConfig, DatabaseKey } from "./database";
import { readTicket, TicketConfig, TicketKey } from "./ticket";
import { LoginKey } from "./login";

export const secretKeys = {
    adminUsername: {
        type: "string",
        description: "First superuser, created by initial_setup after the migrations if no user of that name exists. Needs adminPassword. Empty: none.",
        example: "admin",
        default: "",
    },
    adminEmail: {
        type: "string",
        description: "Email address of the first superuser. Empty: none.",
        example: "argus-admin@example.org",
        default: "",
    },
    adminPassword: {
        type: "string",
        description: "Password of the first superuser (secret), unless existingApiSecret holds it as ADMIN_PASSWORD.",
        example: "<password>",
        default: "",
        secret: true,
    },
    databaseUrl: {
        type: "string",
        description: "PostgreSQL URL, postgresql://user:password@host:5432/db (secret). Required for an external database unless existingApiSecret is set.",
        example: "postgresql://argus:PASSWORD@db.example.org:5432/argus",
        default: "",
        secret: true,
        ciVariable: "ARGUS_DATABASE_URL",
    },
    djangoSecretKey: {
        type: "string",
        description: "Django SECRET_KEY (secret). Empty: a random 50-character key kept in the stack state.",
        example: "<50 random characters>",
        default: "",
        secret: true,
    },
    existingApiSecret: {
        type: "string",
        description: "Name of an existing Secret to use instead of creating one: keys DATABASE_URL and SECRET_KEY, plus ARGUS_DATAPORTEN_SECRET with dataportenKey, SOCIAL_AUTH_OIDC_SECRET with oidcEndpoint, TICKET_AUTHENTICATION_SECRET with ticketPlugin and EMAIL_HOST_PASSWORD with emailHostUser.",
        example: "argus-api-secrets",
        default: "",
    },
    ticketAuthenticationSecret: {
        type: "string",
        description: "Credentials of the ticket system as a JSON object (TICKET_AUTHENTICATION_SECRET; secret). Required with ticketPlugin, unless existingApiSecret holds it.",
        example: '{"token": "<token>"}',
        default: "",
        secret: true,
        multiline: true,
    },
    dataportenKey: {
        type: "string",
        description: "Client id for Dataporten/Feide login. Empty: local accounts only.",
        example: "<client id>",
        default: "",
    },
    dataportenSecret: {
        type: "string",
        description: "Client secret for Dataporten/Feide login (secret). Required with dataportenKey.",
        example: "<client secret>",
        default: "",
        secret: true,
    },
} satisfies Record<string, ConfigKeySpec>;

export type SecretKey = keyof typeof secretKeys;

/** Where DATABASE_URL, SECRET_KEY and ARGUS_DATAPORTEN_SECRET come from: an operator's Secret, or config. */
export type ApiSecretsSource =
    | { readonly existingSecretName: string }
    | {
          /** Unset with an inCluster database, whose URL the program builds (components/database). */
          readonly databaseUrl?: pulumi.Output<string>;
          /** Unset: a random key kept in the stack state. */
          readonly djangoSecretKey?: pulumi.Output<string>;
          readonly dataportenSecret?: pulumi.Output<string>;
          /** The OpenID provider's client secret (login.ts). */
          readonly oidcClientSecret?: pulumi.Output<string>;
          readonly ticketAuthenticationSecret?: pulumi.Output<string>;
          readonly adminPassword?: pulumi.Output<string>;
      };

/** The first superuser, made by `initial_setup` after the migrations. */
export interface FirstAdmin {
    readonly username: string;
    readonly email?: string;
}

/** The secrets, and the ticket system and accounts whose credentials are among them. */
export interface ApiSecretsAndAccounts {
    readonly secrets: ApiSecretsSource;
    readonly ticket?: TicketConfig;
    readonly dataportenKey: string;
    readonly adminUsername: string;
}

export function readApiSecrets(read: ConfigReader<SecretKey | TicketKey | DatabaseKey | LoginKey>, identity: StackIdentity, database: DatabaseConfig): ApiSecretsAndAccounts {
    const existingSecretName = checkObjectName(read, "existingApiSecret", "Secret");
    const databaseUrl = read.secret("databaseUrl");
    const djangoSecretKey = read.secret("djangoSecretKey");
    const dataportenKey = read.string("dataportenKey");
    const dataportenSecret = read.secret("dataportenSecret");
    const oidcEndpoint = read.string("oidcEndpoint").trim();
    const oidcClientSecret = read.secret("oidcClientSecret");
    const ticket = readTicket(read);
    const ticketSecret = read.secret("ticketAuthenticationSecret");
    const adminUsername = read.string("adminUsername");
    const adminPassword = read.secret("adminPassword");
    if (adminUsername && !/^[\w.@+-]{1,150}$/.test(adminUsername)) {
        read.fail("adminUsername", `"${adminUsername}" is not a Django user name (letters, digits and @.+-_, at most 150).`, read.setCommand("adminUsername"));
    }
    if (ticketSecret && !isJsonObject(ticketSecret.raw)) {
        read.fail("ticketAuthenticationSecret", "is not a JSON object (value not shown).", read.setCommand("ticketAuthenticationSecret"));
    }
    let secrets: ApiSecretsSource;
    const ownDatabase = database.mode === "inCluster";
    if (existingSecretName && ownDatabase) {
        read.fail(
            "existingApiSecret",
            `is set, but this stack runs its own database (database ${read.isChosen("database") ? "inCluster" : "inCluster, the default of review stacks"}), whose URL the program makes.`,
            `pulumi config set --stack ${identity.stack} database external (or pulumi config rm --stack ${identity.stack} existingApiSecret)`,
        );
    }
    if (existingSecretName) {
        const provided = [
            ["databaseUrl", databaseUrl],
            ["djangoSecretKey", djangoSecretKey],
            ["dataportenSecret", dataportenSecret],
            ["oidcClientSecret", oidcClientSecret],
            ["ticketAuthenticationSecret", ticketSecret],
            ["adminPassword", adminPassword],
        ] as const;
        for (const [key, value] of provided) {
            if (value) {
                read.fail(key, `is set, but existingApiSecret "${existingSecretName}" already provides the api's secrets.`, `put it into that Secret and run: pulumi config rm --stack ${identity.stack} ${key}`);
            }
        }
        secrets = { existingSecretName };
    } else {
        if (ownDatabase && databaseUrl) {
            read.fail(
                "databaseUrl",
                "is set, but this stack runs its own database (database inCluster), whose URL the program makes.",
                `pulumi config rm --stack ${identity.stack} databaseUrl (or pulumi config set --stack ${identity.stack} database external)`,
            );
        } else if (!ownDatabase && !databaseUrl) {
            read.fail(
                "databaseUrl",
                "is required for an external database (or existingApiSecret).",
                `${read.setCommand("databaseUrl")} (or, for a database of the stack's own: pulumi config set --stack ${identity.stack} database inCluster)`,
            );
        } else if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl.raw)) {
            read.fail("databaseUrl", "is not a postgresql:// URL (value not shown).", read.setCommand("databaseUrl"));
        }
        requireTogether(read, ["dataportenKey", dataportenKey], ["dataportenSecret", dataportenSecret?.raw]);
        requireTogether(read, ["oidcEndpoint", oidcEndpoint], ["oidcClientSecret", oidcClientSecret?.raw]);
        requireTogether(read, ["ticketPlugin", ticket?.plugin], ["ticketAuthenticationSecret", ticketSecret?.raw]);
        requireTogether(read, ["adminUsername", adminUsername], ["adminPassword", adminPassword?.raw]);
        secrets = {
            databaseUrl: ownDatabase ? undefined : (databaseUrl?.value ?? pulumi.secret("")),
            djangoSecretKey: djangoSecretKey?.value,
            dataportenSecret: dataportenKey ? dataportenSecret?.value : undefined,
            oidcClientSecret: oidcEndpoint ? oidcClientSecret?.value : undefined,
            ticketAuthenticationSecret: ticket ? ticketSecret?.value : undefined,
            adminPassword: adminUsername ? adminPassword?.value : undefined,
        };
    }
    return { secrets, ticket, dataportenKey, adminUsername };
}

/** The first superuser, when adminUsername names one. */
export function readFirstAdmin(read: ConfigReader<SecretKey>, adminUsername: string): FirstAdmin | undefined {
    const adminEmail = read.string("adminEmail");
    if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
        read.fail("adminEmail", `"${adminEmail}" is not an email address.`, read.setCommand("adminEmail"));
    }
    return adminUsername ? { username: adminUsername, ...(adminEmail ? { email: adminEmail } : {}) } : undefined;
}
