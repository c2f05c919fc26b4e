import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NginxPaths } from "../../components/nginx";
import { startProcess } from "../../realworld/shared/process";
import { waitForPort } from "../../realworld/shared/wait";

const installHint = "nginx is not installed: run `sudo bash scripts/install-system-packages.sh` (Debian's nginx-light).";

/** The nginx binary, or an error that says how to install it. Tests that need nginx fail, never skip. */
export function nginxBinary(): string {
    const found = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));
    if (!found) {
        throw new Error(installHint);
    }
    return found;
}

/** A folder nginx's worker (which drops to `nobody` when started as root) can read and write. */
export function sharedTempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o777);
    return dir;
}

export function testNginxPaths(dir: string): NginxPaths {
    return { writableDir: dir, mimeTypes: "/etc/nginx/mime.types" };
}


/**
 * Where nginx's stdout and stderr go: a plain file, as in a container. Node's pipes are sockets, which
 * nginx cannot open as /dev/stdout or /dev/stderr.
 */
function logFile(dir: string, name: string): { fd: number; read: () => string } {
    const file = path.join(dir, name);
    const fd = fs.openSync(file, "w");
    return { fd, read: () => fs.readFileSync(file, "utf8") };
}

/** `nginx -t` on a config file: the exit status and what nginx said. */
export function checkConfig(configFile: string): { ok: boolean; output: string } {
    const log = logFile(path.dirname(configFile), `${path.basename(configFile)}.check.log`);
    const result = spawnSync(nginxBinary(), ["-t", "-q", "-e", "/dev/stderr", "-c", configFile], { stdio: ["ignore", log.fd, log.fd] });
    fs.closeSync(log.fd);
    return { ok: result.status === 0, output: log.read() };
}

/** A running nginx; `stop()` ends it and must be called from an `after` hook. */
export interface RunningNginx {
    readonly port: number;
    stop(): Promise<void>;
}

/** Writes `config` to `dir/nginx.conf`, checks it, and starts nginx in the foreground on `port`. */
export async function startNginx(config: string, dir: string, port: number): Promise<RunningNginx> {
    const configFile = path.join(dir, "nginx.conf");
    fs.writeFileSync(configFile, config);
    const check = checkConfig(configFile);
    if (!check.ok) {
        throw new Error(`nginx -t rejected the config:\n${check.output}`);
    }
    const nginx = startProcess("nginx", nginxBinary(), ["-e", "/dev/stderr", "-c", configFile, "-g", "daemon off;"], { logFile: path.join(dir, "nginx.log") });
    try {
        await waitForPort(nginx, port, 5000);
    } catch (err) {
        nginx.killNow();
        throw err;
    }
    return {
        port,
        // Fast shutdown (SIGTERM): a graceful one would wait for idle keep-alive connections.
        stop: () => nginx.stop(),
    };
}
