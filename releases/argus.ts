/**
 * The release contract: what each Argus server release we support needs from our image and Pods.
 *
 * Every fact below was read in Uninett/Argus at the tag named beside it (`git show v1.37.0:<file>`), and the
 * settings imports were run by hand with Django 5.2 (see docs/argus-releases.md). The api image, the
 * container commands and the settings ConfigMap are derived from `argusRelease(version)`; nothing else in
 * the program knows which release it deploys.
 */

/** The layout a release is deployed in: 1.x with daphne, redis and the separate React frontend. */
export type ArgusLayout = "spa";

export interface ArgusRelease {
    readonly version: string;
    readonly layout: ArgusLayout;
    /** Minor version of the Python the image runs; inside the release's supported range. */
    readonly python: string;
    /** What pip installs: the package, with the extras this layout needs. */
    readonly pipRequirement: string;
    /** The upstream settings module our `argus_site.settings` builds on. */
    readonly settingsModule: string;
    /** gunicorn's `module:callable`. */
    readonly wsgiApplication: string;
    /** daphne's `module:callable`, serving the websockets under /ws. */
    readonly asgiApplication: string;
    /** Variables the settings import fails without. */
    readonly requiredEnv: readonly string[];
    /** Every variable the settings read; anything else we set must be read by our own settings module. */
    readonly readEnv: readonly string[];
}

/**
 * Releases of the 1.x line from 1.24.0, where the cookie variable got today's name (ARGUS_SPA_COOKIE_DOMAIN,
 * `src/argus/spa/spa_settings.py` at v1.24.0), to 1.37.0, the last 1.x and the stop upstream requires before
 * 2.x (CHANGELOG.md at v2.0.0). 1.37.0 still ships the React frontend's settings, API v1 and websockets
 * (`src/argus/spa/` at v1.37.0), though `argus.site.settings.prod` serves the new UI from 1.36.1.
 *
 * 1.25.0 is left out: its git tag points at the 1.36.0 commit (dated 2025-04-22, half a year after the
 * release), so its source cannot be read, and no package index here serves it.
 */
export const supportedArgusVersions = [
    "1.24.0",
    "1.26.0",
    "1.26.1",
    "1.27.0",
    "1.28.0",
    "1.29.0",
    "1.30.0",
    "1.31.0",
    "1.32.0",
    "1.33.0",
    "1.34.0",
    "1.34.1",
    "1.35.0",
    "1.36.0",
    "1.36.1",
    "1.36.2",
    "1.37.0",
] as const;

/** The newest release the contract covers, and the default of `argusVersion`. */
export const defaultArgusVersion = "1.37.0";

/** Why a release outside the list is refused, for error messages. */
export const argusSupportHelp =
    `supported are ${supportedArgusVersions[0]} to ${defaultArgusVersion} (not 1.25.0): the 1.x releases that name the ` +
    "cookie variable ARGUS_SPA_COOKIE_DOMAIN and still serve the React frontend this layout deploys";

/**
 * Required at settings import in every supported release: `get_str_env(..., required=True)` raises when
 * unset, in `src/argus/site/settings/backend.py` (SECRET_KEY, STATIC_ROOT, EMAIL_HOST, DEFAULT_FROM_EMAIL)
 * and `src/argus/spa/spa_settings.py` (ARGUS_SPA_COOKIE_DOMAIN); backend.py raises ImproperlyConfigured
 * without ARGUS_FRONTEND_URL. Same at v1.24.0, v1.30.0, v1.33.0, v1.36.1 and v1.37.0.
 */
const spaRequiredEnv = ["ARGUS_FRONTEND_URL", "ARGUS_SPA_COOKIE_DOMAIN", "DEFAULT_FROM_EMAIL", "EMAIL_HOST", "SECRET_KEY", "STATIC_ROOT"];

/**
 * Read by `src/argus/site/settings/{__init__,base,backend}.py` and `src/argus/spa/spa_settings.py` in every
 * supported release (v1.24.0 and v1.37.0 alike; DATABASE_URL is optional to Argus, required by us).
 */
const spaReadEnv = [
    ...spaRequiredEnv,
    "ARGUS_DATAPORTEN_KEY",
    "ARGUS_DATAPORTEN_SECRET",
    "ARGUS_EXTRA_APPS",
    "ARGUS_INDELIBLE_INCIDENTS",
    "ARGUS_OVERRIDING_APPS",
    "ARGUS_REDIS_SERVER",
    "ARGUS_SEND_NOTIFICATIONS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_LOGGING_MODULE",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "STATIC_URL",
    "TEMPLATE_DEBUG",
];

/** What changed inside the supported range, each at the release named. */
const changes: readonly { readonly since: string; readonly change: Partial<ArgusRelease> }[] = [
    // channels[daphne] and channels-redis left the dependencies for the `spa` extra (pyproject.toml at v1.32.0).
    // The ASGI app moved with them: ASGI_APPLICATION in src/argus/spa/spa_settings.py at v1.32.0.
    { since: "1.32.0", change: { pipRequirement: "argus-server[spa]", asgiApplication: "argus.spa.ws.asgi:application" } },
    // EMAIL_USE_TLS: hard-coded True up to v1.35.0, read from the environment from v1.36.0 (base.py at v1.36.0).
    { since: "1.36.0", change: { readEnv: [...spaReadEnv, "EMAIL_USE_TLS"] } },
];

/** Shared by every supported release until a change above says otherwise. */
const baseline: Omit<ArgusRelease, "version"> = {
    layout: "spa",
    // pyproject.toml classifiers: 3.9-3.12 at v1.24.0, 3.10-3.13 from v1.35.0; 3.12 is in both.
    python: "3.12",
    pipRequirement: "argus-server",
    // argus.site.settings.prod is only `from argus.spa.settings import *` up to v1.36.0 and the new UI from v1.36.1.
    settingsModule: "argus.spa.settings",
    // src/argus/site/wsgi.py at v1.24.0 and v1.37.0; it only sets DJANGO_SETTINGS_MODULE if unset.
    wsgiApplication: "argus.site.wsgi:application",
    // ASGI_APPLICATION in src/argus/site/settings/base.py at v1.24.0 to v1.31.0.
    asgiApplication: "argus.ws.asgi:application",
    requiredEnv: spaRequiredEnv,
    readEnv: spaReadEnv,
};

/** Compares two x.y.z versions. */
export function compareVersions(a: string, b: string): number {
    const [pa, pb] = [a, b].map((v) => v.replace(/^v/, "").split(".").map(Number));
    for (let i = 0; i < 3; i++) {
        if (pa[i] !== pb[i]) {
            return pa[i] - pb[i];
        }
    }
    return 0;
}

export function isSupportedArgusVersion(version: string): boolean {
    return (supportedArgusVersions as readonly string[]).includes(version);
}

/** The contract of one supported release. Throws for a release the contract does not cover. */
export function argusRelease(version: string): ArgusRelease {
    if (!isSupportedArgusVersion(version)) {
        throw new Error(`Argus ${version} is not covered by the release contract: ${argusSupportHelp}.`);
    }
    const applied = changes.filter((c) => compareVersions(version, c.since) >= 0).reduce((r, c) => ({ ...r, ...c.change }), baseline);
    return {
        ...applied,
        version,
        pipRequirement: `${applied.pipRequirement}==${version}`,
        requiredEnv: [...applied.requiredEnv].sort(),
        readEnv: [...applied.readEnv].sort(),
    };
}
