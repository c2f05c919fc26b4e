// The kubectl side: the offline render applied with `kubectl apply --server-side`, with the waits pulumi up
// keeps: the migration Job complete before the Deployments are applied (they dependsOn it in the program),
// then each Deployment's rollout; deleted with foreground propagation, as the kubernetes provider deletes
// (docs/awaits.md, "Delete"), waiting until every object is gone.
import { ok, Result } from "../shared/process";
import { Manifests } from "./manifests";
import { stepsWithoutPreview, Tool } from "./rounds";

/** kubectl with the deploying identity's kubeconfig; never throws on a non-zero exit. */
export type KubectlAs = (args: string[]) => Promise<Result>;

/** How long any one wait may take: the provider's default await timeout (10 min, docs/awaits.md). */
const waitTimeout = "600s";

async function kubectl(run: KubectlAs, args: string[]): Promise<void> {
    ok(await run(args), `kubectl ${args.join(" ")}`);
}

/** Everything but the Deployments, the Job complete, then the Deployments and each one's rollout. */
async function applyInOrder(run: KubectlAs, ns: string, m: Manifests): Promise<void> {
    await kubectl(run, ["apply", "--server-side", "-f", m.restFile]);
    await kubectl(run, ["wait", "-n", ns, "--for=condition=complete", `job/${m.jobName}`, `--timeout=${waitTimeout}`]);
    await kubectl(run, ["apply", "--server-side", "-f", m.deploymentsFile]);
    for (const name of m.deploymentNames) await kubectl(run, ["rollout", "status", "-n", ns, `deployment/${name}`, `--timeout=${waitTimeout}`]);
}

/**
 * `to` applied over `from`, then what only `from` has deleted, as pulumi up deletes what the program no longer
 * makes and a Helm upgrade what the chart no longer has: a setting in a content-named ConfigMap (the webui's
 * config) gives it a new name, and kubectl apply leaves the old one.
 */
async function change(run: KubectlAs, ns: string, from: Manifests, to: Manifests): Promise<void> {
    await applyInOrder(run, ns, to);
    const stale = from.names.filter((n) => !to.names.includes(n));
    if (stale.length > 0) await kubectl(run, ["delete", "-n", ns, ...stale, "--cascade=foreground", "--wait=true", `--timeout=${waitTimeout}`]);
}

async function deleteAll(run: KubectlAs, m: Manifests): Promise<void> {
    await kubectl(run, ["delete", "-f", m.deploymentsFile, "-f", m.restFile, "--cascade=foreground", "--wait=true", "--ignore-not-found", `--timeout=${waitTimeout}`]);
}

/** `before` deployed from nothing and again unchanged, then `after` (one setting changed) in its place, then deleted. */
export function kubectlTool(run: KubectlAs, ns: string, before: Manifests, after: Manifests): Tool {
    return {
        name: "kubectl",
        steps: stepsWithoutPreview(
            () => applyInOrder(run, ns, before),
            () => change(run, ns, before, after),
            () => deleteAll(run, after),
        ),
        // kubectl keeps no record of its own: emptying the namespace (after every tool) is all there is to undo.
        recover: async () => undefined,
    };
}
