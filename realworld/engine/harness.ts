// The engine suite's harness: the real Pulumi CLI (built by tools/build.sh) in a throwaway workspace.
// Each Workspace is a temp folder with a copy of the project (or a git clone), a local file backend, its own
// PULUMI_HOME, a passphrase secrets provider and a kubeconfig that points at a closed port on 127.0.0.1.
// Every command runs in its own process group (realworld/shared/process.ts runCommand), which is killed when
// the command ends or times out, so no plugin outlives its command; every workspace is a folder of the run's
// scratch folder, removed by dispose(), and by the root hook or at exit if a test forgot.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot, toolsBinDir } from "../shared/paths";
import { freePort } from "../shared/ports";
import { Result, runCommand, RunOptions } from "../shared/process";
import { makeDir } from "../shared/scratch";
const standIns = path.join(repoRoot, "tools", "standins", "bin");
/** Where the test-only launcher of the policy pack is (its comment says why and how). */
const policyLauncher = path.join(__dirname, "policy-launcher");

/**
 * The runtime the suite's copy of policy/PulumiPolicy.yaml names instead of `nodejs`: no language host has that
 * name, so CLI v3.248.0 starts the pack with `pulumi-analyzer-policy-nodejs-launcher` (policy-launcher/) rather
 * than the built host's RunPlugin, which v3.68.0 does not support.
 */
export const policyRuntime = "nodejs-launcher";

/** Points the copy's policy pack at the launcher: the one file of the project the suite changes. */
export function launchPolicyPackWithoutRunPlugin(projectDir: string): void {
    const file = path.join(projectDir, "policy", "PulumiPolicy.yaml");
    const text = fs.readFileSync(file, "utf8");
    if (!/^runtime: nodejs$/m.test(text)) throw new Error(`${file}: expected "runtime: nodejs"`);
    fs.writeFileSync(file, text.replace(/^runtime: nodejs$/m, `runtime: ${policyRuntime}`));
}

/**
 * What a machine that runs the CLI has: this process's environment without its own Pulumi, CI and kubeconfig
 * settings, the built tools first on PATH, `home` as HOME, no update check and no plugin download.
 */
export function cliEnvironment(home: string, binDir = toolsBinDir()): Record<string, string> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("PULUMI_") && !k.startsWith("CI") && k !== "KUBECONFIG")) as Record<string, string>;
    // The stand-in plugins and the policy pack's launcher first, then the built tools.
    return { ...inherited, PATH: `${standIns}:${policyLauncher}:${binDir}:${process.env.PATH}`, HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
}

/** The passphrase of every stack the suite makes (a test value, not a secret). */
export const passphrase = "engine-suite-passphrase";

/**
 * Sentinels for every secret config key: the suite checks that none of them appears in plain text anywhere
 * the engine writes. Each is a value its key accepts.
 */
export const sentinels = {
    registryPassword: "SENTINEL-registry-password-7f3a",
    registryPullToken: "SENTINEL-pull-token-2b9c",
    databasePassword: "SENTINEL-db-password-51d0",
    djangoSecretKey: "SENTINEL-django-secret-key-0123456789-abcdefghijklmnopq",
    dataportenSecret: "SENTINEL-dataporten-secret-9e4d",
    oidcClientSecret: "SENTINEL-oidc-client-secret-5b1f",
    ticketToken: "SENTINEL-ticket-token-6c21",
    adminPassword: "SENTINEL-admin-password-3a77",
    kubeToken: "SENTINEL-kube-token-d4e8",
    mailPassword: "SENTINEL-mail-password-8c15",
    extraSecretSetting: "SENTINEL-extra-secret-setting-4f60",
};

/** What GitLab would set in a deploy job of this project (ci/stack.sh reads these). */
export function ciVariables(): Record<string, string> {
    return {
        CI: "true",
        CI_REGISTRY_IMAGE: "registry.example.org/argus/argus-deploy",
        CI_REGISTRY_USER: "gitlab-ci-token",
        CI_REGISTRY_PASSWORD: sentinels.registryPassword,
        ARGUS_DATABASE_URL: `postgresql://argus:${sentinels.databasePassword}@db.example.org:5432/argus`,
        ARGUS_REGISTRY_PULL_TOKEN: sentinels.registryPullToken,
    };
}

/**
 * The compiled program (dist/, which .gitignore leaves out of the copy) into a copy of the working tree: the
 * suites' npm scripts run `npm run build` first, so it is the working tree's own. The TypeScript build info goes
 * with it, so a rebuild in the copy compiles only what a test changed.
 */
function copyBuild(dest: string): void {
    const dist = path.join(repoRoot, "dist");
    if (!fs.existsSync(path.join(dist, "index.js"))) throw new Error(`${dist}/index.js is missing: run \`npm run build\` (the suites' npm scripts do).`);
    fs.cpSync(dist, path.join(dest, "dist"), { recursive: true });
}

/** Copies the project's working tree (tracked and untracked files, .gitignore honoured) into `dest`. */
export function copyWorkingTree(dest: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && fs.existsSync(path.join(repoRoot, f)));
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, file), path.join(dest, file));
    }
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dest, "node_modules"));
}

