/**
 * The release contract: what each Argus server release we support needs from our image and Pods.
 *
 * Every fact below was read in Uninett/Argus at the tag named beside it (`git show v1.37.0:<file>`), and the
 * settings imports were run by hand with Django 5.2 (see docs/argus-releases.md). The api image, the
 * container commands, the settings ConfigMap and which objects a stack has are derived from
 * `argusRelease(version)`; nothing else in the program knows which release it deploys.
 */

import type { ArgusLayout, ArgusRelease, LayoutFacts } from "./argusRelease";

/**
 * Required at settings import in every supported 1.x release: `get_str_env(..., required=True)` raises when
 * unset, in `src/argus/site/settings/backend.py` (SECRET_KEY, STATIC_ROOT, EMAIL_HOST, DEFAULT_FROM_EMAIL)
 * and `src/argus/spa/spa_settings.py` (ARGUS_SPA_COOKIE_DOMAIN); backend.py raises ImproperlyConfigured
 * without ARGUS_FRONTEND_URL. Same at v1.24.0, v1.30.0, v1.33.0, v1.36.1 and v1.37.0.
 */
const spaRequiredEnv = ["ARGUS_FRONTEND_URL", "ARGUS_SPA_COOKIE_DOMAIN", "DEFAULT_FROM_EMAIL", "EMAIL_HOST", "SECRET_KEY", "STATIC_ROOT"];

/** Read by both layouts' settings (`src/argus/site/settings/{__init__,base}.py` at v1.24.0, v1.37.0 and v2.9.1). */
const commonReadEnv = [
    "ARGUS_EXTRA_APPS",
    "ARGUS_FRONTEND_URL",
    "ARGUS_INDELIBLE_INCIDENTS",
    "ARGUS_OVERRIDING_APPS",
    "ARGUS_SEND_NOTIFICATIONS",
    "DATABASE_URL",
    "DEBUG",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_LOGGING_MODULE",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "SECRET_KEY",
    "STATIC_ROOT",
    "STATIC_URL",
    "TEMPLATE_DEBUG",
];

/** Plus, in 1.x, `src/argus/spa/spa_settings.py` and the channel layer (v1.24.0 and v1.37.0). */
const spaReadEnv = [...commonReadEnv, "ARGUS_DATAPORTEN_KEY", "ARGUS_DATAPORTEN_SECRET", "ARGUS_REDIS_SERVER", "ARGUS_SPA_COOKIE_DOMAIN"];

/**
 * Required in 2.x by `src/argus/site/settings/prod.py` (v2.8.0 to v2.9.1): the same as 1.x without the SPA's
 * cookie domain. Confirmed by importing prod.py at v2.8.0 and v2.9.1 without each one.
 */
const serverRequiredEnv = ["ARGUS_FRONTEND_URL", "DEFAULT_FROM_EMAIL", "EMAIL_HOST", "SECRET_KEY", "STATIC_ROOT"];

/** Packages every layout runs with: the WSGI server, and time zone data whatever the base image ships. */
const wsgiPackages = ["gunicorn==23.0.0", "tzdata==2025.2"];

/** Django's own: apply every migration not yet applied. */
const migrate = ["django-admin", "migrate", "--noinput"];

