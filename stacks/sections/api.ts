/**
 * The Argus web server (1.x: the api): its Pods and Django settings. Its secrets, mail and ticket system
 * have sections of their own (secrets.ts, mail.ts, ticket.ts); this reader puts them together.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { StackIdentity } from "../stackName";
import { dottedPath, list } from "../valueReaders";
import { isJsonObject } from "../../util/validators";
import { imageTimeZones } from "../../releases/constraints";
import { DatabaseConfig, DatabaseKey } from "./database";
import type { ExtraSettings } from "./extraSettings";
import { Mailbox, MailKey, readAdmins, readMailLogin, readMailPort, readMailServer, readSender } from "./mail";
import { ApiSecretsSource, FirstAdmin, readApiSecrets, readFirstAdmin, SecretKey } from "./secrets";
import { TicketConfig, TicketKey } from "./ticket";
import type { WebCapacity } from "./capacity";
import type { WebAutoscaling } from "./autoscaling";
import { LoginKey, OidcConfig } from "./login";

export const apiKeys = {
    apiReplicas: {
        type: "integer",
        description: "Number of Argus web server Pods (1.x: api Pods; with more than one they share one Redis instead of each having its own).",
        example: "2",
        default: 1,
    },
    timeZone: {
        type: "string",
        description: "Time zone of the api (Django TIME_ZONE, which Argus hard-codes; our settings module applies it).",
        example: "UTC",
        default: "Europe/Oslo",
    },
    authTokenExpiresAfterDays: {
        type: "integer",
        description: "Days an API token lives (AUTH_TOKEN_EXPIRES_AFTER_DAYS; Argus' own default is 14, the seed's 180).",
        example: "30",
        default: 180,
    },
    socialAuthImmutableUserFields: {
        type: "string",
        description: "User fields a Feide login never overwrites (SOCIAL_AUTH_IMMUTABLE_USER_FIELDS), comma-separated. Empty: none.",
        example: "first_name,last_name",
        default: "",
    },
    mediaPlugins: {
        type: "string",
        description: "Notification media plugins (MEDIA_PLUGINS) as dotted class paths, comma-separated; install their packages with extraPythonPackages. Empty: Argus' default, email only.",
        example: "argus.notificationprofile.media.email.EmailNotification,argus_notification_sms.SMSNotification",
        default: "",
    },
    fallbackFilter: {
        type: "string",
        description: "System-wide fallback incident filter as a JSON object (ARGUS_FALLBACK_FILTER), e.g. {\"acked\": false}. Empty: none.",
        example: '{"acked": false}',
        default: "",
        multiline: true,
    },
    debug: {
        type: "boolean",
        description: "Django DEBUG. Never in production.",
        example: "true",
        default: false,
    },
} satisfies Record<string, ConfigKeySpec>;

export type ApiKey = keyof typeof apiKeys;

export interface ApiConfig {
    readonly replicas: number;
    readonly secrets: ApiSecretsSource;
    readonly settings: ApiSettings;
    /** Client id for Dataporten login; its secret comes with the other secrets. */
    readonly dataportenKey?: string;
    /** The organisation's OpenID provider (2.x; stacks/sections/login.ts); its client secret comes with the other secrets. */
    readonly oidc?: OidcConfig;
    /** The ticket system; its credentials come with the other secrets. */
    readonly ticket?: TicketConfig;
    /** The first superuser; its password comes with the other secrets. */
    readonly admin?: FirstAdmin;
    /** How much the web server takes at once, and how long it keeps database connections (stacks/sections/capacity.ts). */
    readonly capacity: WebCapacity;
    /** 2.x: the web server's HorizontalPodAutoscaler, from `replicas` up (stacks/sections/autoscaling.ts); none when unset. */
    readonly autoscaling?: WebAutoscaling;
    /** The SMTP login's password (EMAIL_HOST_PASSWORD, to the api Secret); unset with existingApiSecret, which holds it. */
    readonly emailHostPassword?: pulumi.Output<string>;
    /** Settings no other key covers (stacks/sections/extraSettings.ts); none when unset. */
    readonly extraSettings?: ExtraSettings;
}

