/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * One layout of one stack, as the suite deploys it: the render (with a stack config that turns notifications
 * on and points mail at the test's SMTP sink), the image it builds, and the cluster's side (ConfigMaps,
 * Secret test values, Services), in the order the cluster applies them.
 */
import * as path from "path";
import { makeDir } from "../shared/scratch";
import { testSecret } from "../shared/redaction";
import { ArgusImage, prepareImage } from "./image";
import { Cluster, Pod } from "./pod";
import { runToEnd } from "./sandbox";
import { stats } from "./stats";
import { databaseName, postgresPort } from "../../components/database/spec";
import { argusBuildArgs, configMaps, objectsOf, one, render, Rendering, secretKeys } from "./render";

export const STACK = "staging";
export const ADMIN = { username: "admin", email: "admin@example.org" };
/** The SMTP sink's Python layer (tools/argus-python.sh), pinned. */
export const SMTP_SINK = ["aiosmtpd==1.4.6"];

export interface Layout {
    readonly version: string;
    readonly rendering: Rendering;
    readonly image: ArgusImage;
    readonly cluster: Cluster;
    readonly adminPassword: string;
    /** The public host the web containers answer to (1.x: the api host; 2.x: the webui host). */
    readonly publicHost: string;
}

export interface LayoutOptions {
    readonly version: string;
    /** The hosted database's URL; none for a stack with a database of its own (a review app's, by default). */
    readonly databaseUrl?: string;
    /** The stack rendered: staging unless said. */
    readonly stack?: string;
    readonly smtpPort: number;
    /** More config, full keys; a map is an object-valued key (as `pulumi config set --path` makes one). */
    readonly extraConfig?: Record<string, string | Record<string, string>>;
    /** Secret config, full keys; `secretValues` gives the Secret keys they become their values (the render shows them redacted). */
    readonly secretConfig?: Record<string, string | Record<string, string>>;
    readonly secretValues?: Record<string, string>;
    /** Services the cluster provides, "name:port" to "127.0.0.1:port". */
    readonly services?: Record<string, string>;
    /** The first admin's password (initial_setup never changes an existing admin's). */
    readonly adminPassword?: string;
    /**
     * The stack whose render builds the image, when `stack` builds none: production runs the digests staging
     * built (docs/operations.md), so its image is staging's render of the same release.
     */
    readonly imageStack?: string;
}

export async function deploy(options: LayoutOptions): Promise<Layout> {
    const adminPassword = options.adminPassword ?? testSecret();
    const hosted: Record<string, string> = options.databaseUrl ? { "argus:databaseUrl": options.databaseUrl } : {};
    const config: Record<string, string | Record<string, string>> = {
        "argus:argusVersion": options.version,
        "argus:adminUsername": ADMIN.username,
        "argus:adminEmail": ADMIN.email,
        "argus:adminPassword": adminPassword,
        ...hosted,
        "argus:sendNotifications": "true",
        "argus:emailHost": "127.0.0.1",
        "argus:emailPort": String(options.smtpPort),
        "argus:emailUseTls": "false",
        ...(options.extraConfig ?? {}),
        ...(options.secretConfig ?? {}),
    };
    const secretConfigKeys = ["argus:adminPassword", ...Object.keys(hosted), ...Object.keys(options.secretConfig ?? {})];
    const rendering = render(options.stack ?? STACK, config, secretConfigKeys, path.join(makeDir(`render-${options.version}`), "out"));
    const imageRendering = options.imageStack ? render(options.imageStack, config, secretConfigKeys, path.join(makeDir(`render-image-${options.version}`), "out")) : rendering;
    const image = await prepareImage(argusBuildArgs(imageRendering));
    const postgresPassword = testSecret();
    const values: Record<string, string> = {
        DATABASE_URL: options.databaseUrl ?? ownDatabaseUrl(rendering, postgresPassword),
        POSTGRES_PASSWORD: postgresPassword,
        SECRET_KEY: testSecret(32),
        ADMIN_PASSWORD: adminPassword,
        REDIS_PASSWORD: testSecret(),
        ...(options.secretValues ?? {}),
    };
    const needed = [...new Set(Object.values(secretKeys(rendering)).flat())].filter((k) => k !== ".dockerconfigjson");
    const secrets = Object.fromEntries(needed.map((k) => [k, values[k]]));
    const missing = needed.filter((k) => secrets[k] === undefined);
    if (missing.length) throw new Error(`the render's Secrets have keys the harness has no test value for: ${missing.join(", ")}`);
    const cm = configMaps(rendering);
    const settings = Object.values(cm).find((d) => "ARGUS_PUBLIC_HOSTS" in d)!;
    return {
        version: options.version,
        rendering,
        image,
        adminPassword,
        cluster: { configMaps: cm, secrets, services: options.services ?? {} },
        publicHost: settings.ARGUS_PUBLIC_HOSTS.split(",")[0],
    };
}

/**
 * The DATABASE_URL the program builds for a stack's own database (components/database/spec.ts `databaseUrl`;
 * the render shows it only as a secret): its Service's name and port, the generated password.
 */
function ownDatabaseUrl(rendering: Rendering, password: string): string {
    const service = one(rendering, "Service", "database").metadata.name;
    return `postgresql://${databaseName}:${password}@${service}:${postgresPort.containerPort}/${databaseName}`;
}

/** The migration Job's Pod run to completion: init containers (migrate), then initial_setup. */
export async function runMigrationJob(layout: Layout): Promise<{ ok: boolean; output: string }> {
    const job = one(layout.rendering, "Job", "migrate");
    const pod = await Pod.create(`migrate-${layout.version}`, job, layout.image, layout.cluster);
    let output = "";
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
        const r = await pod.runToCompletion(c.name, (job.spec.activeDeadlineSeconds ?? 600) * 1000);
        output += `--- ${c.name} (exit ${r.code})\n${r.output}\n`;
        if (r.code !== 0) return { ok: false, output };
    }
    stats.migrations++;
    return { ok: true, output };
}

