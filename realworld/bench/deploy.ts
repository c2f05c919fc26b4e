// `npm run bench:deploy`: production deployed on one control plane of the cluster suite by pulumi, by kubectl
// and by Helm v4, round after round, each step timed; prints the medians and ratios (table.ts) and writes them
// as markdown to $BENCH_OUT (default: a new temp folder's deploy.md). BENCH_ROUNDS rounds (default 3).
// Exits 1 only when a step failed (a command, or what it must leave: checks.ts), never on a time.
// README.md says what each step runs.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Workspace } from "../engine/harness";
import { toolsBinDir } from "../shared/paths";
import { stopAll } from "../shared/process";
import { makeDir, removeScratch } from "../shared/scratch";
import { Cluster } from "../cluster/controlPlane";
import { deployerKubeconfig, startCluster, stopCluster } from "../cluster/fixture";
import { writeFile } from "../cluster/pki";
import { prepareProduction, productionManifests } from "../cluster/production";
import { setConfig } from "../cluster/workspace";
import { judgeOf } from "./checks";
import { HelmAs, helmTool, writeChart } from "./helm";
import { KubectlAs, kubectlTool } from "./kubectl";
import { manifestsOf } from "./manifests";
import { pulumiTool, Setting } from "./pulumi";
import { runRounds, Tool } from "./rounds";
import { markdownReport, RunDescription } from "./table";

/** Production's namespace (the cluster team's: the suite makes it, production's identity deploys into it). */
const ns = "argus";
const stack = "production";
/** Rolls the webui alone (tests/program/rollout.test.ts, "a webui setting"): its content-named ConfigMap and its Deployment. */
const setting: Setting = { key: "autoRefreshInterval", from: "30", to: "60" };
const noBackup = { backupBeforeMigration: "false" };
/** How long one command may run before it is killed: above every tool's own 10-minute wait. */
const commandTimeoutMs = 900_000;

function roundsFromEnvironment(): number {
    const value = process.env.BENCH_ROUNDS ?? "3";
    if (!/^[1-9]\d*$/.test(value)) throw new Error(`BENCH_ROUNDS is "${value}": set a whole number of rounds, 1 or more`);
    return Number(value);
}

/** $BENCH_OUT (its folder made if missing), else deploy.md in a new temp folder, which outlives the run. */
function outFile(): string {
    const out = process.env.BENCH_OUT ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "argus-bench-")), "deploy.md");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    return out;
}

/** The three tools, each deploying with production's deployer identity. */
async function tools(cluster: Cluster, ws: Workspace, dir: string): Promise<Tool[]> {
    await prepareProduction(cluster, ws);
    // Without production's backup before each migration (on since #33): the suite's cluster has no provisioner, and
    // the static volume prepareProduction provides binds one claim once, which every round deletes. The three
    // tools then deploy the same objects as before; the cluster and pipeline suites deploy the backup.
    await setConfig(ws, stack, noBackup);
    const render = (value: string) => productionManifests(cluster, ws, { [`argus:${setting.key}`]: value, "argus:backupBeforeMigration": noBackup.backupBeforeMigration });
    const [before, after] = [render(setting.from), render(setting.to)];
    const identity = writeFile(dir, "kubeconfig-production", deployerKubeconfig("production"));
    const kubectlAs: KubectlAs = (args) => cluster.kubectl(["--kubeconfig", identity, ...args], { timeoutMs: commandTimeoutMs });
    const helmHome = path.join(dir, "helm-home");
    const helmHomes = { HELM_CACHE_HOME: `${helmHome}/cache`, HELM_CONFIG_HOME: `${helmHome}/config`, HELM_DATA_HOME: `${helmHome}/data` };
    const helmAs: HelmAs = (args) => cluster.client.run(path.join(cluster.binDir, "helm"), ["--kubeconfig", identity, ...args], { env: helmHomes, timeoutMs: commandTimeoutMs });
    return [
        pulumiTool(ws, stack, setting),
        kubectlTool(kubectlAs, ns, manifestsOf(before, path.join(dir, "before")), manifestsOf(after, path.join(dir, "after"))),
        helmTool(helmAs, ns, writeChart(path.join(dir, "chart-before"), before), writeChart(path.join(dir, "chart-after"), after)),
    ];
}

function describeRun(rounds: number): RunDescription {
    return {
        date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        processors: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        rounds,
        change: `${setting.key} ${setting.from} → ${setting.to} (the webui ConfigMap, renamed by its content, and the webui Deployment)`,
        versions: "pulumi v3.248.0 with kubernetes provider v4.25.0, kubectl v1.34.4, helm v4.3.2; kube-apiserver v1.34.4 with kwok",
    };
}

async function main(): Promise<number> {
    const rounds = roundsFromEnvironment();
    const out = outFile();
    if (!fs.existsSync(path.join(toolsBinDir(), "helm"))) throw new Error("helm is not built: run tools/build.sh");
    const cluster = await startCluster();
    const ws = await Workspace.create();
    try {
        const outcome = await runRounds(await tools(cluster, ws, makeDir("bench", 0o700)), rounds, judgeOf(cluster, ns));
        const report = markdownReport(outcome.timings, describeRun(rounds));
        fs.writeFileSync(out, report);
        console.log(`\n${report}\n(written to ${out})`);
        for (const failure of outcome.failures) console.error(`\n${failure}`);
        return outcome.failures.length === 0 ? 0 : 1;
    } finally {
        ws.dispose();
        await stopCluster();
    }
}

main()
    .catch((err) => {
        console.error(`bench:deploy: ${err instanceof Error ? err.message : String(err)}`);
        return 1;
    })
    .then(async (code) => {
        await stopAll();
        removeScratch();
        process.exit(code);
    });
