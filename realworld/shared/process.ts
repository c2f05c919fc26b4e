/**
 * Every process a suite starts, and the one way they stop. A process runs in a process group of its own
 * (detached), so stopping it stops whatever it started (gunicorn's workers, nginx's, the CLI's children in
 * its group); its stdout and stderr go to a log file (a plain file, which nginx can reopen as /dev/stderr, as
 * in a container). Every process is registered while it runs: stopAll() (the mocha root hook in hooks.ts)
 * ends whatever a failed test left, and an exit handler kills what is left at exit.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { redact } from "./redaction";

/** SIGNAL to the whole process group of `pid`; nothing when it is gone already. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
    if (pid === undefined) return;
    try {
        process.kill(-pid, signal);
    } catch {
        // The group is gone already.
    }
}

const running = new Set<Proc>();
const commands = new Set<ChildProcess>();

/** A started process: its own process group, its log file. */
export class Proc {
    readonly exited: Promise<number | null>;
    /** undefined while it runs; its exit code (128 when a signal ended it) after. */
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

    /** The whole log, secrets redacted. */
    log(): string {
        try {
            return redact(fs.readFileSync(this.logFile, "utf8"));
        } catch {
            return "";
        }
    }

    /** The log's last `lines` lines, each cut to 300 characters (for a failure message). */
    logTail(lines = 40): string {
        return this.log()
            .split("\n")
            .slice(-lines)
            .map((l) => l.slice(0, 300))
            .join("\n");
    }

    /** SIGTERM to the group, SIGKILL after graceMs; then SIGKILL to what of the group outlived its leader. */
    async stop(graceMs = 10000): Promise<void> {
        if (!this.alive) return;
        signalGroup(this.child.pid, "SIGTERM");
        const timer = setTimeout(() => signalGroup(this.child.pid, "SIGKILL"), graceMs);
        await this.exited;
        clearTimeout(timer);
        // Children that outlived their parent (a gunicorn worker) are in the same group.
        signalGroup(this.child.pid, "SIGKILL");
    }

    killNow(): void {
        signalGroup(this.child.pid, "SIGKILL");
    }
}

export interface StartOptions {
    /** The whole environment of the process (default: the suite's own). */
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd?: string;
    /** stdout and stderr are appended here. */
    readonly logFile: string;
    /** The log file's owner, for a process that drops privileges and reopens /dev/stdout (nginx). */
    readonly logOwner?: { uid: number; gid: number };
}

/** Starts `command` in its own process group, its output into the log file. */
export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions): Proc {
    const fd = fs.openSync(options.logFile, "a");
    if (options.logOwner) fs.fchownSync(fd, options.logOwner.uid, options.logOwner.gid);
    try {
        const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", fd, fd], detached: true });
        return new Proc(name, child, options.logFile);
    } finally {
        fs.closeSync(fd);
    }
}

/** Stops every process still running (SIGTERM, SIGKILL after graceMs). */
export async function stopAll(graceMs = 5000): Promise<void> {
    for (const child of commands) signalGroup(child.pid, "SIGKILL");
    await Promise.all([...running].map((p) => p.stop(graceMs)));
}

process.on("exit", () => {
    for (const p of running) p.killNow();
    for (const child of commands) signalGroup(child.pid, "SIGKILL");
});

/** What a command run to its end gave: its exit code and its output, secrets redacted. */
export interface Result {
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr, interleaved as they arrived. */
    output: string;
}

/** The result, unless the command failed: then an error naming `what`, with the command's output. */
export function ok(result: Result, what: string): Result {
    if (result.code !== 0) throw new Error(`${what}: ${result.output}`);
    return result;
}

export interface RunOptions {
    input?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    cwd?: string;
}

/**
 * Runs a command to its end in its own process group, `input` on its stdin; never throws on a non-zero exit.
 * The group is killed after timeoutMs, and when the command ends (whatever it left behind in its group).
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<Result> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
        commands.add(child);
        let stdout = "";
        let stderr = "";
        let output = "";
        child.stdout.on("data", (d: Buffer) => ((stdout += d), (output += d)));
        child.stderr.on("data", (d: Buffer) => ((stderr += d), (output += d)));
        const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), options.timeoutMs ?? 120_000);
        child.on("error", (err) => {
            clearTimeout(timer);
            commands.delete(child);
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            signalGroup(child.pid, "SIGKILL");
            commands.delete(child);
            resolve({ code, stdout: redact(stdout), stderr: redact(stderr), output: redact(output) });
        });
        child.stdin.on("error", () => undefined); // a command that exits before reading its input
        child.stdin.end(options.input ?? "");
    });
}