export function deployment(layout: Layout, component: string) {
    return one(layout.rendering, "Deployment", component);
}

/**
 * The stack's cluster with the api Service answered by the api Pod's nginx (its port named http, which the Service targets): what the webui Pod's nginx
 * passes websockets to (components/webui/nginx.ts), resolved when nginx starts.
 */
export function clusterWithApiService(layout: Layout, api: Pod): Layout["cluster"] {
    const apiService = one(layout.rendering, "Service", "api");
    return { ...layout.cluster, services: { ...layout.cluster.services, [`${apiService.metadata.name}:${apiService.spec.ports[0].port}`]: `127.0.0.1:${api.namedPort()}` } };
}

export function cronJobs(layout: Layout) {
    return objectsOf(layout.rendering, "CronJob");
}

/** One run of a CronJob: its Pod's container to completion. */
export async function runCronJob(layout: Layout, job: any): Promise<{ code: number | null; output: string; argv: string[] }> {
    const pod = await Pod.create(job.metadata.name, job, layout.image, layout.cluster);
    const [container] = pod.spec.containers;
    const r = await pod.runToCompletion(container.name, 120000);
    stats.cronJobs++;
    return { ...r, argv: pod.argv(container) };
}

/** A Deployment's Pod as the kubelet starts it: init containers in order, then every container, until ready. */
export async function startPod(layout: Layout, component: string, name: string): Promise<Pod> {
    const pod = await Pod.create(name, deployment(layout, component), layout.image, layout.cluster);
    await runPod(pod);
    return pod;
}

/** What the kubelet does with a created Pod: its init containers to completion, then every container started and ready. */
export async function runPod(pod: Pod): Promise<void> {
    await pod.runInitContainers();
    for (const c of pod.spec.containers) pod.start(c.name);
    for (const c of pod.spec.containers) await pod.waitReady(c.name);
}

/** `python -c code` in a container of a started Pod, as `kubectl exec` would run it: exit code, output, last line. */
export async function pythonIn(pod: Pod, container: string, code: string): Promise<{ code: number | null; output: string; lastLine: string | undefined }> {
    const r = await runToEnd(`python-${pod.name}-${container}`, pod.sandbox(pod.container(container)), ["python", "-c", code], 60000);
    return { ...r, lastLine: r.output.trim().split("\n").pop() };
}

/** A source system with its own API token (made as an operator would, by `kubectl exec` of DRF's command). */
export async function sourceToken(admin: { post: (p: string, b: unknown) => Promise<{ status: number; body: string; json(): any }>; get: (p: string) => Promise<{ status: number; body: string; json(): any }> }, api: string, pod: Pod, container: string, name: string): Promise<string> {
    const source = await admin.post(`/api/${api}/incidents/sources/`, { name, type: "argus" });
    if (source.status !== 201) throw new Error(`source system not created: ${source.status} ${source.body}`);
    const user = await admin.get(`/api/${api}/auth/users/${source.json().user}/`);
    const made = await runToEnd("drf_create_token", pod.sandbox(pod.container(container)), ["django-admin", "drf_create_token", user.json().username], 60000);
    const token = /Generated token (\w+)/.exec(made.output)?.[1];
    if (made.code !== 0 || !token) throw new Error(`drf_create_token failed: ${made.output}`);
    return token;
}
