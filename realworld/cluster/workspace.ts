// A workspace of the engine suite (realworld/engine/harness.ts) pointed at the suite's cluster, and the
// CLI steps the tests take in it.
import * as fs from "fs";
import { ok, Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { Cluster } from "./controlPlane";

/**
 * The workspace's kubeconfig (realworld/engine points it at a closed port) is replaced by `kubeconfig`: an
 * environment's deployer identity (fixture.ts deployerKubeconfig), as CI's file variable of that environment
 * would be, or the admin's (cluster.kubeconfigText()) for what the cluster admin runs; and the docker stand-in
 * asks the suite's registry (realworld/engine makes it answer offline), trusting its CA.
 */
export function useCluster(ws: Workspace, cluster: Cluster, kubeconfig: string): void {
    fs.writeFileSync(ws.env.KUBECONFIG, kubeconfig, { mode: 0o600 });
    delete ws.env.ARGUS_STANDIN_REGISTRY;
    ws.env.NODE_EXTRA_CA_CERTS = cluster.caFile;
}

export async function setConfig(ws: Workspace, stack: string, values: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
        ok(await ws.pulumi(["config", "set", "--stack", stack, `argus:${key}`, "--", value]), `pulumi config set argus:${key}`);
    }
}

export async function up(ws: Workspace, stack: string): Promise<Result> {
    return ws.pulumi(["up", "--yes", "--non-interactive", "--stack", stack], { timeoutMs: 600_000 });
}

/**
 * The last "Resources:" block of an update's output (the update's, not its preview's), as { created: 3, unchanged: 30 };
 * of a preview's, as { "to create": 3, "to update": 1, unchanged: 30 }.
 */
export function summary(output: string): Record<string, number> {
    const at = output.lastIndexOf("Resources:\n");
    const block = at < 0 ? "" : /^Resources:\n((?:[ \t]+\S.*\n?)+)/.exec(output.slice(at))?.[1] ?? "";
    const out: Record<string, number> = {};
    for (const m of block.matchAll(/(\d+) (created|updated|replaced|deleted|unchanged|read|imported|discarded|to create|to update|to replace|to delete)\b/g)) out[m[2]] = Number(m[1]);
    return out;
}

/**
 * The CLI starts each plugin in a process group of its own (sdk/go/common/resource/plugin/plugin.go calls
 * cmdutil.RegisterProcessGroup, which sets Setpgid, at pulumi v3.248.0), so killing the CLI's group leaves
 * them running. Ends every process whose environment has this workspace's PULUMI_HOME (Linux /proc).
 */
export function killPluginsOf(ws: Workspace): void {
    const marker = Buffer.from(`PULUMI_HOME=${ws.env.PULUMI_HOME}\0`);
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            if (fs.readFileSync(`/proc/${pid}/environ`).includes(marker)) process.kill(Number(pid), "SIGKILL");
        } catch {
            // gone, or not ours to read
        }
    }
}

/**
 * A new workspace on the cluster, deploying with the review identity, with a review stack in it: ci/stack.sh creates a review stack when missing;
 * made first here for one key the template lacks: Ingress await waits for the controller's address (no
 * controller here), which the config allows off.
 */
export async function reviewStackWorkspace(cluster: Cluster, reviewKubeconfig: string, stack: string): Promise<Workspace> {
    const ws = await Workspace.create();
    useCluster(ws, cluster, reviewKubeconfig);
    ok(await ws.pulumi(["stack", "init", stack, "--non-interactive"]), `pulumi stack init ${stack}`);
    await setConfig(ws, stack, { awaitIngresses: "false" });
    return ws;
}
