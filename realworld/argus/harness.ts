/**
 * The one place realworld/argus starts processes, and the one place that stops them: PostgreSQL,
 * redis-server, nginx, the SMTP sink and every Argus container. Each process is registered when it starts;
 * `stopAll()` (mocha's root afterAll hook, see hooks.ts) and an exit handler end whatever a failed test left.
 *
 * Every process of a "container" runs in a private mount namespace (unshare, as root) where the Pod's volumes
 * are bind-mounted at their mountPaths, the Python layer at VENV_MOUNT and our app folder at /app, and then
 * drops to the container's runAsUser/runAsGroup (setpriv, no new privileges) with exactly the environment
 * the render gives it. Only 127.0.0.1 is ever bound.
 */
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as render from "./render";
import { freePort } from "../../tests/support/ports";
import { podSpecOf } from "../../util/podTemplates";

/** Where the virtual environment is mounted in every container (tools/argus-python.sh builds it for this path). */
export const VENV_MOUNT = "/opt/argus-deploy/venv";
export const repoRoot = path.resolve(__dirname, "..", "..");

/** What the summary line counts. */
export const stats = { containers: 0, probes: 0, requests: 0, websocketEvents: 0, mails: 0, migrations: 0, cronJobs: 0 };
const startedAt = Date.now();

export function summaryLine(): string {
    const s = stats;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    return (
        `argus real-world summary: ${s.containers} containers started, ${s.probes} probes passed, ${s.requests} requests, ` +
        `${s.websocketEvents} websocket events, ${s.mails} mails, ${s.migrations} migration Jobs, ${s.cronJobs} CronJob runs; ${seconds} s`
    );
}

/** Values that must never reach the test output: every test secret registers here. */
const secretValues = new Set<string>();

export function testSecret(bytes = 18): string {
    const value = crypto.randomBytes(bytes).toString("base64url");
    secretValues.add(value);
    return value;
}

export function redact(text: string): string {
    let out = text;
    for (const s of secretValues) {
        out = out.split(s).join("[secret]");
        const q = encodeURIComponent(s);
        if (q !== s) out = out.split(q).join("[secret]");
    }
    return out;
}


export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** The run's scratch folder: every Pod's emptyDirs, logs and the database live under it. */
let scratch: string | undefined;
export function scratchDir(): string {
    if (!scratch) {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "argus-realworld-"));
        fs.chmodSync(scratch, 0o755);
    }
    return scratch;
}

export function makeDir(name: string, mode = 0o755, owner?: { uid: number; gid: number }): string {
    const dir = fs.mkdtempSync(path.join(scratchDir(), `${name.replace(/[^a-z0-9-]/gi, "-")}-`));
    fs.chmodSync(dir, mode);
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    return dir;
}

/** A bind mount in a container's namespace. */
export interface Mount {
    readonly source: string;
    readonly target: string;
}

/** How a process runs: as whom, with which mounts and environment. */
export interface Sandbox {
    readonly uid: number;
    readonly gid: number;
    readonly mounts: readonly Mount[];
    readonly env: Readonly<Record<string, string>>;
    readonly cwd?: string;
}

/** A running process (its own process group, so gunicorn's workers stop with it). */
export class Proc {
    readonly exited: Promise<number | null>;
    exitCode: number | null | undefined = undefined;

    constructor(
        readonly name: string,
        readonly child: ChildProcess,
        readonly logFile: string,
    ) {
        running.add(this);
        this.exited = new Promise((resolve) => {
            child.once("exit", (code, signal) => {
                this.exitCode = code ?? (signal ? 128 : null);
                running.delete(this);
                resolve(this.exitCode);
            });
        });
    }

    get alive(): boolean {
        return this.exitCode === undefined;
    }

    log(): string {
        try {
            return redact(fs.readFileSync(this.logFile, "utf8"));
        } catch {
            return "";
        }
    }

    private signal(sig: NodeJS.Signals): void {
        try {
            process.kill(-this.child.pid!, sig);
        } catch {
            /* already gone */
        }
    }

