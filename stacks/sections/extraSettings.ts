/**
 * Any Django or Argus setting the other keys do not cover (BANNER_MESSAGE, SMS_GATEWAY_ADDRESS, ...), as two
 * maps of setting name to text: plain ones go to the settings ConfigMap, secret ones to the api Secret, each as
 * one variable named ARGUS_EXTRA_SETTING_<name> (components/argus/settings.ts), which our settings module (argus_site/settings.py) turns into the
 * setting of that name. A setting the program already sets is refused, naming the key that sets it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { compareText } from "../../util/compare";

export const extraSettingsKeys = {
    extraSettings: {
        type: "object",
        description:
            "More Django/Argus settings, setting name to text, e.g. BANNER_MESSAGE (docs/reference/site-specific-settings.rst of the release); our settings module sets each. Set one with: pulumi config set --path 'extraSettings.BANNER_MESSAGE' '<text>'. Not for settings another key sets, nor for secrets (extraSecretSettings).",
        example: '{"BANNER_MESSAGE": "Maintenance on Friday"}',
        default: {},
    },
    extraSecretSettings: {
        type: "object",
        description:
            "More Django/Argus settings whose text is secret (tokens, passwords), kept in the api Secret. Set each with: pulumi config set --secret --path 'extraSecretSettings.<NAME>' '<text>'. Not with existingApiSecret.",
        example: '{"SMS_GATEWAY_TOKEN": "<token>"}',
        default: {},
        secret: true,
    },
} satisfies Record<string, ConfigKeySpec>;

export type ExtraSettingsKey = keyof typeof extraSettingsKeys;

/**
 * Every setting the program sets itself, with the config key that sets it: the settings ConfigMap's variables
 * (apiSettingsData in components/argus/settings.ts must produce exactly these names, a type keeps them in step),
 * the api Secret's (its secretKeys), and the Django settings our settings module derives from them under other names.
 */
export const ownedSettings = {
    configMap: {
        ADMINS: "admins",
        ARGUS_DATAPORTEN_KEY: "dataportenKey",
        ARGUS_FALLBACK_FILTER: "fallbackFilter",
        ARGUS_FRONTEND_URL: "webuiHost",
        ARGUS_OIDC_METHOD_NAME: "oidcDisplayName",
        ARGUS_PUBLIC_HOSTS: "webuiHost",
        ARGUS_REDIS_SERVER: "apiReplicas",
        ARGUS_SEND_NOTIFICATIONS: "sendNotifications",
        ARGUS_SPA_COOKIE_DOMAIN: "webuiHost",
        AUTH_TOKEN_EXPIRES_AFTER_DAYS: "authTokenExpiresAfterDays",
        CONN_MAX_AGE: "databaseConnMaxAge",
        DEBUG: "debug",
        DEFAULT_FROM_EMAIL: "defaultFromEmail",
        DJANGO_LOGGING_MODULE: "jsonLogging",
        EMAIL_HOST: "emailHost",
        EMAIL_HOST_USER: "emailHostUser",
        EMAIL_PORT: "emailPort",
        EMAIL_USE_SSL: "emailUseSsl",
        EMAIL_USE_TLS: "emailUseTls",
        MEDIA_PLUGINS: "mediaPlugins",
        SERVER_EMAIL: "serverEmail",
        SOCIAL_AUTH_IMMUTABLE_USER_FIELDS: "socialAuthImmutableUserFields",
        SOCIAL_AUTH_OIDC_KEY: "oidcClientId",
        SOCIAL_AUTH_OIDC_OIDC_ENDPOINT: "oidcEndpoint",
        TICKET_ENDPOINT: "ticketEndpoint",
        TICKET_INFORMATION: "ticketInformation",
        TICKET_PLUGIN: "ticketPlugin",
        TIME_ZONE: "timeZone",
    },
    secret: {
        ARGUS_DATAPORTEN_SECRET: "dataportenSecret",
        DATABASE_URL: "databaseUrl",
        EMAIL_HOST_PASSWORD: "emailHostPassword",
        SECRET_KEY: "djangoSecretKey",
        SOCIAL_AUTH_OIDC_SECRET: "oidcClientSecret",
        TICKET_AUTHENTICATION_SECRET: "ticketAuthenticationSecret",
    },
    /** Django settings of another name than the variable they come from (argus_site/settings.py, Argus' base.py). */
    derived: {
        ALLOWED_HOSTS: "webuiHost",
        CSRF_COOKIE_SECURE: "tls",
        CSRF_TRUSTED_ORIGINS: "webuiHost",
        CORS_ALLOWED_ORIGINS: "webuiHost",
        DATABASES: "databaseUrl",
        FRONTEND_URL: "webuiHost",
        LOGGING: "jsonLogging",
        SEND_NOTIFICATIONS: "sendNotifications",
        SESSION_COOKIE_SECURE: "tls",
        SOCIAL_AUTH_DATAPORTEN_FEIDE_KEY: "dataportenKey",
        SOCIAL_AUTH_DATAPORTEN_FEIDE_SECRET: "dataportenSecret",
        SOCIAL_AUTH_LOGIN_ERROR_URL: "oidcEndpoint",
        EMAIL_TIMEOUT: "emailHost",
        SOCIAL_AUTH_REDIRECT_IS_HTTPS: "tls",
    },
} as const;