export class Workspace {
    /** The project copy the CLI runs in. */
    readonly dir: string;
    readonly backendUrl: string;
    readonly env: Record<string, string>;
    private disposed = false;

    private constructor(
        readonly tmp: string,
        kubeconfig: string,
        readonly binDir: string,
    ) {
        this.dir = path.join(tmp, "project");
        const backend = path.join(tmp, "backend");
        fs.mkdirSync(backend);
        this.backendUrl = `file://${backend}`;
        this.env = {
            ...cliEnvironment(path.join(tmp, "home"), binDir),
            PULUMI_HOME: path.join(tmp, "pulumi-home"),
            PULUMI_BACKEND_URL: this.backendUrl,
            PULUMI_CONFIG_PASSPHRASE: passphrase,
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            KUBECONFIG: kubeconfig,
            // No registry here: the docker stand-in makes production's digests up instead of asking the
            // registry (tools/standins/README.md); the cluster suite removes this and runs a registry.
            ARGUS_STANDIN_REGISTRY: "offline",
        };
        fs.mkdirSync(this.env.HOME);
    }

    /**
     * A new workspace: the working tree copied (default), or `git clone` of the repository's HEAD
     * (`clone: true`, as a CI job checks the project out).
     */
    static async create(opts: { clone?: boolean } = {}): Promise<Workspace> {
        const tmp = makeDir("engine-workspace", 0o700);
        try {
            const kubeconfig = path.join(tmp, "kubeconfig");
            fs.writeFileSync(kubeconfig, unreachableKubeconfig(await freePort(), "engine-suite-token"));
            const ws = new Workspace(tmp, kubeconfig, toolsBinDir());
            if (opts.clone) {
                execFileSync("git", ["clone", "--quiet", repoRoot, ws.dir], { stdio: "ignore" });
                fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(ws.dir, "node_modules"));
                // What a job's `npm ci` does after installing (package.json prepare): the program compiled.
                ws.buildSync();
            } else {
                copyWorkingTree(ws.dir);
                copyBuild(ws.dir);
            }
            launchPolicyPackWithoutRunPlugin(ws.dir);
            return ws;
        } catch (err) {
            fs.rmSync(tmp, { recursive: true, force: true });
            throw err;
        }
    }

    /** `npm run build` in the project copy: after a test changed the program's source there. */
    buildSync(): void {
        execFileSync("npm", ["run", "--silent", "build"], { cwd: this.dir, stdio: "pipe" });
    }

    /** Runs a command in the project copy; never throws on a non-zero exit. */
    async run(command: string, args: string[], opts: RunOptions = {}): Promise<Result> {
        const result = await runCommand(command, args, { timeoutMs: 240_000, ...opts, cwd: opts.cwd ?? this.dir, env: { ...this.env, ...opts.env } });
        // ENGINE_SUITE_LOG: a file every command's output is appended to, for reading after a run.
        if (process.env.ENGINE_SUITE_LOG) {
            fs.appendFileSync(process.env.ENGINE_SUITE_LOG, `\n$ ${command} ${args.join(" ")}   (exit ${result.code})\n${result.output}`);
        }
        return result;
    }

    /** `pulumi <args>` with the built CLI. */
    pulumi(args: string[], opts: RunOptions = {}): Promise<Result> {
        return this.run("pulumi", args, opts);
    }

    /** `ci/stack.sh <stack> <action>` with the fake CI variables (and `extra`), its `--policy-pack policy` included. */
    stackSh(stack: string, action: string, extra: Record<string, string> = {}, cwd?: string): Promise<Result> {
        return this.run("bash", ["ci/stack.sh", stack, action], { cwd, env: { ...ciVariables(), ...extra } });
    }

    /** Every file under the temp folder (backend, PULUMI_HOME with its logs, the project's stack files). */
    allFiles(): string[] {
        const out: string[] = [];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(p);
                else if (entry.isFile()) out.push(p);
            }
        };
        walk(this.tmp);
        return out;
    }

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        fs.rmSync(this.tmp, { recursive: true, force: true });
    }
}

/** A kubeconfig whose one cluster is 127.0.0.1:<port>, where nothing listens. */
export function unreachableKubeconfig(port: number, token: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: unreachable\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true`,
        "users:",
        `- name: suite\n  user:\n    token: ${token}`,
        "contexts:",
        "- name: unreachable\n  context:\n    cluster: unreachable\n    user: suite",
        "current-context: unreachable",
        "",
    ].join("\n");
}

/** Renders a stack offline (`npm run render -- <stack> --out DIR`), with config overrides as PULUMI_CONFIG. */
export function renderOffline(stack: string, outDir: string, config: Record<string, string> = {}, secretKeys: string[] = [], cwd = repoRoot): Result {
    try {
        const stdout = execFileSync("npm", ["run", "-s", "render", "--", stack, "--out", outDir], {
            cwd,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) },
        });
        return { code: 0, stdout, stderr: "", output: stdout };
    } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        return { code: e.status, stdout: e.stdout, stderr: e.stderr, output: `${e.stdout}${e.stderr}` };
    }
}