    /** SIGTERM to the group, SIGKILL after graceMs. */
    async stop(graceMs = 10000): Promise<void> {
        if (!this.alive) return;
        this.signal("SIGTERM");
        const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
        await this.exited;
        clearTimeout(timer);
        // Children that outlived their parent (a gunicorn worker) are in the same group.
        this.signal("SIGKILL");
    }

    killNow(): void {
        this.signal("SIGKILL");
    }
}

const running = new Set<Proc>();

export async function stopAll(): Promise<void> {
    await Promise.all([...running].map((p) => p.stop(5000)));
}

process.on("exit", () => {
    for (const p of running) p.killNow();
});

/** The namespace setup: bind every mount, then drop to the uid with no new privileges and exec argv. */
const sandboxScript = `
set -e
n=$1; shift
i=0
while [ "$i" -lt "$n" ]; do
    src=$1; dst=$2; shift 2
    mount --bind "$src" "$dst"
    i=$((i+1))
done
uid=$1; gid=$2; cwd=$3; shift 3
cd "$cwd"
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- "$@"
`;

/** Starts argv in the sandbox, its stdout and stderr into logFile (a plain file, as nginx needs). */
export function spawnIn(name: string, sandbox: Sandbox, argv: readonly string[], logFile: string): Proc {
    for (const m of sandbox.mounts) {
        if (!fs.existsSync(m.target)) fs.mkdirSync(m.target, { recursive: true });
    }
    const fd = fs.openSync(logFile, "a");
    // A process that reopens /dev/stdout or /dev/stderr (nginx) needs the file to be its own, as a container's is.
    fs.fchownSync(fd, sandbox.uid, sandbox.gid);
    const mountArgs = sandbox.mounts.flatMap((m) => [m.source, m.target]);
    const child = spawn(
        "unshare",
        ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", sandboxScript, "sandbox", String(sandbox.mounts.length), ...mountArgs, String(sandbox.uid), String(sandbox.gid), sandbox.cwd ?? "/", ...argv],
        { env: { ...sandbox.env }, stdio: ["ignore", fd, fd], detached: true },
    );
    fs.closeSync(fd);
    return new Proc(name, child, logFile);
}

/** Runs argv in the sandbox to its end (or kills it after timeoutMs): the exit code and the output. */
export async function runToEnd(name: string, sandbox: Sandbox, argv: readonly string[], timeoutMs: number, logFile?: string): Promise<{ code: number | null; output: string }> {
    const file = logFile ?? path.join(makeDir(`run-${name}`), "log");
    const proc = spawnIn(name, sandbox, argv, file);
    const timer = setTimeout(() => proc.killNow(), timeoutMs);
    const code = await proc.exited;
    clearTimeout(timer);
    return { code, output: proc.log() };
}

/** Runs a host command (no sandbox) to its end as root or, with `as`, as that user. */
export async function runHost(argv: readonly string[], options: { as?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<{ code: number | null; output: string }> {
    const full = options.as ? ["setpriv", `--reuid=${options.as}`, `--regid=${options.as}`, "--init-groups", "--", ...argv] : [...argv];
    return new Promise((resolve) => {
        const child = spawn(full[0], full.slice(1), { env: options.env ?? { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }, stdio: ["pipe", "pipe", "pipe"], cwd: "/" });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60000);
        child.once("exit", (code) => {
            clearTimeout(timer);
            resolve({ code, output: redact(output) });
        });
        child.stdin.on("error", () => undefined); // a command that exits before reading its input
        child.stdin.end(options.input ?? "");
    });
}

/** Waits until predicate() is true, polling; throws with describe() after timeoutMs. */
export async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string, intervalMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await predicate()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
        await sleep(intervalMs);
    }
}

export function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

// ---------------------------------------------------------------------------------------------------------
// Services the cluster would provide: PostgreSQL, a shared redis, the SMTP server.

