// What each step must leave, checked (untimed) the same way whichever tool ran it, as the cluster suite's admin:
// a deploy leaves the migration Job complete and every Deployment rolled out; a delete leaves nothing of the
// program's kinds and no Pod. Between tools the namespace is emptied as the cluster suite does after a test.
import { Cluster } from "../cluster/controlPlane";
import { byKind, emptyNamespace, managed, migrationJobs, notRolledOut, Obj } from "../cluster/objects";
import { ok } from "../shared/process";
import { Judge } from "./rounds";

/** The migration Job complete and every Deployment rolled out (what `kubectl rollout status` reads). */
export async function expectReady(cluster: Cluster, ns: string): Promise<void> {
    const objects = await managed(cluster, ns);
    const jobs = migrationJobs(objects);
    const complete = jobs.filter((j) => j.status?.conditions?.some((c: Obj) => c.type === "Complete" && c.status === "True"));
    if (jobs.length !== 1 || complete.length !== 1) throw new Error(`expected one complete migration Job in ${ns}, found ${jobs.map((j) => `${j.metadata.name} ${JSON.stringify(j.status)}`).join("; ") || "none"}`);
    const pending = notRolledOut(byKind(objects, "Deployment"));
    if (pending.length > 0) throw new Error(`Deployments not rolled out in ${ns}: ${pending.join("; ")}`);
}

async function podsIn(cluster: Cluster, ns: string): Promise<string[]> {
    return ok(await cluster.kubectl(["get", "pods", "-n", ns, "-o", "name"]), `kubectl get pods -n ${ns}`).stdout.split("\n").filter(Boolean);
}

/** Nothing of the program's kinds, and no Pod, left in the namespace. */
export async function expectGone(cluster: Cluster, ns: string): Promise<void> {
    const left = [...(await managed(cluster, ns)).map((o) => `${o.kind}/${o.metadata.name}`), ...(await podsIn(cluster, ns))];
    if (left.length > 0) throw new Error(`left in ${ns} after the delete: ${left.join(", ")}`);
}

/** The namespace emptied (objects/emptyNamespace), then until its last Pod is gone. */
async function emptied(cluster: Cluster, ns: string): Promise<void> {
    await emptyNamespace(cluster, ns);
    if ((await podsIn(cluster, ns)).length > 0) ok(await cluster.kubectl(["wait", "--for=delete", "pod", "--all", "-n", ns, "--timeout=120s"]), `waiting for the Pods in ${ns} to go`);
}

/** The checks after each step, and the clean-up between tools, for namespace `ns`. */
export function judgeOf(cluster: Cluster, ns: string): Judge {
    const ready = () => expectReady(cluster, ns);
    return {
        checks: { "from nothing": ready, "no change": ready, "one setting": ready, delete: () => expectGone(cluster, ns) },
        emptyNamespace: () => emptied(cluster, ns),
    };
}
