/** Where things are: the checkout, the per-user cache, the Go tools tools/build.sh builds. */
import { execFileSync } from "child_process";
import * as os from "os";
import * as path from "path";

/** The checkout the suites run from (realworld/shared is two levels below it). */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** `${XDG_CACHE_HOME:-~/.cache}/argus-deploy`: the Python layers, the built /app folders, the Go tools. */
export function cacheRoot(): string {
    return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "argus-deploy");
}

/** The folder tools/build.sh links the built binaries into; fails when they are not built. */
export function toolsBinDir(): string {
    return execFileSync(path.join(repoRoot, "tools", "build.sh"), ["--bin-dir"], { encoding: "utf8" }).trim();
}
