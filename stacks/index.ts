import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./configError";
import { ApiConfig, ApiSecretsSource, ApiSettings, ArgusConfig, ClusterConfig, DatabaseConfig, Destination, ImageConfig, IngressConfig, Mailbox, NetworkConfig, RolloutConfig, ServerConfig, TicketConfig, WebuiConfig } from "./types";
import { ConfigReader, RawConfigSource } from "./configReader";
import { applyResourceOverrides, ContainerResources, defaultProfile, layoutContainers, overrideSyntax, ResourceProfile, resourceProfileNames, resourceProfiles } from "./resources";
import { ConfigKey, configNamespace } from "./schema";
import { cronScheduleProblem } from "./cron";
import { compareText } from "../util/compare";
import { hostProblem, isCidr, isDnsLabel, isDnsSubdomain, isHostname, isImageRepository, isJsonObject, isPinnedImage, suggestedHost } from "../util/validators";
import { imageTimeZones } from "../releases/constraints";
import { Environment, knownStacksHelp, parseStackName, StackIdentity } from "./stackName";
import { ArgusLayout, argusRelease, argusSupportHelp, isSupportedArgusVersion } from "../releases/argus";
import { frontendSupportHelp, isSupportedFrontendVersion } from "../releases/frontend";

export * from "./types";
export { ConfigError } from "./configError";
export { StackIdentity } from "./stackName";
export { ContainerResources, ResourceSpec } from "./resources";

/** Reads the current stack's configuration from the Pulumi runtime. Throws ConfigError listing every problem. */
export function loadStackConfig(): ArgusConfig {
    return parseStackConfig(pulumi.getStack(), pulumiConfigSource());
}

/** The Pulumi runtime as a raw config source. */
export function pulumiConfigSource(): RawConfigSource {
    // isConfigSecret is exported by the SDK at run time but left out of its typings.
    const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?(key: string): boolean };
    const prefix = `${configNamespace}:`;
    return {
        keys: () =>
            Object.keys(pulumi.runtime.allConfig())
                .filter((k) => k.startsWith(prefix))
                .map((k) => k.slice(prefix.length)),
        get: (key) => pulumi.runtime.getConfig(prefix + key),
        isSecret: (key) => runtime.isConfigSecret?.(prefix + key) ?? false,
    };
}

/** Refuses a name of an object that must already exist in the cluster, when the API server would refuse it. */
function checkObjectName(read: ConfigReader, key: ConfigKey, kind: string): string {
    const name = read.string(key);
    if (name && !isDnsSubdomain(name)) {
        read.fail(key, `${JSON.stringify(name)} is not a valid ${kind} name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.`, read.setCommand(key));
    }
    return name;
}

const pinnedPipRequirement = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][A-Za-z0-9.+!-]*$/;
const dottedPath = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const mailboxSyntax = /^(.+?)\s*<([^<>@\s]+@[^<>@\s]+)>$/;