const layouts: Record<ArgusLayout, LayoutFacts> = {
    /**
     * From 1.24.0, where the cookie variable got today's name (ARGUS_SPA_COOKIE_DOMAIN,
     * `src/argus/spa/spa_settings.py` at v1.24.0), to 1.37.0, the last 1.x and the stop upstream requires
     * before 2.x (CHANGELOG.md at v2.0.0). 1.37.0 still ships the React frontend's settings, API v1 and
     * websockets (`src/argus/spa/` at v1.37.0), though `argus.site.settings.prod` serves the new UI from 1.36.1.
     * 1.25.0 is left out: its git tag points at the 1.36.0 commit (dated 2025-04-22, half a year after the
     * release), so its source cannot be read, and no package index here serves it.
     */
    spa: {
        versions: ["1.24.0", "1.26.0", "1.26.1", "1.27.0", "1.28.0", "1.29.0", "1.30.0", "1.31.0", "1.32.0", "1.33.0", "1.34.0", "1.34.1", "1.35.0", "1.36.0", "1.36.1", "1.36.2", "1.37.0"],
        baseline: {
            layout: "spa",
            // pyproject.toml classifiers: 3.9-3.12 at v1.24.0, 3.10-3.13 from v1.35.0; 3.12 is in both.
            python: "3.12",
            pipRequirement: "argus-server",
            // psycopg2 comes with argus-server (pyproject.toml at v1.24.0 and v1.37.0).
            runtimePackages: wsgiPackages,
            // argus.site.settings.prod is only `from argus.spa.settings import *` up to v1.36.0 and the new UI from v1.36.1.
            settingsModule: "argus.spa.settings",
            // src/argus/site/wsgi.py at v1.24.0 and v1.37.0; it only sets DJANGO_SETTINGS_MODULE if unset.
            wsgiApplication: "argus.site.wsgi:application",
            // Ours for every 1.x (argus_site/asgi.py): upstream's (ASGI_APPLICATION, src/argus/site/settings/base.py
            // at v1.24.0 to v1.31.0) knows a websocket's user only by a session, which a password login never makes.
            asgiApplication: "argus_site.asgi:application",
            // The seed's probe path; Django's admin login page needs no login.
            probePath: "/admin/login/",
            requiredEnv: spaRequiredEnv,
            readEnv: spaReadEnv,
            periodic: [],
            migrations: [migrate],
            extras: [],
        },
        changes: [
            // channels[daphne] and channels-redis left the dependencies for the `spa` extra (pyproject.toml at
            // v1.32.0). The ASGI app moved with them (src/argus/spa/ws/asgi.py at v1.32.0), but its websocket route
            // became path("/ws/open/"), which channels' URLRouter never matches (it strips the leading slash,
            // channels/routing.py in every 4.x): upstream's app refuses the webui's websocket up to v1.37.0. Our
            // argus_site/asgi.py routes "ws/open/" (as src/argus/ws/asgi.py at v1.31.0).
            { since: "1.32.0", change: { pipRequirement: "argus-server[spa]" } },
            // EMAIL_USE_TLS: hard-coded True up to v1.35.0, read from the environment from v1.36.0 (base.py at v1.36.0).
            { since: "1.36.0", change: { readEnv: [...spaReadEnv, "EMAIL_USE_TLS"] } },
        ],
    },
    /**
     * From 2.8.0, which added the database task queue whose worker must run or no notification is sent
     * (CHANGELOG.md and NOTES.md at v2.8.0), to 2.10.2, the newest release read. 2.0.0 to 2.7.0 have no task
     * queue, and would need a different layout.
     */
    server: {
        versions: ["2.8.0", "2.8.1", "2.9.0", "2.9.1", "2.10.0", "2.10.1", "2.10.2"],
        baseline: {
            layout: "server",
            // pyproject.toml: 3.10-3.13 at v2.8.0, 3.10-3.14 from v2.9.0; upstream's image runs 3.13 (docker/Dockerfile at v2.9.1).
            python: "3.13",
            pipRequirement: "argus-server",
            // psycopg 3: a dependency from v2.9.0 (psycopg[c]); 2.8.x depends on psycopg2, and Django prefers psycopg 3.
            // django-tasks: argus-server 2.8.0 to 2.9.1 depend on an unpinned django-tasks-db (pyproject.toml at
            // v2.9.1), whose 0.13.0 moved django-tasks (the `django_tasks` app in INSTALLED_APPS,
            // src/argus/site/settings/base.py at v2.9.1) to its `compat` extra: without it pip installs no
            // django_tasks and every settings import fails (ModuleNotFoundError), collectstatic in the build first.
            // 0.12.0 is what django-tasks-db 0.13.0's compat extra asks for (>=0.12.0).
            runtimePackages: [...wsgiPackages, "psycopg[c]", "django-tasks==0.12.0"],
            // prod.py builds on argus.htmx.settings and switches on SMTP (src/argus/site/settings/prod.py at v2.9.1).
            settingsModule: "argus.site.settings.prod",
            // src/argus/site/wsgi.py at v2.9.1; upstream's image runs the same (docker/cmd-argus.sh at v2.9.1).
            wsgiApplication: "argus.site.wsgi:application",
            // MetadataView: no authentication, AllowAny, login_required False, and /api/ in PUBLIC_URLS
            // (src/argus/site/views.py and src/argus/htmx/settings.py at v2.8.0 to v2.9.1).
            probePath: "/api/",
            requiredEnv: serverRequiredEnv,
            // base.py at v2.8.0: EMAIL_USE_TLS is read again; the Dataporten and redis variables are gone.
            readEnv: [...commonReadEnv, "ARGUS_BANNER_MESSAGE", "EMAIL_USE_TLS"],
            taskQueue: {
                // docker/cmd-dbqueue.sh at v2.9.1; the command comes with django-tasks-db.
                worker: ["django-admin", "db_worker"],
                // django-tasks-db's management command (--min-age-days, default 14), named in docs/production/task-queue.rst at v2.9.1.
                prune: ["django-admin", "prune_db_task_results"],
            },
            // Planned maintenance: both commands are meant for cron, --minutes defaults to 5 (NOTES.md at v2.7.0,
            // src/argus/dev/management/commands/check_*_maintenance.py at v2.8.0).
            periodic: [
                { name: "maintenance-start", schedule: "*/5 * * * *", command: ["django-admin", "check_started_maintenance", "--minutes", "5"] },
                { name: "maintenance-end", schedule: "*/5 * * * *", command: ["django-admin", "check_ended_maintenance", "--minutes", "5"] },
            ],
            migrations: [migrate],
            // src/argus/dev/management/commands/check_token_expiry.py, the same file from v1.10.0 (where it came, with
            // closing: commits 0b1d2150, 3b808054) to v2.9.1, and in the 2.10.2 wheel (only its factory import moved,
            // to argus.incident.factories; factory-boy is a runtime dependency there). `-d/--days` (default 7): for
            // every source system's token created more than AUTH_TOKEN_EXPIRES_AFTER_DAYS (14, base.py) minus that
            // many days ago, an open incident "Token for source system <name> will expire on <date>" (level 2,
            // tags problem_type=token_expiry and source_system_id, source "argus"), unless one is open; open ones
            // whose token no longer expires soon are closed. It sends no mail itself: notification profiles do.
            // Upstream documents running it by hand (docs/development/management-commands.rst at v2.9.1); argus.dev
            // is in INSTALLED_APPS (site/settings/base.py at v2.8.0, v2.9.1 and 2.10.2).
            tokenExpiry: { command: ["django-admin", "check_token_expiry"], daysOption: "--days" },
            extras: [],
        },
        changes: [
            // PYPI_URL = get_str_env("ARGUS_PYPI_URL", ...) in base.py from v2.9.0, used by check_version.
            // The maintenance commands lost --minutes in v2.9.0: they take every current or ended task
            // (src/argus/dev/management/commands/check_*_maintenance.py at v2.9.0 and v2.9.1, CHANGELOG.md at
            // v2.9.0); given --minutes 5 they exit 2 ("unrecognized arguments"), so every run of both CronJobs failed.
            {
                since: "2.9.0",
                change: {
                    readEnv: [...commonReadEnv, "ARGUS_BANNER_MESSAGE", "ARGUS_PYPI_URL", "EMAIL_USE_TLS"],
                    periodic: [
                        { name: "maintenance-start", schedule: "*/5 * * * *", command: ["django-admin", "check_started_maintenance"] },
                        { name: "maintenance-end", schedule: "*/5 * * * *", command: ["django-admin", "check_ended_maintenance"] },
                    ],
                },
            },
            // Read in the argus-server 2.10.0 and 2.10.2 sdists (CHANGELOG.md, NOTES.md, docs/, src/):
            {
                since: "2.10.0",
                change: {
                    // TIME_ZONE = get_str_env("TIME_ZONE", "Europe/Oslo") in src/argus/site/settings/base.py; our module
                    // reads the same variable, so both agree on one value.
                    readEnv: [...commonReadEnv, "ARGUS_BANNER_MESSAGE", "ARGUS_PYPI_URL", "EMAIL_USE_TLS", "TIME_ZONE"],
                    // path(".still-alive/", health_check) in src/argus/site/urls.py: 204, login_required False
                    // (src/argus/site/views.py), "made for liveness checks" (NOTES.md, "Liveness probe").
                    probePath: "/.still-alive/",
                    // NOTES.md at 2.10.0, "Maintenance!": after migrating, prune the rows of the migration files 2.10.0
                    // removed. `migrate --prune <app>` asks nothing and only forgets rows whose files are gone
                    // (django/core/management/commands/migrate.py, Django 5.2), so it is safe on every run.
                    migrations: [
                        migrate,
                        ["django-admin", "migrate", "--prune", "argus_notificationprofile", "--noinput"],
                        ["django-admin", "migrate", "--prune", "argus_incident", "--noinput"],
                        ["django-admin", "migrate", "--prune", "argus_auth", "--noinput"],
                    ],
                    // "suitable for running by cron" (docs/development/management-commands.rst), in
                    // src/argus/incident/management/commands/sync_heartbeat_incidents.py. check_version and the
                    // maintenance commands moved to argus.versioncheck and argus.plannedmaintenance, whose apps are in
                    // INSTALLED_APPS (src/argus/site/settings/base.py): their names, which is what we run, are unchanged.
                    heartbeats: ["django-admin", "sync_heartbeat_incidents"],
                    // [project.optional-dependencies] in pyproject.toml: apprise (now optional; Slack needs it) and
                    // jsonlogging (python-json-logger, docs/production/logging.rst). htmx is empty, docs and dev are not
                    // for a server.
                    extras: ["apprise", "jsonlogging"],
                    // The squashed migrations of argus_auth, argus_incident and argus_notificationprofile (added in 2.0.0)
                    // list `replaces` up to 2.9.1 and not in 2.10.0, whose files of the replaced migrations are gone: a
                    // database no 2.x release has migrated has no row for the squashed ones, and 2.10 would create tables
                    // that exist. A 2.x release before 2.10 records those rows (src/argus/*/migrations at v2.9.1, 2.10.0, 2.10.2).
                    steppingStone: {
                        below: "2.0.0",
                        via: "2.9.1",
                        why: "2.10 removed the migrations its squashed ones replace, so a database no 2.x release has migrated cannot be migrated by it (NOTES.md at 2.10.0)",
                    },
                },
            },
        ],
    },
};

