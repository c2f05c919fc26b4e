/**
 * How an Argus container's process runs: in a private mount namespace (unshare, as root) where the Pod's
 * volumes are bind-mounted at their mountPaths, the Python layer at VENV_MOUNT and our app folder at /app,
 * then dropped to the container's runAsUser/runAsGroup (setpriv, no new privileges) with exactly the
 * environment the render gives it. Only 127.0.0.1 is ever bound. The processes themselves are
 * realworld/shared's (own process group, log file, stopped by the root hook).
 */
import * as fs from "fs";
import * as path from "path";
import { Proc, runCommand, startProcess } from "../shared/process";
import { makeDir } from "../shared/scratch";

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
    const mountArgs = sandbox.mounts.flatMap((m) => [m.source, m.target]);
    return startProcess(
        name,
        "unshare",
        ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", sandboxScript, "sandbox", String(sandbox.mounts.length), ...mountArgs, String(sandbox.uid), String(sandbox.gid), sandbox.cwd ?? "/", ...argv],
        // A process that reopens /dev/stdout or /dev/stderr (nginx) needs the file to be its own, as a container's is.
        { env: { ...sandbox.env }, logFile, logOwner: { uid: sandbox.uid, gid: sandbox.gid } },
    );
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
    const r = await runCommand(full[0], full.slice(1), { env: options.env ?? { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }, cwd: "/", timeoutMs: options.timeoutMs ?? 60000, input: options.input });
    return { code: r.code, output: r.output };
}