/** Comma-separated items, trimmed, empty ones dropped. */
function list(text: string): string[] {
    return text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

/**
 * The optional extras of argus-server to install: those config names, and jsonlogging with `jsonLogging`,
 * each one the release has (releases/argus.ts), sorted.
 */
function readArgusExtras(read: ConfigReader, argusVersion: string, jsonLogging: boolean): string[] {
    const known = isSupportedArgusVersion(argusVersion) ? argusRelease(argusVersion).extras : [];
    const chosen = list(read.string("argusExtras"));
    for (const extra of chosen.filter((e) => !known.includes(e))) {
        read.fail("argusExtras", `"${extra}" is not an extra of argus-server ${argusVersion}; ${known.length > 0 ? `it has ${known.join(", ")}` : "it has none this program installs"}.`, known.length > 0 ? read.setCommand("argusExtras", known[0]) : `pulumi config rm --stack ${read.stack} argusExtras`);
    }
    if (jsonLogging && !known.includes("jsonlogging")) {
        read.fail("jsonLogging", `is on, but argus-server ${argusVersion} has no jsonlogging extra (2.10.0 and later have).`, `pulumi config rm --stack ${read.stack} jsonLogging`);
    }
    return [...new Set([...chosen.filter((e) => known.includes(e)), ...(jsonLogging && known.includes("jsonlogging") ? ["jsonlogging"] : [])])].sort(compareText);
}

/**
 * Pip requirements separated by commas or white space; a comma inside the brackets of extras belongs to
 * its package: `argus-ticket-rt[jira,rt]==1.0` is one.
 */
function requirementList(text: string): string[] {
    return text.match(/[^,\s[]+(\[[^\]]*\])?[^,\s]*/g) ?? [];
}

/**
 * How long `pulumi up` may wait for a rollout or an Ingress, and for the migration Job. The deploy jobs'
 * `timeout` in .gitlab-ci.yml outlasts the longest of both, so GitLab never kills an update while the
 * Job still runs (docs/operations.md, "Time limits"; a test checks the sum).
 */
export const awaitTimeoutBounds = { min: 30, max: 3600 } as const;
export const migrationTimeoutBounds = { min: 60, max: 4800 } as const;

/** Pure: validates raw config for a stack into the typed object. */
export function parseStackConfig(stack: string, source: RawConfigSource): ArgusConfig {
    const identity = parseStackName(stack);
    if (typeof identity === "string") {
        throw new ConfigError(stack, [{ key: "stack", problem: identity, fix: knownStacksHelp }]);
    }
    const read = new ConfigReader(source, stack);

    const domain = read.string("domain");
    const domainProblem = domain ? hostProblem(domain) : undefined;
    if (read.isChosen("domain") && !domain) {
        read.fail("domain", "is empty; every host of the stack must lie under it.", read.setCommand("domain"));
    } else if (domainProblem) {
        read.fail("domain", `"${domain}" is not a DNS domain: it ${domainProblem}.`, read.setCommand("domain", suggestedHost(domain)));
    }
    const namespace = read.string("namespace") || identity.instanceName;
    const createNamespace = read.boolean("createNamespace");
    if (!isDnsLabel(namespace)) {
        read.fail("namespace", `"${namespace}" is not a valid namespace name (lower-case DNS label).`, read.setCommand("namespace"));
    }
    const jsonLogging = read.boolean("jsonLogging");
    const images = readImages(read, identity, jsonLogging);
    const layout: ArgusLayout = isSupportedArgusVersion(images.argusVersion) ? argusRelease(images.argusVersion).layout : "spa";
    refuseOtherLayoutKeys(read, layout);
    const webuiHost = read.string("webuiHost") || `${identity.instanceName}.${domain}`;
    const explicitApiHost = read.string("apiHost");
    const apiHost = explicitApiHost || (layout === "spa" ? `api.${webuiHost}` : undefined);
    // A derived host is only as good as what it comes from: its cause is reported once, at its source.
    const hostsToCheck: ["webuiHost" | "apiHost", string][] = [];
    if (read.string("webuiHost") || !domainProblem) {
        hostsToCheck.push(["webuiHost", webuiHost]);
    }
    if (apiHost && (explicitApiHost || isHostname(webuiHost))) {
        hostsToCheck.push(["apiHost", apiHost]);
    }
    // Each fix is a host the same checks accept, under the stack's domain when the domain is valid.
    const fixFor = (key: "webuiHost" | "apiHost") => {
        const base = domain && !domainProblem ? `${identity.instanceName}.${domain}` : undefined;
        const webuiFix = isHostname(webuiHost) && (!base || webuiHost.endsWith(`.${domain}`)) ? webuiHost : base;
        const fix = key === "webuiHost" ? base : webuiFix && `api.${webuiFix}`;
        return read.setCommand(key, fix);
    };
    for (const [key, host] of hostsToCheck) {
        const problem = hostProblem(host);
        if (problem) {
            read.fail(key, `"${host}" is not a valid host name: it ${problem}.`, fixFor(key));
        } else if (domain && !domainProblem && host !== domain && !host.endsWith(`.${domain}`)) {
            read.fail(key, `"${host}" is outside this stack's domain "${domain}".`, fixFor(key));
        }
    }
    if (webuiHost === apiHost) {
        read.fail("apiHost", `must differ from webuiHost ("${webuiHost}"): each has its own Ingress.`, read.setCommand("apiHost"));
    } else if (layout === "spa" && apiHost && isHostname(apiHost) && !apiHost.endsWith(`.${webuiHost}`)) {
        // The api sets the token cookie with Domain=<webui host> (ARGUS_SPA_COOKIE_DOMAIN); a browser takes
        // it only from a host under that domain.
        read.fail("apiHost", `"${apiHost}" is not under the webui host "${webuiHost}", so the webui could never read the login cookie the api sets.`, `pulumi config set --stack ${stack} apiHost api.${webuiHost}`);
    }

    const ingress = readIngress(read);
    const scheme = ingress.tls ? "https" : "http";
    const urls = { webui: `${scheme}://${webuiHost}`, ...(apiHost ? { api: `${scheme}://${apiHost}` } : {}) };
    const publicHosts = layout === "spa" ? [apiHost!] : [webuiHost, ...(apiHost ? [apiHost] : [])];
    const database = readDatabase(read, identity);
    const api = readApi(read, identity, webuiHost, publicHosts, urls.webui, database, jsonLogging);
    const webui: WebuiConfig = {
        replicas: read.integer("webuiReplicas", { min: 1, max: 20 }),
        autoRefreshInterval: read.integer("autoRefreshInterval", { min: 5, max: 3600 }),
        // Argus-frontend reads `config.realtimeServiceMaxRetries || 7` (src/config.tsx at v1.14.1): 0 would mean 7.
        realtimeMaxRetries: read.integer("realtimeMaxRetries", { min: 1, max: 100 }),
    };
    const resources = readResources(read, identity, layout);
    const server: ServerConfig = {
        workerReplicas: read.integer("workerReplicas", { min: 1, max: 20 }),
        prune: { schedule: readSchedule(read, "pruneSchedule"), minAgeDays: read.integer("pruneMinAgeDays", { min: 1, max: 3650 }) },
        versionCheck: read.boolean("versionCheck"),
        heartbeatSchedule: readSchedule(read, "heartbeatSchedule"),
    };
    if (layout === "server" && read.isChosen("heartbeatSchedule") && !argusRelease(images.argusVersion).heartbeats) {
        read.fail("heartbeatSchedule", `applies to Argus 2.10.0 and later, which sync heartbeats; this stack deploys ${images.argusVersion}.`, `pulumi config rm --stack ${stack} heartbeatSchedule`);
    }
    const network = readNetwork(read, api.settings, database);
    const rollout: RolloutConfig = {
        awaitDeployments: read.boolean("awaitDeployments"),
        awaitIngresses: read.boolean("awaitIngresses"),
        timeoutSeconds: read.integer("awaitTimeoutSeconds", awaitTimeoutBounds),
        migrationTimeoutSeconds: read.integer("migrationTimeoutSeconds", migrationTimeoutBounds),
    };

    const kubeconfig = read.secret("kubeconfig");
    const cluster: ClusterConfig = {
        kubeconfig: kubeconfig?.value,
        context: read.string("kubeContext") || undefined,
        deleteUnreachable: identity.environment === "review",
        adoptExistingObjects: read.boolean("adoptExistingObjects"),
    };

    if (read.problems.length > 0) {
        throw new ConfigError(stack, read.redactedProblems());
    }
    return {
        identity,
        layout,
        namespace,
        createNamespace,
        hosts: { webui: webuiHost, ...(apiHost ? { api: apiHost } : {}) },
        urls,
        images,
        api,
        webui,
        ingress,
        rollout,
        resources,
        network,
        database,
        cluster,
        server,
        externalObjects: [
            ...("existingSecretName" in api.secrets ? [`Secret/${api.secrets.existingSecretName}`] : []),
            ...(images.pull && "existingSecret" in images.pull ? [`Secret/${images.pull.existingSecret}`] : []),
            ...(ingress.tls?.secretName ? [`Secret/${ingress.tls.secretName}`] : []),
        ],
    };
}

/**
 * Keys only one layout understands, and why; set for the other layout they are refused rather than ignored.
 * Facts: Argus 2.0.0 removed the React frontend and API v1, and 2.x needs neither daphne nor redis
 * (CHANGELOG.md at v2.0.0); the task queue arrived in 2.8.0.
 */
export const layoutOnlyKeys: Record<ArgusLayout, { readonly keys: readonly ConfigKey[]; readonly why: string }> = {
    spa: {
        keys: ["frontendVersion", "webuiReplicas", "autoRefreshInterval", "realtimeMaxRetries", "nginxImage", "redisImage"],
        why: "applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui, nginx or redis",
    },
    server: {
        keys: ["workerReplicas", "pruneSchedule", "pruneMinAgeDays", "versionCheck", "heartbeatSchedule"],
        why: "applies to the Argus 2.x layout only: 1.x has no task queue, worker or version check",
    },
};

function refuseOtherLayoutKeys(read: ConfigReader, layout: ArgusLayout): void {
    const other = layout === "spa" ? layoutOnlyKeys.server : layoutOnlyKeys.spa;
    for (const key of other.keys.filter((k) => read.isChosen(k))) {
        read.fail(key, `${other.why}, and this stack deploys the ${layout === "spa" ? "1.x" : "2.x"} layout (argusVersion).`, `pulumi config rm --stack ${read.stack} ${key}`);
    }
}

/** A CronJob schedule the API server takes (stacks/cron.ts). */
function readSchedule(read: ConfigReader, key: ConfigKey): string {
    const schedule = read.string(key).trim().replace(/\s+/g, " ");
    const problem = cronScheduleProblem(schedule);
    if (problem) {
        read.fail(key, `"${schedule}" is not a schedule a CronJob takes: it ${problem}. Give five fields like "17 3 * * *" (UTC).`, read.setCommand(key));
    }
    return schedule;
}

/** Our logging dictionary for JSON lines (components/argus/image/argus_site/json_logging.py). */
export const jsonLoggingModule = "argus_site.json_logging.LOGGING";

/** Review apps run a PostgreSQL of their own; staging and production use the hosted one. */
export const defaultDatabase: Readonly<Record<Environment, DatabaseConfig["mode"]>> = {
    review: "inCluster",
    staging: "external",
    production: "external",
};

/** Keys that mean something for one kind of database only; set for the other, they are refused rather than ignored. */
const databaseOnlyKeys: Readonly<Record<DatabaseConfig["mode"], readonly ConfigKey[]>> = {
    inCluster: ["postgresImage", "databaseStorageGi"],
    external: ["databaseCidr", "databasePort"],
};

function readDatabase(read: ConfigReader, identity: StackIdentity): DatabaseConfig {
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

function readNetwork(read: ConfigReader, settings: ApiSettings, database: DatabaseConfig): NetworkConfig {
    const destination = (cidrKey: "databaseCidr" | "emailCidr", port: number): Destination => {
        const range = read.string(cidrKey);
        if (range && !isCidr(range)) {
            read.fail(cidrKey, `"${range}" is not an IPv4 address range like 10.20.0.0/16.`, read.setCommand(cidrKey));
        }
        return { cidr: range || "0.0.0.0/0", port };
    };
    const ingressControllerNamespace = read.string("ingressControllerNamespace");
    if (!isDnsLabel(ingressControllerNamespace)) {
        read.fail("ingressControllerNamespace", `"${ingressControllerNamespace}" is not a namespace name.`, read.setCommand("ingressControllerNamespace"));
    }
    const dnsEgress = read.string("dnsEgress").trim();
    const dnsRanges = list(dnsEgress);
    if (dnsRanges.length === 0) {
        // An empty list of destinations would render an egress rule to every address on port 53.
        read.fail("dnsEgress", "is empty, which would let the Pods send DNS queries anywhere; name where they go.", read.setCommand("dnsEgress", "kube-dns"));
    } else if (dnsEgress !== "kube-dns") {
        for (const range of dnsRanges.filter((r) => !isCidr(r))) {
            read.fail("dnsEgress", `"${range}" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.`, read.setCommand("dnsEgress"));
        }
    }
    return {
        policies: read.boolean("networkPolicies"),
        dns: dnsEgress === "kube-dns" ? "kube-dns" : dnsRanges,
        ingressControllerNamespace,
        database: database.mode === "inCluster" ? "inCluster" : destination("databaseCidr", read.integer("databasePort", { min: 1, max: 65535 })),
        // Only a configured mail server is reached; without one EMAIL_HOST is localhost.
        email: read.string("emailHost") ? destination("emailCidr", settings.emailPort) : undefined,
    };
}

function readResources(read: ConfigReader, identity: StackIdentity, layout: ArgusLayout): ContainerResources {
    const profile = read.string("resourceProfile") || defaultProfile[identity.environment];
    if (!(resourceProfileNames as readonly string[]).includes(profile)) {
        read.fail("resourceProfile", `"${profile}" is not one of ${resourceProfileNames.join(", ")}.`, read.setCommand("resourceProfile"));
        return resourceProfiles[defaultProfile[identity.environment]];
    }
    const { resources, problems } = applyResourceOverrides(resourceProfiles[profile as ResourceProfile], read.string("resourceOverrides"), layoutContainers[layout]);
    for (const problem of problems) {
        read.fail("resourceOverrides", problem, `${read.setCommand("resourceOverrides")} (syntax: ${overrideSyntax})`);
    }
    return resources;
}

function readImages(read: ConfigReader, identity: StackIdentity, jsonLogging: boolean): ImageConfig {
    const repository = read.string("imageRepository");
    if (repository && !isImageRepository(repository)) {
        read.fail("imageRepository", `"${repository}" is not a registry path (host/path, lower case, no tag).`, read.setCommand("imageRepository"));
    }
    const username = read.string("registryUsername");
    const password = read.secret("registryPassword");
    if (Boolean(username) !== Boolean(password)) {
        const missing = username ? "registryPassword" : "registryUsername";
        read.fail(missing, "must be set together with " + (username ? "registryUsername." : "registryPassword."), read.setCommand(missing));
    }
    const argusVersion = read.string("argusVersion");
    if (!isSupportedArgusVersion(argusVersion)) {
        read.fail("argusVersion", `"${argusVersion}" is not a release this program knows how to run; ${argusSupportHelp}.`, read.setCommand("argusVersion"));
    }
    const frontendVersion = read.string("frontendVersion");
    if (!isSupportedFrontendVersion(frontendVersion)) {
        read.fail("frontendVersion", `"${frontendVersion}" is not a usable Argus-frontend release; ${frontendSupportHelp}.`, read.setCommand("frontendVersion"));
    }
    const extraPythonPackages = requirementList(read.string("extraPythonPackages"));
    for (const requirement of extraPythonPackages.filter((r) => !pinnedPipRequirement.test(r))) {
        read.fail("extraPythonPackages", `"${requirement}" is not a package pinned as name==version.`, read.setCommand("extraPythonPackages"));
    }
    const stock = { nginx: read.string("nginxImage"), redis: read.string("redisImage") };
    for (const [key, image] of [["nginxImage", stock.nginx], ["redisImage", stock.redis]] as const) {
        if (!isPinnedImage(image)) {
            read.fail(key, `"${image}" is not pinned to a version (a tag other than latest, or a digest).`, read.setCommand(key));
        }
    }
    const pullSecret = checkObjectName(read, "imagePullSecret", "Secret");
    const pullUsername = read.string("registryPullUsername");
    const pullToken = read.secret("registryPullToken");
    if (pullSecret && pullToken) {
        read.fail("imagePullSecret", `is set, and so is registryPullToken: the Pods can pull with one Secret only.`, `pulumi config rm --stack ${read.stack} imagePullSecret (or registryPullToken)`);
    }
    requireTogether(read, ["registryPullUsername", pullUsername], ["registryPullToken", pullToken?.raw]);
    return {
        // Review images never share a repository with staging's, which production promotes from.
        repository: identity.environment === "review" ? `${repository}/review` : repository,
        delivery: identity.environment === "production" ? "promote" : "build",
        registry: username && password ? { server: repository.split("/")[0], username, password: password.value } : undefined,
        buildOnPreview: read.boolean("buildOnPreview"),
        pull: pullSecret
            ? { existingSecret: pullSecret }
            : pullUsername && pullToken
              ? { server: repository.split("/")[0], username: pullUsername, token: pullToken.value }
              : undefined,
        argusVersion,
        frontendVersion,
        extraPythonPackages,
        argusExtras: readArgusExtras(read, argusVersion, jsonLogging),
        ...stock,
    };
}

function readApi(read: ConfigReader, identity: StackIdentity, webuiHost: string, publicHosts: string[], webuiUrl: string, database: DatabaseConfig, jsonLogging: boolean): ApiConfig {
    const existingSecretName = checkObjectName(read, "existingApiSecret", "Secret");
    const databaseUrl = read.secret("databaseUrl");
    const djangoSecretKey = read.secret("djangoSecretKey");
    const dataportenKey = read.string("dataportenKey");
    const dataportenSecret = read.secret("dataportenSecret");
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
        requireTogether(read, ["ticketPlugin", ticket?.plugin], ["ticketAuthenticationSecret", ticketSecret?.raw]);
        requireTogether(read, ["adminUsername", adminUsername], ["adminPassword", adminPassword?.raw]);
        secrets = {
            databaseUrl: ownDatabase ? undefined : (databaseUrl?.value ?? pulumi.secret("")),
            djangoSecretKey: djangoSecretKey?.value,
            dataportenSecret: dataportenKey ? dataportenSecret?.value : undefined,
            ticketAuthenticationSecret: ticket ? ticketSecret?.value : undefined,
            adminPassword: adminUsername ? adminPassword?.value : undefined,
        };
    }

    const sendNotifications = read.boolean("sendNotifications");
    const emailHost = read.string("emailHost");
    if (sendNotifications && !emailHost) {
        read.fail("emailHost", "is required when sendNotifications is true.", read.setCommand("emailHost"));
    }
    const emailHostProblem = emailHost ? hostProblem(emailHost) : undefined;
    if (emailHostProblem) {
        read.fail("emailHost", `"${emailHost}" is not a valid host name: it ${emailHostProblem}.`, read.setCommand("emailHost", suggestedHost(emailHost)));
    }
    const emailUseTls = read.boolean("emailUseTls");
    const debug = read.boolean("debug");
    if (debug && identity.environment === "production") {
        read.fail("debug", "is true in production, which would show stack traces and settings to visitors.", `pulumi config rm --stack ${identity.stack} debug`);
    }
    const email = (key: "defaultFromEmail" | "serverEmail", fallback: string): string => {
        const address = read.string(key) || fallback;
        if (!/^[^@\s]+@[^@\s]+$/.test(address)) {
            read.fail(key, `"${address}" is not an email address.`, read.setCommand(key));
        }
        return address;
    };
    const defaultFromEmail = email("defaultFromEmail", `argus@${webuiHost}`);
    const timeZone = read.string("timeZone");
    // Validated against the image's own zone data, not this machine's ICU: one value for Argus and for us.
    if (!imageTimeZones.has(timeZone)) {
        read.fail("timeZone", `"${timeZone}" is not a time zone name like Europe/Oslo or UTC.`, read.setCommand("timeZone"));
    }
    const fallbackFilter = read.string("fallbackFilter");
    if (fallbackFilter && !isJsonObject(fallbackFilter)) {
        read.fail("fallbackFilter", `"${fallbackFilter}" is not a JSON object like {"acked": false}.`, read.setCommand("fallbackFilter"));
    }
    const adminEmail = read.string("adminEmail");
    if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
        read.fail("adminEmail", `"${adminEmail}" is not an email address.`, read.setCommand("adminEmail"));
    }
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
            emailPort: read.integer("emailPort", { min: 0, max: 65535 }) || (emailUseTls ? 587 : 25),
            emailUseTls,
            debug,
            authTokenExpiresAfterDays: read.integer("authTokenExpiresAfterDays", { min: 1, max: 3650 }),
            fallbackFilter: fallbackFilter && isJsonObject(fallbackFilter) ? JSON.stringify(JSON.parse(fallbackFilter)) : undefined,
            admins: readAdmins(read),
            serverEmail: email("serverEmail", defaultFromEmail),
            socialAuthImmutableUserFields: list(read.string("socialAuthImmutableUserFields")),
            mediaPlugins,
            ...(jsonLogging ? { loggingModule: jsonLoggingModule } : {}),
        },
        dataportenKey: dataportenKey || undefined,
        ticket,
        ...(adminUsername ? { admin: { username: adminUsername, ...(adminEmail ? { email: adminEmail } : {}) } } : {}),
    };
}

