// Times the offline render of one stack, run as the README runs it, against a bare Node process that only
// requires the four Pulumi SDK packages; alternates the two and prints medians and their ratio.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../util/projectRoot";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const stack = process.argv[2] ?? "production";
const out = fs.mkdtempSync(path.join(os.tmpdir(), "argus-bench-"));
const bare = 'require("@pulumi/pulumi"); require("@pulumi/kubernetes"); require("@pulumi/docker"); require("@pulumi/random");';

function seconds(command: string, args: string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: projectRoot, stdio: "ignore" });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const renderTimes: number[] = [];
const bareTimes: number[] = [];
seconds("npm", ["run", "--silent", "render", "--", stack, "--out", out]); // warm the transpile cache
for (let i = 0; i < runs; i++) {
    renderTimes.push(seconds("npm", ["run", "--silent", "render", "--", stack, "--out", out]));
    bareTimes.push(seconds("node", ["-e", bare]));
}
fs.rmSync(out, { recursive: true, force: true });
const ratio = median(renderTimes) / median(bareTimes);
console.log(`runs: ${runs}`);
console.log(`npm run render -- ${stack}: median ${median(renderTimes).toFixed(2)} s`);
console.log(`bare node requiring the 4 Pulumi SDKs: median ${median(bareTimes).toFixed(2)} s`);
console.log(`ratio: ${ratio.toFixed(2)} (target at most 1.50)`);
process.exitCode = ratio <= 1.5 ? 0 : 1;
