/**
 * The shape of the release contract (releases/argus.ts): what one Argus server release needs from our image
 * and Pods. Types only, so components and config import them without loading the contract's data.
 */

/**
 * The layout a release is deployed in:
 * - `spa`: Argus 1.x, the seed's layout: gunicorn and daphne with nginx and redis in the api Pod, and the
 *   separate React frontend (webui);
 * - `server`: Argus 2.x, one image run as a web server (UI, API v2, static files) and a task worker.
 */
export type ArgusLayout = "spa" | "server";

/** Django's database task queue (django-tasks-db), which the server layout runs. */
export interface TaskQueue {
    /** The worker process: it sends the notifications. */
    readonly worker: readonly string[];
    /** Removes finished task results; the stack's schedule and retention are added. */
    readonly prune: readonly string[];
}

/** A management command that must run on a schedule. */
export interface PeriodicCommand {
    /** Suffix of the CronJob's name. */
    readonly name: string;
    readonly schedule: string;
    readonly command: readonly string[];
}

export interface ArgusRelease {
    readonly version: string;
    readonly layout: ArgusLayout;
    /** Minor version of the Python the image runs; inside the release's supported range. */
    readonly python: string;
    /** What pip installs: the package, with the extras this layout needs. */
    readonly pipRequirement: string;
    /** Other packages the layout runs with (the WSGI server, the database driver, time zones). */
    readonly runtimePackages: readonly string[];
    /** The upstream settings module our `argus_site.settings` builds on. */
    readonly settingsModule: string;
    /** gunicorn's `module:callable`. */
    readonly wsgiApplication: string;
    /** daphne's `module:callable`, serving the websockets under /ws; only the spa layout has one. */
    readonly asgiApplication?: string;
    /** A path the web server answers without a login: what the probes ask for. */
    readonly probePath: string;
    /** Variables the settings import fails without. */
    readonly requiredEnv: readonly string[];
    /** Every variable the settings read; anything else we set must be read by our own settings module. */
    readonly readEnv: readonly string[];
    readonly taskQueue?: TaskQueue;
    readonly periodic: readonly PeriodicCommand[];
    /** What the migration Job runs, in order, before the first admin is made. */
    readonly migrations: readonly (readonly string[])[];
    /**
     * The command that opens an incident for each source system whose API token expires within `--days`
     * (and closes those whose token no longer does), on the stack's `tokenExpirySchedule`; undefined where the
     * release has none.
     */
    readonly tokenExpiry?: { readonly command: readonly string[]; readonly daysOption: string };
    /** The command that turns missing heartbeats into incidents, on the stack's `heartbeatSchedule`. */
    readonly heartbeats?: readonly string[];
    /** Optional pip extras of argus-server that config may choose (`argusExtras`). */
    readonly extras: readonly string[];
    /**
     * A database last migrated by a release below `below` cannot be migrated by this one: deploy `via`
     * first. Undefined: any supported release before it will do.
     */
    readonly steppingStone?: { readonly below: string; readonly via: string; readonly why: string };
}

/** What the contract records of one layout: its releases, the facts of the first, and what changed since. */
export interface LayoutFacts {
    readonly versions: readonly string[];
    readonly baseline: Omit<ArgusRelease, "version">;
    /** What changed inside the layout's range, each at the release named. */
    readonly changes: readonly { readonly since: string; readonly change: Partial<ArgusRelease> }[];
}