export interface Postgres {
    readonly port: number;
    /** Runs SQL as the superuser (over the cluster's unix socket). */
    sql(statement: string, db?: string): Promise<string>;
    /** A database owned by a new role with a test password; its DATABASE_URL. */
    createDatabase(name: string): Promise<string>;
    readonly proc: Proc;
}

/** A throwaway PostgreSQL 15 cluster, run by the `postgres` user, on 127.0.0.1 and a free port. */
export async function startPostgres(): Promise<Postgres> {
    const bin = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"].find((d) => fs.existsSync(path.join(d, "initdb")));
    if (!bin) throw new Error("PostgreSQL is not installed: run `sudo bash scripts/install-system-packages.sh` (Debian's postgresql).");
    const pwent = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
    if (!pwent) throw new Error("no postgres user: install Debian's postgresql package");
    const [uid, gid] = pwent.split(":").slice(2, 4).map(Number);
    const dir = makeDir("postgres", 0o700, { uid, gid });
    const data = path.join(dir, "data");
    const init = await runHost([path.join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], { as: "postgres", timeoutMs: 120000 });
    if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
    const port = await freePort();
    const log = path.join(scratchDir(), "postgres.log");
    fs.writeFileSync(log, "");
    fs.chownSync(log, uid, gid);
    const args = [path.join(bin, "postgres"), "-D", data, "-c", "listen_addresses=127.0.0.1", "-p", String(port), "-c", `unix_socket_directories=${dir}`, "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"];
    const proc = spawnIn("postgres", { uid, gid, mounts: [], env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" } }, args, log);
    const psql = async (statement: string, db = "postgres"): Promise<string> => {
        const r = await runHost(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", String(port), "-U", "postgres", "-d", db, "-c", statement], { as: "postgres" });
        if (r.code !== 0) throw new Error(`psql failed: ${r.output}`);
        return r.output.trim();
    };
    await waitFor(async () => (await runHost(["pg_isready", "-h", dir, "-p", String(port)], { as: "postgres" })).code === 0 || !proc.alive, 30000, () => proc.log());
    if (!proc.alive) throw new Error(`postgres exited:\n${proc.log()}`);
    return {
        port,
        proc,
        sql: psql,
        async createDatabase(name: string): Promise<string> {
            const password = testSecret();
            await psql(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
            await psql(`CREATE DATABASE ${name} OWNER ${name}`);
            return `postgresql://${name}:${password}@127.0.0.1:${port}/${name}`;
        },
    };
}

export interface Redis {
    readonly port: number;
    readonly proc: Proc;
}

/** Debian's redis-server, as the given uid, with the given arguments (the render's, ports translated). */
export async function startRedisProcess(name: string, sandbox: Sandbox, argv: readonly string[], port: number): Promise<Proc> {
    if (!fs.existsSync("/usr/bin/redis-server")) throw new Error("redis-server is not installed: run `sudo bash scripts/install-system-packages.sh`.");
    const proc = spawnIn(name, sandbox, argv, path.join(makeDir(name), "log"));
    await waitFor(async () => !proc.alive || (await portOpen(port)), 10000, () => proc.log());
    if (!proc.alive) throw new Error(`${name} exited:\n${proc.log()}`);
    return proc;
}

export interface SmtpSink {
    readonly port: number;
    readonly proc: Proc;
    /** Every message received so far, raw. */
    messages(): string[];
}

/**
 * aiosmtpd (from PyPI, built like the Argus layer by tools/argus-python.sh) on 127.0.0.1 and a free port,
 * writing each message it receives to a file: nothing leaves the machine.
 */
export async function startSmtpSink(venv: string): Promise<SmtpSink> {
    const out = makeDir("smtp-sink", 0o777);
    const port = await freePort();
    const script = path.join(__dirname, "smtp_sink.py");
    const sandbox: Sandbox = { uid: 65534, gid: 65534, mounts: [{ source: venv, target: VENV_MOUNT }], env: { PATH: `${VENV_MOUNT}/bin:/usr/bin:/bin`, PYTHONUNBUFFERED: "1" } };
    fs.copyFileSync(script, path.join(out, "smtp_sink.py"));
    const proc = spawnIn("smtp-sink", sandbox, [`${VENV_MOUNT}/bin/python`, path.join(out, "smtp_sink.py"), String(port), out], path.join(out, "sink.log"));
    await waitFor(async () => !proc.alive || (await portOpen(port)), 20000, () => proc.log());
    if (!proc.alive) throw new Error(`the SMTP sink exited:\n${proc.log()}`);
    return {
        port,
        proc,
        messages: () =>
            fs
                .readdirSync(out)
                .filter((f) => f.endsWith(".eml"))
                .sort()
                .map((f) => fs.readFileSync(path.join(out, f), "utf8")),
    };
}

/** Removes the scratch folder (after every process is stopped). */
export function removeScratch(): void {
    if (scratch) {
        fs.rmSync(scratch, { recursive: true, force: true });
        scratch = undefined;
    }
}

// ---------------------------------------------------------------------------------------------------------
// The image: the Python layer (tools/argus-python.sh) and the app folder the Dockerfile makes.

export interface ArgusImage {
    /** Host folder of the virtual environment, mounted at VENV_MOUNT. */
    readonly venv: string;
    /** Host folder mounted at /app: our argus_site and the static files collectstatic made. */
    readonly app: string;
    /** The Dockerfile's ENV lines, the build arguments substituted. */
    readonly env: Readonly<Record<string, string>>;
    readonly user: { uid: number; gid: number };
    readonly requirements: readonly string[];
}

export function cacheRoot(): string {
    return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "argus-deploy");
}

/** tools/argus-python.sh for these requirements: the venv folder (built once, then cached). */
export async function pythonLayer(requirements: readonly string[], constraints = ""): Promise<string> {
    const r = await runHost(["bash", path.join(repoRoot, "tools", "argus-python.sh"), ...(constraints.trim() ? ["--constraints", constraints] : []), ...requirements], { env: { ...(process.env as Record<string, string>) }, timeoutMs: 900000 });
    const lines = r.output.trim().split("\n");
    if (r.code !== 0) throw new Error(`tools/argus-python.sh failed:\n${r.output}`);
    return path.join(lines[lines.length - 1], ".");
}

/** A Debian image's PATH, which the stock images (nginx, redis) keep. */
const pathOfDebian = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** PATH inside an Argus container: the image has its Python in /usr/local/bin; ours is the venv's bin. */
export const argusPath = `${VENV_MOUNT}/bin:${pathOfDebian}`;

/**
 * The image for a render's build arguments: the venv, then /app as the Dockerfile makes it (COPY argus_site/,
 * then collectstatic as root with the Dockerfile's stand-in variables), cached by content.
 */
export async function prepareImage(buildArgs: Record<string, string>): Promise<ArgusImage> {
    const requirements = render.requirementsOf(buildArgs);
    // The Dockerfile resolves within ARGUS_CONSTRAINTS, the versions upstream locked for the release.
    const venv = await pythonLayer(requirements, buildArgs.ARGUS_CONSTRAINTS ?? "");
    const env = render.imageEnv(buildArgs);
    const site = path.join(repoRoot, "components", "argus", "image", "argus_site");
    const hash = crypto.createHash("sha256").update(venv).update(fs.readFileSync(render.dockerfile));
    for (const f of fs.readdirSync(site).filter((f) => f.endsWith(".py")).sort()) hash.update(f).update(fs.readFileSync(path.join(site, f)));
    hash.update(JSON.stringify(buildArgs));
    const app = path.join(cacheRoot(), "app", hash.digest("hex").slice(0, 16));
    if (!fs.existsSync(path.join(app, ".complete"))) {
        fs.mkdirSync(path.dirname(app), { recursive: true });
        const work = fs.mkdtempSync(`${app}.build-`);
        fs.chmodSync(work, 0o755);
        fs.cpSync(site, path.join(work, "argus_site"), { recursive: true, filter: (s) => !s.includes("__pycache__") });
        const step = render.collectstaticStep(buildArgs);
        const sandbox: Sandbox = {
            uid: 0,
            gid: 0,
            mounts: [
                { source: venv, target: VENV_MOUNT },
                { source: work, target: "/app" },
            ],
            env: { PATH: argusPath, HOME: "/root", ...env, ...step.env },
            cwd: "/app",
        };
        const r = await runToEnd("collectstatic", sandbox, step.argv, 300000, path.join(makeDir("collectstatic"), "log"));
        if (r.code !== 0) throw new Error(`collectstatic failed:\n${r.output}`);
        await runHost(["chmod", "-R", "u+rwX,go+rX,go-w", work]);
        fs.writeFileSync(path.join(work, ".complete"), "");
        fs.rmSync(app, { recursive: true, force: true });
        fs.renameSync(work, app);
    }
    return { venv, app, env, user: render.imageUser(), requirements };
}

// ---------------------------------------------------------------------------------------------------------
// Pods: a Deployment's, Job's or CronJob's Pod template, its containers run as the kubelet would run them.

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the cluster provides a Pod: Secret values, Services (host:port to a local port). */
export interface Cluster {
    readonly configMaps: Readonly<Record<string, Record<string, string>>>;
    /** Test values of the render's Secrets, by Secret key (the render redacts them). */
    readonly secrets: Readonly<Record<string, string>>;
    /** "name:port" of a Service to "127.0.0.1:port" of the local process standing for it. */
    readonly services: Readonly<Record<string, string>>;
}

const loopbackHosts = new Set(["127.0.0.1", "0.0.0.0", "localhost"]);

/**
 * The official postgres image (a review app's own database), run with Debian's PostgreSQL 15: the image's
 * ENTRYPOINT as postgres-entrypoint.sh, its CMD `postgres` with the image's listen_addresses '*' and port
 * translated, its binaries first on PATH (the image appends /usr/lib/postgresql/15/bin to its PATH), and its
 * `postgres` user, uid 999, in /etc/passwd (initdb needs a name for its uid). Facts: docker-library/postgres
 * 15/bookworm/Dockerfile, commit 21d6964959.
 */
/** The folder of postgres-entrypoint.sh, mounted here before the Pod's volumes (its `/tmp` would hide a checkout under /tmp). */
const postgresEntrypointMount = "/opt/argus-deploy/postgres-image";
const postgresImage = {
    matches: (image: string) => /(^|\/)postgres:15[.-]/.test(image),
    path: `/usr/lib/postgresql/15/bin:${pathOfDebian}`,
    entrypointMount: postgresEntrypointMount,
    argv: [`${postgresEntrypointMount}/postgres-entrypoint.sh`, "postgres", "-c", "listen_addresses=127.0.0.1", "-p", "5432"],
    passwdLine: "postgres:x:999:999::/var/lib/postgresql:/bin/bash",
};

let imagePasswd: string | undefined;
/** The host's /etc/passwd plus the postgres image's user, bind-mounted over /etc/passwd in its containers. */
function postgresImagePasswd(): string {
    if (!imagePasswd) {
        imagePasswd = path.join(makeDir("postgres-image-etc", 0o755), "passwd");
        fs.writeFileSync(imagePasswd, `${fs.readFileSync("/etc/passwd", "utf8").trimEnd()}\n${postgresImage.passwdLine}\n`, { mode: 0o644 });
    }
    return imagePasswd;
}

/** Kubernetes' $(VAR) expansion in command, args and env values ($$ escapes). */
function expand(value: string, env: Record<string, string>): string {
    return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => (m === "$$" ? "$" : name in env ? env[name] : m));
}

export interface ProbeResult {
    readonly ok: boolean;
    readonly detail: string;
}

export class Pod {
    /** Container port (as the render names it) to the local port it is translated to. */
    readonly ports = new Map<number, number>();
    readonly containers = new Map<string, Proc>();
    private readonly volumes = new Map<string, string>();
    readonly dir: string;
    readonly spec: any;

    private constructor(
        readonly name: string,
        readonly workload: any,
        readonly image: ArgusImage,
        readonly cluster: Cluster,
    ) {
        this.dir = makeDir(`pod-${name}`);
        this.spec = podSpecOf(workload);
    }

    static async create(name: string, workload: any, image: ArgusImage, cluster: Cluster): Promise<Pod> {
        const pod = new Pod(name, workload, image, cluster);
        await pod.allocatePorts();
        pod.makeVolumes();
        return pod;
    }

    private allContainers(): any[] {
        return [...(this.spec.initContainers ?? []), ...this.spec.containers];
    }

    /** Every port a container of the Pod binds: containerPorts, and the ports in its command line. */
    private async allocatePorts(): Promise<void> {
        const found = new Set<number>();
        for (const c of this.allContainers()) {
            for (const p of c.ports ?? []) found.add(p.containerPort);
            const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
            argv.forEach((token, i) => {
                const hostPort = /^([\w.-]+):(\d+)$/.exec(token);
                if (hostPort && loopbackHosts.has(hostPort[1]) && argv[i - 1] === "--bind") found.add(Number(hostPort[2]));
                if (argv[i - 1] === "--port" && /^\d+$/.test(token)) found.add(Number(token));
            });
        }
        for (const port of [...found].sort()) this.ports.set(port, await freePort());
    }

    /** emptyDirs (world-writable, as the fsGroup-less Pod's uid needs) and ConfigMap volumes (files translated). */
    private makeVolumes(): void {
        for (const v of this.spec.volumes ?? []) {
            if (v.emptyDir) {
                this.volumes.set(v.name, makeDir(`${this.name}-${v.name}`, 0o1777));
            } else if (v.configMap) {
                const dir = makeDir(`${this.name}-${v.name}`, 0o755);
                const data = this.cluster.configMaps[v.configMap.name];
                if (!data) throw new Error(`Pod ${this.name}: ConfigMap ${v.configMap.name} is not in the render`);
                const items: { key: string; path: string }[] = v.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
                for (const item of items) {
                    fs.writeFileSync(path.join(dir, item.path), this.translateFile(data[item.key]), { mode: 0o644 });
                }
                this.volumes.set(v.name, dir);
            } else {
                throw new Error(`Pod ${this.name}: volume ${v.name} of a kind the harness does not provide`);
            }
        }
    }

    /** nginx.conf: `listen PORT` and `server 127.0.0.1:PORT` to the translated ports on 127.0.0.1. */
    private translateFile(text: string): string {
        return text
            .replace(/listen (\d+);/g, (m, p) => (this.ports.has(Number(p)) ? `listen 127.0.0.1:${this.ports.get(Number(p))};` : m))
            .replace(/server ([\w.-]+):(\d+);/g, (m, h, p) => {
                if (loopbackHosts.has(h) && this.ports.has(Number(p))) return `server 127.0.0.1:${this.ports.get(Number(p))};`;
                const service = this.cluster.services[`${h}:${p}`];
                return service ? `server ${service};` : m;
            });
    }

    /** One token of a command line or one env value, translated to where the local processes listen. */
    translate(token: string): string {
        if (this.cluster.services[token]) return this.cluster.services[token];
        // A URL to a Service (DATABASE_URL of a stack's own database): its host:port.
        const url = /^([a-z][\w+.-]*:\/\/(?:[^@/]*@)?)([\w.-]+:\d+)(\/.*)?$/.exec(token);
        if (url && this.cluster.services[url[2]]) return `${url[1]}${this.cluster.services[url[2]]}${url[3] ?? ""}`;
        const hostPort = /^([\w.-]+):(\d+)$/.exec(token);
        if (hostPort && loopbackHosts.has(hostPort[1]) && this.ports.has(Number(hostPort[2]))) return `127.0.0.1:${this.ports.get(Number(hostPort[2]))}`;
        if (/^\d+$/.test(token) && this.ports.has(Number(token))) return String(this.ports.get(Number(token)));
        if (token === "0.0.0.0") return "127.0.0.1";
        return token;
    }

    container(name: string): any {
        const c = this.allContainers().find((x) => x.name === name);
        if (!c) throw new Error(`Pod ${this.name} has no container ${name}`);
        return c;
    }

    isArgus(c: any): boolean {
        return !/nginx|redis/.test(c.image) && !postgresImage.matches(c.image);
    }

    /** The container's environment as the kubelet builds it: image ENV, envFrom, env ($(VAR) expanded). */
    environment(c: any): Record<string, string> {
        const env: Record<string, string> = this.isArgus(c)
            ? { PATH: argusPath, HOME: "/nonexistent", ...this.image.env }
            : { PATH: postgresImage.matches(c.image) ? postgresImage.path : pathOfDebian };
        for (const from of c.envFrom ?? []) {
            if (from.configMapRef) Object.assign(env, this.cluster.configMaps[from.configMapRef.name] ?? {});
            else if (from.secretRef) throw new Error("secretRef envFrom: not provided by the harness");
        }
        for (const e of c.env ?? []) {
            if ("value" in e) env[e.name] = expand(String(e.value), env);
            else if (e.valueFrom?.secretKeyRef) {
                const value = this.cluster.secrets[e.valueFrom.secretKeyRef.key];
                if (value === undefined) throw new Error(`no test value for Secret key ${e.valueFrom.secretKeyRef.key}`);
                env[e.name] = value;
            } else if (e.valueFrom?.configMapKeyRef) {
                env[e.name] = this.cluster.configMaps[e.valueFrom.configMapKeyRef.name][e.valueFrom.configMapKeyRef.key];
            } else throw new Error(`env ${e.name}: a source the harness does not provide`);
        }
        for (const k of Object.keys(env)) env[k] = this.translate(env[k]);
        return env;
    }

    sandbox(c: any): Sandbox {
        const sc = { ...(this.spec.securityContext ?? {}), ...(c.securityContext ?? {}) };
        if (sc.runAsUser === undefined && this.isArgus(c)) Object.assign(sc, { runAsUser: this.image.user.uid, runAsGroup: this.image.user.gid });
        const mounts: Mount[] = this.isArgus(c)
            ? [
                  { source: this.image.venv, target: VENV_MOUNT },
                  { source: this.image.app, target: "/app" },
              ]
            : postgresImage.matches(c.image)
              ? [
                    { source: postgresImagePasswd(), target: "/etc/passwd" },
                    { source: __dirname, target: postgresImage.entrypointMount },
                ]
              : [];
        for (const m of c.volumeMounts ?? []) {
            const source = this.volumes.get(m.name);
            if (!source) throw new Error(`Pod ${this.name}: no volume ${m.name}`);
            mounts.push({ source, target: m.mountPath });
        }
        return { uid: sc.runAsUser ?? 65534, gid: sc.runAsGroup ?? sc.runAsUser ?? 65534, mounts, env: this.environment(c), cwd: this.isArgus(c) ? "/app" : "/" };
    }

    /** command + args (the Argus image's ENTRYPOINT is tini, which only forwards signals: run args directly). */
    argv(c: any, extra?: readonly string[]): string[] {
        const env = this.environment(c);
        const ownArgv = [...(c.command ?? []), ...(c.args ?? [])];
        const argv: string[] = extra ? [...extra] : ownArgv.length === 0 && postgresImage.matches(c.image) ? postgresImage.argv : ownArgv;
        return argv.map((a) => this.translate(expand(a, env)));
    }

    logFile(name: string): string {
        return path.join(this.dir, `${name}.log`);
    }

    /** Runs a container to its end (an init container, a Job's or CronJob's). */
    async runToCompletion(name: string, timeoutMs = 300000): Promise<{ code: number | null; output: string }> {
        const c = this.container(name);
        stats.containers++;
        return runToEnd(`${this.name}/${name}`, this.sandbox(c), this.argv(c), timeoutMs, this.logFile(name));
    }

    /** Runs every init container in order; throws on the first that fails. */
    async runInitContainers(timeoutMs = 300000): Promise<void> {
        for (const c of this.spec.initContainers ?? []) {
            const r = await this.runToCompletion(c.name, timeoutMs);
            if (r.code !== 0) throw new Error(`init container ${this.name}/${c.name} exited ${r.code}:\n${r.output}`);
        }
    }

    /** Starts a long-running container. */
    start(name: string): Proc {
        const c = this.container(name);
        const proc = spawnIn(`${this.name}/${name}`, this.sandbox(c), this.argv(c), this.logFile(name));
        this.containers.set(name, proc);
        stats.containers++;
        return proc;
    }

    async stopContainer(name: string): Promise<void> {
        await this.containers.get(name)?.stop();
    }

    /** A probe of the render, executed as written: httpGet to its path and (translated) port, exec in the container. */
    async probe(name: string, kind: "startupProbe" | "readinessProbe" | "livenessProbe"): Promise<ProbeResult> {
        const c = this.container(name);
        const p = c[kind];
        if (!p) throw new Error(`${this.name}/${name} has no ${kind}`);
        const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
        if (p.httpGet) {
            const portSpec = p.httpGet.port;
            const containerPort = typeof portSpec === "number" ? portSpec : (c.ports ?? []).find((x: any) => x.name === portSpec)?.containerPort;
            const port = this.ports.get(containerPort);
            if (!port) throw new Error(`${this.name}/${name}: probe port ${portSpec} is not a port of the container`);
            const headers: Record<string, string> = {};
            for (const h of p.httpGet.httpHeaders ?? []) headers[h.name] = h.value;
            const status = await httpStatus(port, p.httpGet.path, headers, timeoutMs);
            const ok = status >= 200 && status < 400;
            if (ok) stats.probes++;
            return { ok, detail: `GET ${p.httpGet.path} on ${containerPort} (127.0.0.1:${port}): ${status || "no answer"}` };
        }
        if (p.exec) {
            const r = await runToEnd(`${this.name}/${name}-${kind}`, this.sandbox(c), this.argv(c, p.exec.command), timeoutMs, path.join(this.dir, `${name}-${kind}.log`));
            const ok = r.code === 0;
            if (ok) stats.probes++;
            return { ok, detail: `exec ${p.exec.command.join(" ")}: exit ${r.code} ${r.output.trim().slice(-500)}` };
        }
        throw new Error(`${this.name}/${name}: ${kind} of a kind the harness does not run`);
    }

    /** Waits until the container's startup probe (if any) and then its readiness probe pass. */
    async waitReady(name: string, timeoutMs = 120000): Promise<void> {
        const c = this.container(name);
        const proc = this.containers.get(name);
        const kinds = (["startupProbe", "readinessProbe"] as const).filter((k) => c[k]);
        for (const kind of kinds) {
            let last: ProbeResult = { ok: false, detail: "not run" };
            await waitFor(
                async () => {
                    if (proc && !proc.alive) throw new Error(`${this.name}/${name} exited ${proc.exitCode}:\n${proc.log().slice(-3000)}`);
                    last = await this.probe(name, kind);
                    return last.ok;
                },
                timeoutMs,
                () => `${this.name}/${name} ${kind}: ${last.detail}\n${proc?.log().slice(-3000) ?? ""}`,
                500,
            );
        }
    }

    async stop(): Promise<void> {
        await Promise.all([...this.containers.values()].map((p) => p.stop()));
    }
}

/** GET on 127.0.0.1:port; the status, or 0 when nothing answered within timeoutMs. */
export function httpStatus(port: number, urlPath: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const http = require("http") as typeof import("http");
    return new Promise((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: urlPath, headers, agent: false, timeout: timeoutMs }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(0));
    });
}
