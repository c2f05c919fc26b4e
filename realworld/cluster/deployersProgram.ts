// The deployers program (deployers/, project argus-deployers) run as the cluster admin runs it once per
// cluster: the environments' namespaces made first (the cluster team's, labelled restricted), then
// `pulumi -C deployers stack init`, `up`, and each identity's kubeconfig from `stack output --show-secrets`,
// in an engine workspace (../engine/harness.ts) pointed at the suite's cluster as admin (workspace.ts).
// Once per cluster: a second call returns the first one's result, so every test file may ask for it;
// downDeployers destroys the stack and forgets it.
import { podSecurityLabel } from "../../components/labels";
import { fixedNamespaces } from "../../deployers/names";
import { environments } from "../../deployers/identities";
import { Environment } from "../../stacks/stackName";
import { Workspace } from "../engine/harness";
import { ok, Result, RunOptions } from "../shared/process";
import { Cluster } from "./controlPlane";
import { useCluster } from "./workspace";

export interface DeployersUp {
    readonly ws: Workspace;
    /** The deployers stack, named after the cluster. */
    readonly stack: string;
    /** Each identity's kubeconfig (YAML), as CI gets it. */
    readonly kubeconfigs: Record<Environment, string>;
    /** The `pulumi up` that made them. */
    readonly up: Result;
}

/** The stack the suite's cluster gets (one stack per cluster). */
export const suiteClusterStack = "suite";

/** `pulumi -C deployers <args>` in the workspace. */
export function deployersPulumi(ws: Workspace, args: string[], opts: RunOptions = {}): Promise<Result> {
    return ws.pulumi(["-C", "deployers", ...args], { timeoutMs: 600_000, ...opts });
}

/** A Namespace as the cluster team and review stacks make them (Pod Security's restricted level), or with `labels` instead. */
export function namespaceObject(name: string, labels: Record<string, string> = { [podSecurityLabel.key]: podSecurityLabel.value }) {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

/** The environments' namespaces, as the cluster team makes them (restricted), those missing only. */
export async function makeEnvironmentNamespaces(cluster: Cluster): Promise<void> {
    for (const name of Object.values(fixedNamespaces)) {
        if (await cluster.client.get(["namespace", name])) continue;
        ok(await cluster.kubectl(["create", "-f", "-"], { input: JSON.stringify(namespaceObject(name)) }), `kubectl create namespace ${name}`);
    }
}

/** Each identity's kubeconfig from the stack's outputs. */
export async function kubeconfigsOf(ws: Workspace, stack: string): Promise<Record<Environment, string>> {
    const outputs = JSON.parse(ok(await deployersPulumi(ws, ["stack", "output", "--json", "--show-secrets", "--stack", stack]), "pulumi stack output").stdout) as Record<string, string>;
    return Object.fromEntries(environments.map((e) => [e, outputs[`${e}Kubeconfig`]])) as Record<Environment, string>;
}

async function firstUp(cluster: Cluster): Promise<DeployersUp> {
    const ws = await Workspace.create();
    try {
        useCluster(ws, cluster, cluster.kubeconfigText());
        await makeEnvironmentNamespaces(cluster);
        ok(await deployersPulumi(ws, ["stack", "init", suiteClusterStack, "--non-interactive"]), "pulumi -C deployers stack init");
        const up = ok(await deployersPulumi(ws, ["up", "--yes", "--non-interactive", "--stack", suiteClusterStack]), "pulumi -C deployers up");
        return { ws, stack: suiteClusterStack, kubeconfigs: await kubeconfigsOf(ws, suiteClusterStack), up };
    } catch (err) {
        ws.dispose();
        throw err;
    }
}

const applied = new Map<Cluster, Promise<DeployersUp>>();

/** The deployer identities on `cluster`, applied by the admin the first time it is asked for on that cluster. */
export function upDeployers(cluster: Cluster): Promise<DeployersUp> {
    let done = applied.get(cluster);
    if (!done) {
        done = firstUp(cluster);
        applied.set(cluster, done);
        done.catch(() => applied.delete(cluster));
    }
    return done;
}

/** `pulumi destroy` of the deployers stack on `cluster` (when it was applied), then its workspace removed. */
export async function downDeployers(cluster: Cluster): Promise<Result | undefined> {
    const done = applied.get(cluster);
    if (!done) return undefined;
    applied.delete(cluster);
    const { ws, stack } = await done;
    try {
        return await deployersPulumi(ws, ["destroy", "--yes", "--non-interactive", "--stack", stack]);
    } finally {
        ws.dispose();
    }
}
