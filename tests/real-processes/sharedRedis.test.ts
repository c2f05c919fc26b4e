import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { redisContainer, redisPasswordKey } from "../../components/api/redis";
import { resourceProfiles } from "../../stacks/resourceProfiles";
import { freePort } from "../../realworld/shared/ports";
import { shared } from "../support/shared";

/** The shared redis' command as rendered, run by the machine's redis-server on 127.0.0.1 instead of 0.0.0.0. */
function sharedRedisArgs(port: number, password: string): string[] {
    const command = redisContainer("redis:test", resourceProfiles.small.redis, "secret-name").command as string[];
    return command
        .slice(1)
        .map((arg) => (arg === "0.0.0.0" ? "127.0.0.1" : arg === "6379" ? String(port) : arg === `$(${redisPasswordKey})` ? password : arg));
}

describe("the shared redis, for real on 127.0.0.1", () => {
    let port = 0;
    let dir = "";
    before(async () => {
        // Like nginx's tests, these fail rather than skip without the binary: CI must not pass untested.
        if (spawnSync("redis-server", ["--version"]).status !== 0) {
            throw new Error("redis-server is not installed: run `bash scripts/install-system-packages.sh` (Debian's redis-server).");
        }
        port = await freePort();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-redis-"));
    });
    // The command comes from the program's redisContainer, so each test starts it (see shared).
    const startRedis = shared(
        async () => {
            const redis = spawn("redis-server", sharedRedisArgs(port, "Sentinel-redis-pw"), { cwd: dir, stdio: "ignore" });
            for (let i = 0; i < 50 && spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === ""; i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return redis;
        },
        (redis: ChildProcess) =>
            new Promise<void>((resolve) => {
                if (redis.exitCode !== null) return resolve();
                redis.once("exit", () => resolve());
                redis.kill();
            }),
    );
    beforeEach(() => startRedis());
    after(async () => {
        await startRedis.release();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const cli = (env: Record<string, string>) =>
        spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"], { encoding: "utf8", env: { ...process.env, ...env } }).stdout.trim();

    it("refuses a client without the password", () => {
        expect(cli({})).to.match(/NOAUTH/);
    });

    it("answers the probe, which authenticates with REDISCLI_AUTH as the container's env gives it", () => {
        expect(cli({ REDISCLI_AUTH: "Sentinel-redis-pw" })).to.equal("PONG");
        expect(cli({ REDISCLI_AUTH: "wrong" })).not.to.equal("PONG");
    });
});
