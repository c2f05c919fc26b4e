// What the tests read from the cluster: the objects the program manages in a namespace, and what every
// update of a healthy stack must leave there.
import { expect } from "chai";
import { podSpecOf } from "../../util/podTemplates";
import { ok } from "../shared/process";
import { Cluster } from "./controlPlane";
import { kubectlName, NamedObject } from "./kubectl";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export const managedKinds = ["deployments.apps", "jobs.batch", "cronjobs.batch", "services", "ingresses.networking.k8s.io", "networkpolicies.networking.k8s.io", "poddisruptionbudgets.policy", "horizontalpodautoscalers.autoscaling", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims"];

/** Every object of the kinds the program makes in a namespace (kube-root-ca.crt and the default ServiceAccount excepted). */
export async function managed(cluster: Cluster, ns: string): Promise<Obj[]> {
    const list = await cluster.get<{ items: Obj[] }>([managedKinds.join(","), "-n", ns]);
    return (list?.items ?? []).filter((o) => !(o.kind === "ConfigMap" && o.metadata.name === "kube-root-ca.crt") && !(o.kind === "ServiceAccount" && o.metadata.name === "default"));
}

/**
 * Removes what a test left in an environment's namespace (the program's kinds, e.g. objects kubectl applied
 * or adopted), as the admin, waiting for their Pods to go (foreground deletion). The namespace stays: the
 * cluster team's, holding the deployer's Role and RoleBinding, which are not among these kinds; so do the
 * objects its controllers keep there (kube-root-ca.crt, the default ServiceAccount: `managed` leaves them out).
 */
export async function emptyNamespace(cluster: Cluster, ns: string): Promise<void> {
    const names = (await managed(cluster, ns)).map((o) => kubectlName(o as NamedObject));
    if (names.length === 0) return;
    ok(await cluster.kubectl(["delete", ...names, "-n", ns, "--cascade=foreground", "--wait=true", "--timeout=120s"]), `emptying ${ns}`);
}

export function byKind(objects: Obj[], kind: string): Obj[] {
    return objects.filter((o) => o.kind === kind);
}

/**
 * The migration Jobs the program made: not those the CronJobs start on their schedule (2.x: maintenance checks
 * every 5 minutes), nor the backup Job that runs before each (production, components/backup).
 */
export function migrationJobs(objects: Obj[]): Obj[] {
    return byKind(objects, "Job").filter((j) => !j.metadata.ownerReferences?.some((o: Obj) => o.kind === "CronJob") && j.metadata.labels?.["app.kubernetes.io/component"] !== "backup");
}

/** Deployments whose rollout is not complete (the condition `kubectl rollout status` reads). */
export function notRolledOut(deployments: Obj[]): string[] {
    return deployments
        .filter((d) => {
            const s = d.status ?? {};
            return s.observedGeneration !== d.metadata.generation || s.updatedReplicas !== d.spec.replicas || s.availableReplicas !== d.spec.replicas || (s.replicas ?? 0) !== d.spec.replicas;
        })
        .map((d) => `${d.metadata.name} ${JSON.stringify(d.status)}`);
}

/**
 * What every update of a healthy stack must leave: the migration Job complete; every Deployment and CronJob
 * that runs the Argus image and was created or rolled out by this update (since `since`, ms) created only
 * after the Job completed (timestamps have one-second resolution; the webui and the database run other
 * images and need no migration); every Deployment rolled out, every Service with a ready endpoint, the
 * namespace enforcing the `restricted` Pod Security level with no Pod violating it, and no Pod refused.
 */
export async function expectHealthy(cluster: Cluster, ns: string, since = 0): Promise<Obj[]> {
    const objects = await managed(cluster, ns);
    const jobs = migrationJobs(objects);
    expect(jobs.map((j) => j.metadata.name), "one migration Job").to.have.length(1);
    const job = jobs[0];
    expect(job.status?.conditions?.find((c: Obj) => c.type === "Complete")?.status, JSON.stringify(job.status)).to.equal("True");
    const done = Date.parse(job.status.completionTime);
    const argusImage = job.spec.template.spec.containers[0].image;
    const from = Math.floor(since / 1000) * 1000;
    const replicaSets = (await cluster.get<{ items: Obj[] }>(["replicasets.apps", "-n", ns]))!.items;
    const runsArgus = (spec: Obj) => JSON.stringify(spec).includes(argusImage);
    for (const d of byKind(objects, "Deployment").filter((d) => runsArgus(d.spec.template.spec))) {
        const revision = d.metadata.annotations?.["deployment.kubernetes.io/revision"];
        const current = replicaSets.find((rs) => rs.metadata.ownerReferences?.some((o: Obj) => o.uid === d.metadata.uid) && rs.metadata.annotations?.["deployment.kubernetes.io/revision"] === revision);
        const rolled = Date.parse(current?.metadata.creationTimestamp ?? d.metadata.creationTimestamp);
        if (rolled >= from) expect(rolled, `Deployment ${d.metadata.name} rolled out before the Job completed`).to.be.at.least(done);
    }
    for (const c of byKind(objects, "CronJob").filter((c) => runsArgus(podSpecOf(c)))) {
        const created = Date.parse(c.metadata.creationTimestamp);
        if (created >= from) expect(created, `CronJob ${c.metadata.name} created before the Job completed`).to.be.at.least(done);
    }
    expect(notRolledOut(byKind(objects, "Deployment"))).to.deep.equal([]);
    const slices = (await cluster.get<{ items: Obj[] }>(["endpointslices.discovery.k8s.io", "-n", ns]))!.items;
    for (const svc of byKind(objects, "Service")) {
        const ready = slices.filter((s) => s.metadata.labels?.["kubernetes.io/service-name"] === svc.metadata.name).flatMap((s) => s.endpoints ?? []).filter((e: Obj) => e.conditions?.ready);
        expect(ready.length, `ready endpoints of Service ${svc.metadata.name}`).to.be.greaterThan(0);
    }
    const namespace = (await cluster.get(["namespace", ns]))!;
    expect(namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    // A server-side dry run of the same label makes the API server check every existing Pod against the level
    // and warn about each that violates it (k8s.io/pod-security-admission v0.34.4, admission/admission.go,
    // ValidateNamespace: "existing pods in namespace ... violate the new PodSecurity enforce level").
    const dry = await cluster.kubectl(["label", "--dry-run=server", "--overwrite", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted"]);
    expect(dry.code, dry.output).to.equal(0);
    expect(dry.stderr).to.not.match(/violate|PodSecurity/i);
    const refused = await cluster.kubectl(["get", "events", "-n", ns, "--field-selector", "reason=FailedCreate", "-o", "name"]);
    expect(refused.stdout.trim(), "Pods refused").to.equal("");
    return objects;
}

/** kind/name -> resourceVersion of every managed object (and the namespace). */
export async function versions(cluster: Cluster, ns: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const o of await managed(cluster, ns)) out[`${o.kind}/${o.metadata.name}`] = o.metadata.resourceVersion;
    out[`Namespace/${ns}`] = (await cluster.get(["namespace", ns]))!.metadata.resourceVersion;
    return out;
}

/**
 * kind/name -> what changes only when the object's spec (or data) does: metadata.generation where the API server
 * keeps one, else the resourceVersion (controllers update a Deployment's or a PodDisruptionBudget's status,
 * which moves its resourceVersion but never its generation).
 */
export async function specVersions(cluster: Cluster, ns: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const o of await managed(cluster, ns)) out[`${o.kind}/${o.metadata.name}`] = String(o.metadata.generation ?? o.metadata.resourceVersion);
    return out;
}

/** Runs `run` (an update) and names what it changed in `ns`: every object whose specVersions entry moved. */
export async function specChangesOf<T>(cluster: Cluster, ns: string, run: () => Promise<T>): Promise<{ result: T; changed: string[] }> {
    const before = await specVersions(cluster, ns);
    const result = await run();
    const after = await specVersions(cluster, ns);
    return { result, changed: [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort() };
}

export function deploymentImagesAndLimits(objects: Obj[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of byKind(objects, "Deployment")) {
        out[d.metadata.name] = JSON.stringify(d.spec.template.spec.containers.map((c: Obj) => [c.name, c.image, c.resources?.limits?.memory]));
    }
    return out;
}