/** Reports the missing one of two keys that only make sense together. */
function requireTogether(read: ConfigReader, [keyA, a]: [ConfigKey, string | undefined], [keyB, b]: [ConfigKey, string | undefined]): void {
    if (Boolean(a) !== Boolean(b)) {
        const [missing, present] = a ? [keyB, keyA] : [keyA, keyB];
        read.fail(missing, `is required when ${present} is set.`, read.setCommand(missing));
    }
}

function readAdmins(read: ConfigReader): Mailbox[] {
    return list(read.string("admins")).flatMap((entry) => {
        const match = mailboxSyntax.exec(entry);
        if (!match) {
            read.fail("admins", `"${entry}" is not of the form Name <address>.`, read.setCommand("admins"));
            return [];
        }
        return [{ name: match[1], address: match[2] }];
    });
}

function readTicket(read: ConfigReader): TicketConfig | undefined {
    const plugin = read.string("ticketPlugin");
    const endpoint = read.string("ticketEndpoint");
    const information = read.string("ticketInformation");
    if (!plugin) {
        for (const [key, value] of [["ticketEndpoint", endpoint], ["ticketInformation", information]] as const) {
            if (value) {
                read.fail(key, "is set, but ticketPlugin is not, so no ticket system would use it.", `${read.setCommand("ticketPlugin")} (or: pulumi config rm --stack ${read.stack} ${key})`);
            }
        }
        return undefined;
    }
    if (!dottedPath.test(plugin)) {
        read.fail("ticketPlugin", `"${plugin}" is not a dotted Python class path.`, read.setCommand("ticketPlugin"));
    }
    if (!/^https?:\/\/\S+$/.test(endpoint)) {
        read.fail("ticketEndpoint", endpoint ? `"${endpoint}" is not an http(s) URL.` : "is required when ticketPlugin is set.", read.setCommand("ticketEndpoint"));
    }
    if (!isJsonObject(information)) {
        read.fail("ticketInformation", information ? `"${information}" is not a JSON object.` : "is required when ticketPlugin is set.", read.setCommand("ticketInformation"));
    }
    return { plugin, endpoint, information: isJsonObject(information) ? JSON.stringify(JSON.parse(information)) : "{}" };
}

