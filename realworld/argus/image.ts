/**
 * The Argus image, made on this machine: the Python layer (tools/argus-python.sh, a virtual environment with
 * the render's requirements) and the app folder the Dockerfile makes (our argus_site and collectstatic's files).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheRoot, repoRoot } from "../shared/paths";
import { makeDir } from "../shared/scratch";
import * as render from "./render";
import { runHost, runToEnd, Sandbox } from "./sandbox";

/** Where the virtual environment is mounted in every container (tools/argus-python.sh builds it for this path). */
export const VENV_MOUNT = "/opt/argus-deploy/venv";

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

/** tools/argus-python.sh for these requirements: the venv folder (built once, then cached). */
export async function pythonLayer(requirements: readonly string[], constraints = ""): Promise<string> {
    const r = await runHost(["bash", path.join(repoRoot, "tools", "argus-python.sh"), ...(constraints.trim() ? ["--constraints", constraints] : []), ...requirements], { env: { ...(process.env as Record<string, string>) }, timeoutMs: 900000 });
    const lines = r.output.trim().split("\n");
    if (r.code !== 0) throw new Error(`tools/argus-python.sh failed:\n${r.output}`);
    return path.join(lines[lines.length - 1], ".");
}

/** A Debian image's PATH, which the stock images (nginx, redis) keep. */
export const pathOfDebian = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
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