export const supportedArgusVersions = [...layouts.spa.versions, ...layouts.server.versions] as const;

/**
 * The default of `argusVersion`: the newest release of the seed's layout, so no stack moves to the 2.x
 * layout without an operator asking for it (docs/operations.md, "Upgrade to Argus 2.x").
 */
export const defaultArgusVersion = "1.37.0";

/** The newest 2.x release whose source was read: what the upgrade guide moves to. */
export const newestServerVersion = layouts.server.versions[layouts.server.versions.length - 1];

/** The supported releases of each layout as a range, for `argusVersion`'s description and error messages. */
export const supportedRanges: Readonly<Record<ArgusLayout, string>> = {
    spa: `${layouts.spa.versions[0]} to ${layouts.spa.versions[layouts.spa.versions.length - 1]} (not 1.25.0)`,
    server: `${layouts.server.versions[0]} to ${newestServerVersion}`,
};

/** Why a release outside the list is refused, for error messages. */
export const argusSupportHelp =
    `supported are ${supportedRanges.spa}, the 1.x releases that name the cookie ` +
    `variable ARGUS_SPA_COOKIE_DOMAIN and still serve the React frontend, and ${supportedRanges.server}, ` +
    "the 2.x releases with the task queue this program runs a worker for";

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
    const facts = Object.values(layouts).find((l) => l.versions.includes(version));
    if (!facts) {
        throw new Error(`Argus ${version} is not covered by the release contract: ${argusSupportHelp}.`);
    }
    const applied = facts.changes.filter((c) => compareVersions(version, c.since) >= 0).reduce((r, c) => ({ ...r, ...c.change }), facts.baseline);
    return {
        ...applied,
        version,
        pipRequirement: `${applied.pipRequirement}==${version}`,
        requiredEnv: [...applied.requiredEnv].sort(),
        readEnv: [...applied.readEnv].sort(),
    };
}
