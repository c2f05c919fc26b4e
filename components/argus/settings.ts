/**
 * The environment of every container that runs the Argus server, derived from the release contract: what
 * the image sets, what the settings ConfigMap holds, and which keys come from the api Secret.
 */
import type { ArgusRelease } from "../../releases/argusRelease";
import type { ApiConfig, ApiSettings, OwnedSettings } from "../../stacks/types";
import { compareText } from "../../util/compare";

/** Where the Dockerfile collects static files at build time; Argus requires STATIC_ROOT at every start. */
export const staticRoot = "/app/static";

/** Set by the Argus image itself (Dockerfile ENV), for every container that runs it. */
export function imageEnvironment(release: ArgusRelease): Record<string, string> {
    return {
        ARGUS_UPSTREAM_SETTINGS: release.settingsModule,
        DJANGO_SETTINGS_MODULE: "argus_site.settings",
        STATIC_ROOT: staticRoot,
    };
}

/**
 * The variables our own settings module (image/argus_site/settings.py) reads; a test keeps this list equal
 * to that file. They are the names of the Django settings they set, except ARGUS_PUBLIC_HOSTS,
 * ARGUS_UPSTREAM_SETTINGS and, in 2.x, where Argus no longer reads them, the Dataporten pair.
 */
export const ownSettingsEnv = [
    "ADMINS",
    "ARGUS_DATAPORTEN_KEY",
    "ARGUS_DATAPORTEN_SECRET",
    "ARGUS_FALLBACK_FILTER",
    "ARGUS_FRONTEND_URL",
    "ARGUS_OIDC_METHOD_NAME",
    "ARGUS_PUBLIC_HOSTS",
    "ARGUS_REDIS_SERVER",
    "ARGUS_UPSTREAM_SETTINGS",
    "AUTH_TOKEN_EXPIRES_AFTER_DAYS",
    "CONN_MAX_AGE",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
    "MEDIA_PLUGINS",
    "REDIS_PASSWORD",
    "SERVER_EMAIL",
    "SOCIAL_AUTH_IMMUTABLE_USER_FIELDS",
    "SOCIAL_AUTH_OIDC_KEY",
    "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT",
    "SOCIAL_AUTH_OIDC_SECRET",
    "TICKET_AUTHENTICATION_SECRET",
    "TICKET_ENDPOINT",
    "TICKET_INFORMATION",
    "TICKET_PLUGIN",
    "TIME_ZONE",
] as const;

/** Keys of the api Secret, named as the variables they become; the same whether we create it or an operator does. */
export const secretKeys = {
    databaseUrl: "DATABASE_URL",
    djangoSecretKey: "SECRET_KEY",
    dataportenSecret: "ARGUS_DATAPORTEN_SECRET",
    oidcClientSecret: "SOCIAL_AUTH_OIDC_SECRET",
    ticketAuthenticationSecret: "TICKET_AUTHENTICATION_SECRET",
    emailHostPassword: "EMAIL_HOST_PASSWORD",
} as const satisfies Record<string, keyof OwnedSettings["secret"]>;

/**
 * An extra setting (stacks/sections/extraSettings.ts) travels as this prefix and its name, from the settings
 * ConfigMap or the api Secret; our settings module sets the Django setting of that name from it.
 */
export const extraSettingPrefix = "ARGUS_EXTRA_SETTING_";

/** The variables of a map of extra settings, name for name. */
export function extraSettingVariables<Value>(settings: Readonly<Record<string, Value>> = {}): Record<string, Value> {
    return Object.fromEntries(Object.entries(settings).map(([name, value]) => [`${extraSettingPrefix}${name}`, value]));
}