function readIngress(read: ConfigReader): IngressConfig {
    const tls = read.boolean("tls");
    const secretName = checkObjectName(read, "tlsSecretName", "Secret");
    const clusterIssuer = checkObjectName(read, "certIssuer", "ClusterIssuer");
    if (secretName && clusterIssuer) {
        read.fail(
            "tlsSecretName",
            `and certIssuer are both set: cert-manager would issue each Ingress its own certificate into the one Secret "${secretName}", and refuse the second.`,
            `pulumi config rm --stack ${read.stack} tlsSecretName (to let certIssuer make the certificates), or pulumi config rm --stack ${read.stack} certIssuer`,
        );
    }
    for (const [key, value] of [["certIssuer", clusterIssuer], ["tlsSecretName", secretName]] as const) {
        if (!tls && value) {
            read.fail(key, `is set ("${value}"), but tls is off: the Ingresses would serve plain HTTP and never use it.`, `pulumi config rm --stack ${read.stack} ${key} (or pulumi config set --stack ${read.stack} tls true)`);
        }
    }
    if (tls && !secretName && !clusterIssuer) {
        read.fail("tls", "is on, but neither tlsSecretName nor certIssuer says where the certificate comes from.", read.setCommand("certIssuer") + " (or set tlsSecretName)");
    }
    return {
        webui: read.boolean("webuiIngress"),
        api: read.boolean("apiIngress"),
        className: checkObjectName(read, "ingressClassName", "IngressClass"),
        tls: tls ? { secretName: secretName || undefined, clusterIssuer: clusterIssuer || undefined } : undefined,
    };
}