/** The api's non-secret settings; they end up in a ConfigMap. */
export interface ApiSettings {
    readonly frontendUrl: string;
    /** The hosts Django answers to (ALLOWED_HOSTS): 1.x the api host; 2.x the webui host and the api host if set. */
    readonly publicHosts: readonly string[];
    readonly cookieDomain: string;
    readonly defaultFromEmail: string;
    readonly timeZone: string;
    readonly sendNotifications: boolean;
    /** Always a host: Argus requires EMAIL_HOST even where no mail is sent. */
    readonly emailHost: string;
    readonly emailPort: number;
    readonly emailUseTls: boolean;
    /** Implicit TLS (EMAIL_USE_SSL); never with emailUseTls. */
    readonly emailUseSsl: boolean;
    /** The SMTP login (EMAIL_HOST_USER); its password comes with the secrets. Unset: no login. */
    readonly emailHostUser?: string;
    readonly debug: boolean;
    readonly authTokenExpiresAfterDays: number;
    /** ARGUS_FALLBACK_FILTER as compact JSON; undefined: Argus' default. */
    readonly fallbackFilter?: string;
    readonly admins: readonly Mailbox[];
    readonly serverEmail: string;
    readonly socialAuthImmutableUserFields: readonly string[];
    /** Dotted class paths; empty: Argus' default. */
    readonly mediaPlugins: readonly string[];
    /** DJANGO_LOGGING_MODULE: a logging dictionary's dotted path; undefined: Django's default logging. */
    readonly loggingModule?: string;
}

/** Our logging dictionary for JSON lines (components/argus/image/argus_site/json_logging.py). */
export const jsonLoggingModule = "argus_site.json_logging.LOGGING";

/** Where the api is reached from: the hosts, the webui's URL, and the cookie domain (the webui host). */
export interface ApiPlace {
    readonly webuiHost: string;
    readonly publicHosts: string[];
    readonly webuiUrl: string;
}

/** Everything of the api but its capacity, which needs the containers' resources (stacks/index.ts adds it). */
export function readApi(read: ConfigReader<ApiKey | SecretKey | TicketKey | MailKey | DatabaseKey | LoginKey>, identity: StackIdentity, { webuiHost, publicHosts, webuiUrl }: ApiPlace, database: DatabaseConfig, jsonLogging: boolean): Omit<ApiConfig, "capacity"> {
    const { secrets, ticket, dataportenKey, adminUsername } = readApiSecrets(read, identity, database);
    const { sendNotifications, emailHost, emailUseTls, emailUseSsl } = readMailServer(read);
    const mailLogin = readMailLogin(read, "existingSecretName" in secrets ? secrets.existingSecretName : "");
    const debug = read.boolean("debug");
    if (debug && identity.environment === "production") {
        read.fail("debug", "is true in production, which would show stack traces and settings to visitors.", `pulumi config rm --stack ${identity.stack} debug`);
    }
    const defaultFromEmail = readSender(read, "defaultFromEmail", `argus@${webuiHost}`);
    const timeZone = read.string("timeZone");
    // Validated against the image's own zone data, not this machine's ICU: one value for Argus and for us.
    if (!imageTimeZones.has(timeZone)) {
        read.fail("timeZone", `"${timeZone}" is not a time zone name like Europe/Oslo or UTC.`, read.setCommand("timeZone"));
    }
    const fallbackFilter = read.string("fallbackFilter");
    if (fallbackFilter && !isJsonObject(fallbackFilter)) {
        read.fail("fallbackFilter", `"${fallbackFilter}" is not a JSON object like {"acked": false}.`, read.setCommand("fallbackFilter"));
    }
    const admin = readFirstAdmin(read, adminUsername);
    const mediaPlugins = list(read.string("mediaPlugins"));
    for (const plugin of mediaPlugins.filter((p) => !dottedPath.test(p))) {
        read.fail("mediaPlugins", `"${plugin}" is not a dotted Python class path.`, read.setCommand("mediaPlugins"));
    }
    return {
        replicas: read.integer("apiReplicas", { min: 1, max: 20 }),
        secrets,
        settings: {
            frontendUrl: webuiUrl,
            publicHosts,
            cookieDomain: webuiHost,
            defaultFromEmail,
            timeZone,
            sendNotifications,
            // Argus requires EMAIL_HOST (backend.py); without a mail server nothing listens there and no NetworkPolicy lets mail out.
            emailHost: emailHost || "localhost",
            emailPort: readMailPort(read, { emailUseTls, emailUseSsl }),
            emailUseTls,
            emailUseSsl,
            ...(mailLogin ? { emailHostUser: mailLogin.user } : {}),
            debug,
            authTokenExpiresAfterDays: read.integer("authTokenExpiresAfterDays", { min: 1, max: 3650 }),
            fallbackFilter: fallbackFilter && isJsonObject(fallbackFilter) ? JSON.stringify(JSON.parse(fallbackFilter)) : undefined,
            admins: readAdmins(read),
            serverEmail: readSender(read, "serverEmail", defaultFromEmail),
            socialAuthImmutableUserFields: list(read.string("socialAuthImmutableUserFields")),
            mediaPlugins,
            ...(jsonLogging ? { loggingModule: jsonLoggingModule } : {}),
        },
        dataportenKey: dataportenKey || undefined,
        ticket,
        ...(admin ? { admin } : {}),
        ...(mailLogin?.password ? { emailHostPassword: mailLogin.password } : {}),
    };
}