/** The Secret keys the containers read: the database and Django's key always, the rest with their feature. */
export function secretEnvNames(api: Pick<ApiConfig, "dataportenKey" | "ticket" | "oidc" | "extraSettings"> & { readonly settings: Pick<ApiSettings, "emailHostUser"> }): string[] {
    return [
        secretKeys.databaseUrl,
        secretKeys.djangoSecretKey,
        ...(api.dataportenKey ? [secretKeys.dataportenSecret] : []),
        ...(api.oidc ? [secretKeys.oidcClientSecret] : []),
        ...(api.ticket ? [secretKeys.ticketAuthenticationSecret] : []),
        ...(api.settings.emailHostUser ? [secretKeys.emailHostPassword] : []),
        ...Object.keys(extraSettingVariables(api.extraSettings?.secret)),
    ];
}

/** Whether a variable is read by this release's settings or by our settings module. */
export function isRead(release: ArgusRelease, name: string): boolean {
    return release.readEnv.includes(name) || (ownSettingsEnv as readonly string[]).includes(name) || name.startsWith(extraSettingPrefix);
}

const flag = (on: boolean) => (on ? "1" : "0");

/**
 * Data of the settings ConfigMap: every non-secret variable this deployment sets, kept only where the
 * release or our settings module reads it. Sorted by name so the ConfigMap renders the same every time.
 */
export function apiSettingsData(release: ArgusRelease, api: Pick<ApiConfig, "settings" | "dataportenKey" | "ticket" | "oidc" | "capacity" | "extraSettings">, redisServer?: string): Record<string, string> {
    const s: ApiSettings = api.settings;
    // Exactly the names stacks/sections/extraSettings.ts knows the program sets, so no extra setting can clash with one.
    const candidates: Record<keyof OwnedSettings["configMap"], string | undefined> = {
        ADMINS: s.admins.length > 0 ? JSON.stringify(s.admins.map((m) => [m.name, m.address])) : undefined,
        ARGUS_PUBLIC_HOSTS: s.publicHosts.join(","),
        ARGUS_DATAPORTEN_KEY: api.dataportenKey,
        ARGUS_FALLBACK_FILTER: s.fallbackFilter,
        ARGUS_FRONTEND_URL: s.frontendUrl,
        ARGUS_OIDC_METHOD_NAME: api.oidc?.displayName,
        ARGUS_REDIS_SERVER: redisServer,
        ARGUS_SEND_NOTIFICATIONS: flag(s.sendNotifications),
        ARGUS_SPA_COOKIE_DOMAIN: s.cookieDomain,
        AUTH_TOKEN_EXPIRES_AFTER_DAYS: String(s.authTokenExpiresAfterDays),
        CONN_MAX_AGE: String(api.capacity.databaseConnMaxAge),
        DEBUG: flag(s.debug),
        DJANGO_LOGGING_MODULE: s.loggingModule,
        DEFAULT_FROM_EMAIL: s.defaultFromEmail,
        EMAIL_HOST: s.emailHost,
        EMAIL_HOST_USER: s.emailHostUser,
        EMAIL_PORT: String(s.emailPort),
        EMAIL_USE_SSL: s.emailUseSsl ? flag(true) : undefined,
        EMAIL_USE_TLS: flag(s.emailUseTls),
        MEDIA_PLUGINS: s.mediaPlugins.length > 0 ? JSON.stringify(s.mediaPlugins) : undefined,
        SERVER_EMAIL: s.serverEmail,
        SOCIAL_AUTH_IMMUTABLE_USER_FIELDS: s.socialAuthImmutableUserFields.length > 0 ? JSON.stringify(s.socialAuthImmutableUserFields) : undefined,
        SOCIAL_AUTH_OIDC_KEY: api.oidc?.clientId,
        SOCIAL_AUTH_OIDC_OIDC_ENDPOINT: api.oidc?.endpoint,
        TICKET_ENDPOINT: api.ticket?.endpoint,
        TICKET_INFORMATION: api.ticket?.information,
        TICKET_PLUGIN: api.ticket?.plugin,
        TIME_ZONE: s.timeZone,
    };
    const entries = Object.entries({ ...candidates, ...extraSettingVariables(api.extraSettings?.plain) }).filter((e): e is [string, string] => e[1] !== undefined && isRead(release, e[0]));
    return Object.fromEntries(entries.sort(([a], [b]) => compareText(a, b)));
}
