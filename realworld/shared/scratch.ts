/**
 * The run's scratch folder: every temp folder a suite makes (a Pod's emptyDirs and logs, a database, an engine
 * workspace, the control plane's certificates) is made inside it by makeDir, so one removeScratch() (the
 * root hook in hooks.ts, or the exit handler below) removes them all. ARGUS_REALWORLD_KEEP=1 keeps it for
 * reading after a run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

let scratch: string | undefined;

/** The folder itself, made on first use; 0755, so the unprivileged uids the suites run as can reach their folders. */
export function scratchDir(): string {
    if (!scratch) {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "argus-realworld-"));
        fs.chmodSync(scratch, 0o755);
    }
    return scratch;
}

/** A new folder in the scratch folder, its name starting with `name`, with `mode` and, if given, `owner`. */
export function makeDir(name: string, mode = 0o755, owner?: { uid: number; gid: number }): string {
    const dir = fs.mkdtempSync(path.join(scratchDir(), `${name.replace(/[^a-z0-9-]/gi, "-")}-`));
    fs.chmodSync(dir, mode);
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    return dir;
}

/** Removes the scratch folder (after every process is stopped), unless ARGUS_REALWORLD_KEEP is set. */
export function removeScratch(): void {
    if (scratch && !process.env.ARGUS_REALWORLD_KEEP) {
        try {
            fs.rmSync(scratch, { recursive: true, force: true });
        } catch {
            // A process killed a moment ago may still be writing: what is left stays in the temp folder.
        }
    }
    scratch = undefined;
}

process.on("exit", removeScratch);