export type OwnedSettings = typeof ownedSettings;

/** The config key that sets a setting, when the program sets it. */
export function owningKey(name: string): string | undefined {
    const tables: Record<string, string>[] = [ownedSettings.configMap, ownedSettings.secret, ownedSettings.derived];
    return tables.map((table) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined)).find((key) => key !== undefined);
}

/** Extra settings by name: plain text, and secrets wrapped as Pulumi secrets. */
export interface ExtraSettings {
    readonly plain: Readonly<Record<string, string>>;
    readonly secret: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Django reads settings from UPPER_CASE module attributes only (django/conf/__init__.py `Settings.__init__`, `setting.isupper()`). */
const settingName = /^[A-Z][A-Z0-9_]*$/;

/** Names that say they hold a secret; their text belongs in extraSecretSettings. */
const secretLooking = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)(API_?)?KEYS?(_|$)/;

export function readExtraSettings(read: ConfigReader<ExtraSettingsKey>, existingSecretName: string): ExtraSettings {
    const plain = readSettingMap(read, "extraSettings");
    // The default, an empty map, is no secret; anything else must be stored as one (read.secret says so if not).
    const secretText = isEmptyMap(read.string("extraSecretSettings")) ? undefined : read.secret("extraSecretSettings");
    const secret = secretText ? readSettingMap(read, "extraSecretSettings", secretText.raw) : {};
    for (const name of Object.keys(plain).filter((n) => secretLooking.test(n))) {
        read.fail(
            "extraSettings",
            `entry ${name} looks like a secret, and extraSettings go in plain text into a ConfigMap.`,
            `pulumi config rm --stack ${read.stack} --path 'extraSettings.${name}' && pulumi config set --secret --stack ${read.stack} --path 'extraSecretSettings.${name}' <value>`,
        );
    }
    for (const name of Object.keys(plain).filter((n) => n in secret)) {
        read.fail("extraSettings", `entry ${name} is in extraSecretSettings too.`, `pulumi config rm --stack ${read.stack} --path 'extraSettings.${name}'`);
    }
    if (existingSecretName && Object.keys(secret).length > 0) {
        read.fail(
            "extraSecretSettings",
            `is set, but existingApiSecret "${existingSecretName}" provides the api's secrets, and the program names no more keys in it.`,
            `pulumi config rm --stack ${read.stack} extraSecretSettings (or let the program make the Secret: pulumi config rm --stack ${read.stack} existingApiSecret)`,
        );
    }
    return { plain, secret: Object.fromEntries(Object.entries(secret).map(([name, text]) => [name, pulumi.secret(text)])) };
}

function isEmptyMap(text: string): boolean {
    return text.trim() === "" || text.replace(/\s/g, "") === "{}";
}

/** One map's entries, every problem with a name or a value reported (a secret map's values never repeated). */
function readSettingMap(read: ConfigReader<ExtraSettingsKey>, key: ExtraSettingsKey, text = read.string(key)): Record<string, string> {
    const secret = key === "extraSecretSettings";
    const setEntry = (name: string) => `pulumi config set${secret ? " --secret" : ""} --stack ${read.stack} --path '${key}.${name}' <text>`;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text || "{}");
    } catch {
        parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        read.fail(key, `is not a map of setting name to text${secret ? " (value not shown)" : `: "${text}"`}.`, `pulumi config rm --stack ${read.stack} ${key} && ${setEntry("BANNER_MESSAGE")}`);
        return {};
    }
    const entries: [string, string][] = [];
    for (const [name, value] of Object.entries(parsed)) {
        const owner = owningKey(name);
        if (!settingName.test(name)) {
            read.fail(key, `entry "${name}" is not a name Django reads as a setting: UPPER_CASE letters, digits and _, starting with a letter.`, `pulumi config rm --stack ${read.stack} --path '${key}.${name}' && ${setEntry(name.toUpperCase().replace(/[^A-Z0-9_]/g, "_"))}`);
        } else if (owner) {
            read.fail(key, `entry ${name} is a setting this program sets itself, from ${owner}.`, `pulumi config rm --stack ${read.stack} --path '${key}.${name}', and set ${owner} instead (docs/configuration.md)`);
        } else if (typeof value !== "string") {
            const shown = secret ? "" : ` (${JSON.stringify(value)})`;
            read.fail(key, `entry ${name} is ${Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`}${shown}, not text: the settings module sets text only.`, setEntry(name));
        } else {
            entries.push([name, value]);
        }
    }
    return Object.fromEntries(entries.sort(([a], [b]) => compareText(a, b)));
}
