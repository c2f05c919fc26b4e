// The cluster suite: the program run by the real engine (realworld/engine's harness: pulumi v3.248.0, the
// Node.js language host v3.68.0, pulumi-kubernetes 4.25.0, stand-ins for random and docker) against a real
// control plane (./cluster.ts: kube-apiserver v1.34.4 with etcd v3.6.5, the controller manager and the
// scheduler; kwok v0.7.0 fakes the node and the Pods). The API server validates, defaults and admits every
// object (Pod Security admission included); the kubernetes provider's await logic decides when an update is done.
// Production looks its images up in a real registry (Debian's docker-registry with TLS and a password), where
// crane pushed small test images under the references the program computes.
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ciVariables, renderOffline, Result, Workspace } from "../engine/harness";
import { initStack, tail, toLayout2 } from "../engine/support";
import { Cluster, failingMemoryLimit, slowJobSeconds, slowMemoryLimit } from "./cluster";
import { podSpecOf } from "../../util/podTemplates";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** What the suite measured, printed at the end (the README quotes it). */
const timings: string[] = [];
function timed(what: string, ms: number): void {
    timings.push(`${what}: ${(ms / 1000).toFixed(1)} s`);
}

async function clock<T>(fn: () => Promise<T>): Promise<[T, number]> {
    const start = Date.now();
    const result = await fn();
    return [result, Date.now() - start];
}

/** The last "Resources:" block of an update's output (the update's, not its preview's), as { created: 3, unchanged: 30 }. */
function summary(output: string): Record<string, number> {
    const at = output.lastIndexOf("Resources:\n");
    const block = at < 0 ? "" : /^Resources:\n((?:[ \t]+\S.*\n?)+)/.exec(output.slice(at))?.[1] ?? "";
    const out: Record<string, number> = {};
    for (const m of block.matchAll(/(\d+) (created|updated|replaced|deleted|unchanged|read|imported|discarded)\b/g)) out[m[2]] = Number(m[1]);
    return out;
}

/**
 * The CLI starts each plugin in a process group of its own (sdk/go/common/resource/plugin/plugin.go calls
 * cmdutil.RegisterProcessGroup, which sets Setpgid, at pulumi v3.248.0), so killing the CLI's group leaves
 * them running. Ends every process whose environment has this workspace's PULUMI_HOME (Linux /proc).
 */
function killPluginsOf(ws: Workspace): void {
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
 * The workspace's kubeconfig (realworld/engine points it at a closed port) is replaced by the cluster's, and
 * the docker stand-in asks the suite's registry (realworld/engine makes it answer offline), trusting its CA.
 */
function useCluster(ws: Workspace, cluster: Cluster): void {
    fs.writeFileSync(ws.env.KUBECONFIG, cluster.kubeconfigText(), { mode: 0o600 });
    delete ws.env.ARGUS_STANDIN_REGISTRY;
    ws.env.NODE_EXTRA_CA_CERTS = cluster.caFile;
}

/** Where production's images live in the suite: a path in the suite's registry, as $CI_REGISTRY_IMAGE is in GitLab's. */
function imageRepository(cluster: Cluster): string {
    return `${cluster.registry}/argus/argus-deploy`;
}

/**
 * The references production's program looks up (`<imageRepository>/<component>:<content tag>`), computed by
 * the program itself in the workspace's copy (realworld/cluster/lookups.ts, the offline render's mock runtime).
 */
async function lookups(ws: Workspace, stack: string): Promise<string[]> {
    const r = await ws.run("node", ["--require", "./scripts/register-ts.js", "realworld/cluster/lookups.ts", stack]);
    if (r.code !== 0) throw new Error(`lookups.ts ${stack}: ${r.output}`);
    return JSON.parse(r.stdout) as string[];
}

/** Pushed image references -> the digest the registry reports for each (`crane digest`). */
type Pushed = Record<string, string>;

/**
 * Every container (and init container) of production's Deployments, Jobs and CronJobs that runs one of our
 * images runs `<repository>/<component>@<digest>` with the digest the registry reported for the pushed
 * `<repository>/<component>:<tag>`; and both of them (argus, webui) run somewhere.
 */
function expectImagesFromRegistry(objects: Obj[], repository: string, pushed: Pushed): void {
    const expected = Object.entries(pushed).map(([reference, digest]) => `${reference.slice(0, reference.lastIndexOf(":"))}@${digest}`);
    const ours: string[] = [];
    for (const o of objects.filter((o) => ["Deployment", "Job", "CronJob"].includes(o.kind))) {
        const spec = podSpecOf(o);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
            if (c.image.startsWith(`${repository}/`)) ours.push(c.image);
        }
    }
    for (const image of ours) expect(expected.includes(image), `${image} runs, the registry reported ${expected.join(" and ")}`).to.equal(true);
    expect([...new Set(ours)].sort(), "each pushed image runs").to.deep.equal([...expected].sort());
}

async function config(ws: Workspace, stack: string, values: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
        const r = await ws.pulumi(["config", "set", "--stack", stack, `argus:${key}`, "--", value]);
        if (r.code !== 0) throw new Error(r.output);
    }
}

async function up(ws: Workspace, stack: string): Promise<Result> {
    return ws.pulumi(["up", "--yes", "--non-interactive", "--stack", stack], { timeoutMs: 600_000 });
}

const managedKinds = ["deployments.apps", "jobs.batch", "cronjobs.batch", "services", "ingresses.networking.k8s.io", "networkpolicies.networking.k8s.io", "poddisruptionbudgets.policy", "configmaps", "secrets", "serviceaccounts"];

/** Every object of the kinds the program makes in a namespace (kube-root-ca.crt and the default ServiceAccount excepted). */
async function managed(cluster: Cluster, ns: string): Promise<Obj[]> {
    const list = await cluster.get<{ items: Obj[] }>([managedKinds.join(","), "-n", ns]);
    return (list?.items ?? []).filter((o) => !(o.kind === "ConfigMap" && o.metadata.name === "kube-root-ca.crt") && !(o.kind === "ServiceAccount" && o.metadata.name === "default"));
}

function byKind(objects: Obj[], kind: string): Obj[] {
    return objects.filter((o) => o.kind === kind);
}

/** The Jobs the program made: not those the CronJobs start on their schedule (2.x: maintenance checks every 5 minutes). */
function migrationJobs(objects: Obj[]): Obj[] {
    return byKind(objects, "Job").filter((j) => !j.metadata.ownerReferences?.some((o: Obj) => o.kind === "CronJob"));
}

/** Deployments whose rollout is not complete (the condition `kubectl rollout status` reads). */
function notRolledOut(deployments: Obj[]): string[] {
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
async function expectHealthy(cluster: Cluster, ns: string, since = 0): Promise<Obj[]> {
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
async function versions(cluster: Cluster, ns: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const o of await managed(cluster, ns)) out[`${o.kind}/${o.metadata.name}`] = o.metadata.resourceVersion;
    out[`Namespace/${ns}`] = (await cluster.get(["namespace", ns]))!.metadata.resourceVersion;
    return out;
}

function deploymentImagesAndLimits(objects: Obj[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of byKind(objects, "Deployment")) {
        out[d.metadata.name] = JSON.stringify(d.spec.template.spec.containers.map((c: Obj) => [c.name, c.image, c.resources?.limits?.memory]));
    }
    return out;
}

/**
 * Production's namespace (the cluster team's: createNamespace false), labelled restricted, and its stack
 * configured as CI does, its imageRepository in the suite's registry; then what staging would have pushed:
 * a test image under each reference the program will look up. Returns the pushed references and digests.
 */
async function prepareProduction(cluster: Cluster, ws: Workspace): Promise<Pushed> {
    useCluster(ws, cluster);
    const nsYaml = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argus\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n`;
    const created = await cluster.kubectl(["apply", "-f", "-"], { input: nsYaml });
    if (created.code !== 0) throw new Error(created.output);
    await initStack(ws, "production");
    const ci = ciVariables();
    await config(ws, "production", { awaitIngresses: "false", imageRepository: imageRepository(cluster), registryUsername: ci.CI_REGISTRY_USER });
    for (const [key, value] of [
        ["registryPassword", ci.CI_REGISTRY_PASSWORD],
        ["databaseUrl", ci.ARGUS_DATABASE_URL],
        ["registryPullToken", ci.ARGUS_REGISTRY_PULL_TOKEN],
    ]) {
        const r = await ws.pulumi(["config", "set", "--secret", "--stack", "production", `argus:${key}`], { input: value });
        if (r.code !== 0) throw new Error(r.output);
    }
    const references = await lookups(ws, "production");
    expect(references.map((r) => r.replace(/:[0-9a-f]{20}$/, ":<tag>"))).to.deep.equal(["argus", "webui"].map((c) => `${imageRepository(cluster)}/${c}:<tag>`));
    const pushed: Pushed = {};
    for (const reference of references) pushed[reference] = await cluster.pushTestImage(reference);
    return pushed;
}

/**
 * The objects of the deployment we replace (argus-k8s-examples' shape, docs/operations.md "Move from the YAML
 * deployment"): under our fixed names, with their own selectors, ports, labels and annotations.
 */
const oldTemplates = `apiVersion: v1
kind: ServiceAccount
metadata: {name: argus, namespace: argus, labels: {legacy: "yes"}}
automountServiceAccountToken: true
---
apiVersion: v1
kind: Service
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}}
spec:
  selector: {app: argus-api}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: argus-webui, namespace: argus, labels: {legacy: "yes"}}
spec:
  selector: {app: argus-webui}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}, annotations: {legacy.example.org/owner: yaml}}
spec:
  rules:
  - host: api.argus.uninett.no
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: argus-api, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: argus-webui, namespace: argus, labels: {legacy: "yes"}}
spec:
  rules:
  - host: argus.uninett.no
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: argus-webui, port: {number: 80}}}}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}}
spec:
  replicas: 1
  selector: {matchLabels: {app: argus-api}}
  template:
    metadata: {labels: {app: argus-api}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: django
        image: registry.example.org/argus/old:1
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

describe("against a real control plane (kube-apiserver v1.34.4, etcd v3.6.5, kwok v0.7.0) with the real engine", function () {
    let cluster: Cluster;
    before(async function () {
        this.timeout(180_000);
        const ci = ciVariables();
        const [c, ms] = await clock(() => Cluster.start({ username: ci.CI_REGISTRY_USER, password: ci.CI_REGISTRY_PASSWORD }));
        cluster = c;
        timed("control plane start (etcd, API server, controller manager, scheduler, kwok and its node Ready; the registry)", ms);
    });
    after(async () => {
        await cluster?.stop();
        console.log(`\n    Timings:\n${timings.map((t) => `      ${t}`).join("\n")}\n`);
    });
    afterEach(function () {
        if (this.currentTest?.state === "failed" && cluster) console.log(cluster.logTails(8));
    });

    describe("a review stack through ci/stack.sh, as the merge-request pipeline runs it", () => {
        const stack = "review-5";
        const ns = "argus-review-5";
        let ws: Workspace;
        before(async () => {
            ws = await Workspace.create();
            useCluster(ws, cluster);
            // ci/stack.sh creates a review stack when missing; made first here for one key the template lacks:
            // Ingress await waits for the controller's address (no controller here), which the config allows off.
            const init = await ws.pulumi(["stack", "init", stack, "--non-interactive"]);
            expect(init.code, init.output).to.equal(0);
            await config(ws, stack, { awaitIngresses: "false" });
        });
        after(() => ws?.dispose());

        let firstObjects: Obj[] = [];
        it("1. from nothing: every object created, the migration Job complete before any Deployment, Deployments available, Pod Security admits every Pod", async () => {
            const since = Date.now();
            const [result, ms] = await clock(() => ws.stackSh(stack, "up"));
            timed("review-5: ci/stack.sh up from nothing (configure + pulumi up)", ms);
            expect(result.code, tail(result)).to.equal(0);
            const s = summary(result.output);
            expect(s.created, JSON.stringify(s)).to.be.greaterThan(20);
            firstObjects = await expectHealthy(cluster, ns, since);
            const kinds = new Set(firstObjects.map((o) => o.kind));
            for (const kind of ["Deployment", "Job", "Service", "Ingress", "NetworkPolicy", "ConfigMap", "Secret", "ServiceAccount"]) {
                expect(kinds.has(kind), `a ${kind} in ${ns}`).to.equal(true);
            }
            const pull = firstObjects.find((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson");
            expect(pull, "the image-pull Secret, admitted as a real dockerconfigjson").to.not.equal(undefined);
            // The review app's own PostgreSQL (a Deployment, available above, its Pod admitted under restricted),
            // reached only by this stack's Argus Pods.
            const database = firstObjects.find((o) => o.kind === "Deployment" && o.metadata.name === `${ns}-database`);
            expect(database?.status?.availableReplicas, "the review app's own database, available").to.equal(1);
            expect(database!.spec.template.spec.containers[0].securityContext).to.deep.include({ runAsUser: 999, readOnlyRootFilesystem: true });
            expect(firstObjects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === `${ns}-database`), "the database's NetworkPolicy").to.equal(true);
        });

        it("2. a second up with no change: 0 changes and no object in the cluster touched", async () => {
            const before = await versions(cluster, ns);
            const [result, ms] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up with no change", ms);
            expect(result.code, tail(result)).to.equal(0);
            const s = summary(result.output);
            expect(Object.keys(s), JSON.stringify(s)).to.deep.equal(["unchanged"]);
            expect(await versions(cluster, ns)).to.deep.equal(before);
        });

        it("3. a settings change rolls the Pods under a new settings ConfigMap name, after the migration Job ran again", async () => {
            const settingsBefore = byKind(firstObjects, "ConfigMap").map((c) => c.metadata.name).filter((n) => n.includes("runtime-settings"));
            expect(settingsBefore).to.have.length(1);
            await config(ws, stack, { timeZone: "UTC" });
            const since = Date.now();
            const [result, ms] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up of a settings change (timeZone)", ms);
            expect(result.code, tail(result)).to.equal(0);
            const objects = await expectHealthy(cluster, ns, since);
            const settings = byKind(objects, "ConfigMap").filter((c) => c.metadata.name.includes("runtime-settings"));
            expect(settings.map((c) => c.metadata.name), "the old ConfigMap deleted, a new name").to.have.length(1);
            expect(settings[0].metadata.name).to.not.equal(settingsBefore[0]);
            expect(settings[0].data.TIME_ZONE ?? JSON.stringify(settings[0].data)).to.include("UTC");
            const api = byKind(objects, "Deployment").find((d) => d.metadata.name.includes("api"))!;
            expect(JSON.stringify(api.spec.template.spec)).to.include(settings[0].metadata.name);
            // Every Pod that reads a settings ConfigMap (not the database's or the webui's) reads the new one.
            const pods = (await cluster.get<{ items: Obj[] }>(["pods", "-n", ns]))!.items.filter((p) => JSON.stringify(p.spec).includes("-runtime-settings-"));
            expect(pods.length).to.be.greaterThan(0);
            for (const pod of pods) expect(JSON.stringify(pod.spec), `Pod ${pod.metadata.name} runs the new settings`).to.include(settings[0].metadata.name);
        });

        it("4. apiReplicas 1 to 3 moves redis out of the api Pods into the shared redis Deployment", async () => {
            await config(ws, stack, { apiReplicas: "3" });
            const since = Date.now();
            const [result, ms] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up of apiReplicas 1 -> 3", ms);
            expect(result.code, tail(result)).to.equal(0);
            const objects = await expectHealthy(cluster, ns, since);
            const deployments = byKind(objects, "Deployment");
            const api = deployments.find((d) => /-api$|-api-/.test(d.metadata.name) && !d.metadata.name.includes("redis"))!;
            const redis = deployments.find((d) => d.metadata.name.includes("redis"));
            expect(api.spec.replicas).to.equal(3);
            expect(api.spec.template.spec.containers.map((c: Obj) => c.name)).to.not.include("redis");
            expect(redis, `a shared redis Deployment among ${deployments.map((d) => d.metadata.name)}`).to.not.equal(undefined);
            expect(redis!.status.availableReplicas).to.equal(1);
            expect(byKind(objects, "Service").some((s) => s.metadata.name.includes("redis"))).to.equal(true);
        });

        it("4b. a new Argus image (an extra Python package) runs a new migration Job, named after its content tag, before the rollout", async () => {
            const before = migrationJobs(await managed(cluster, ns)).map((j) => j.metadata.name);
            await config(ws, stack, { extraPythonPackages: "argus-ticket-rt==1.1.0" });
            const since = Date.now();
            const [result, ms] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up of a new Argus image", ms);
            expect(result.code, tail(result)).to.equal(0);
            const objects = await expectHealthy(cluster, ns, since);
            const job = migrationJobs(objects)[0];
            expect(before).to.not.include(job.metadata.name);
            const api = byKind(objects, "Deployment").find((d) => d.metadata.name === `${ns}-api`)!;
            expect(api.spec.template.spec.containers.map((c: Obj) => c.image)).to.include(job.spec.template.spec.containers[0].image);
        });

        it("5. a migration Job whose Pod fails stops the update with the Deployments untouched; the next up after the fix completes", async () => {
            const before = deploymentImagesAndLimits(await managed(cluster, ns));
            // django's memory limit reaches the migration Pod (components/instance.ts, migrationResources); kwok
            // fails a Job's Pods with this limit (realworld/cluster/cluster.ts).
            await config(ws, stack, { resourceOverrides: `django.memory=256Mi/${failingMemoryLimit}` });
            const [failed, ms] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up with a failing migration Job (backoffLimit 2, the Job controller's back-off)", ms);
            expect(failed.code, tail(failed)).to.not.equal(0);
            expect(failed.output).to.match(/migrate/);
            const objects = await managed(cluster, ns);
            const job = migrationJobs(objects)[0];
            expect(job.status?.conditions?.find((c: Obj) => c.type === "Failed")?.status, JSON.stringify(job.status)).to.equal("True");
            expect(deploymentImagesAndLimits(objects), "the Deployments as before the failed update").to.deep.equal(before);
            expect(notRolledOut(byKind(objects, "Deployment"))).to.deep.equal([]);

            await config(ws, stack, { resourceOverrides: "" });
            const since = Date.now();
            const [fixed, ms2] = await clock(() => up(ws, stack));
            timed("review-5: pulumi up after the fix (the failed Job replaced)", ms2);
            expect(fixed.code, tail(fixed)).to.equal(0);
            await expectHealthy(cluster, ns, since);
        });

        it("6. a deploy killed while the migration Job is awaited recovers with docs/operations.md's procedure", async () => {
            await config(ws, stack, { resourceOverrides: `django.memory=256Mi/${slowMemoryLimit}` });
            const child: ChildProcess = spawn("pulumi", ["up", "--yes", "--non-interactive", "--stack", stack], { cwd: ws.dir, env: ws.env, detached: true, stdio: "ignore" });
            const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
            try {
                // Kill the CLI (its whole process group, as a cancelled CI job is) once the slow Job exists.
                const deadline = Date.now() + 120_000;
                let jobName = "";
                while (!jobName && Date.now() < deadline) {
                    const jobs = (await cluster.get<{ items: Obj[] }>(["jobs", "-n", ns]))!.items;
                    jobName = jobs.find((j) => JSON.stringify(j.spec.template.spec).includes(slowMemoryLimit))?.metadata.name ?? "";
                    if (!jobName) await new Promise((r) => setTimeout(r, 200));
                }
                expect(jobName, "the slow Job created").to.not.equal("");
                process.kill(-child.pid!, "SIGKILL");
                await exited;
                killPluginsOf(ws);
                const state = await ws.pulumi(["stack", "export", "--stack", stack]);
                expect(JSON.parse(state.stdout).deployment.pending_operations?.length ?? 0, "a pending operation in the state").to.be.greaterThan(0);

                // A killed CLI leaves its lock in a self-managed backend: the next command says "the stack is
                // currently locked ... delete the lock file with `pulumi cancel`" (pkg/backend/diy/lock.go at
                // v3.248.0; CancelCurrentUpdate in backend.go deletes the lock files). docs/operations.md's
                // procedure does not say so: this step is ours.
                const cancel = await ws.pulumi(["cancel", "--yes", "--non-interactive", "--stack", stack]);
                expect(cancel.code, cancel.output).to.equal(0);
                // docs/operations.md, "A deploy cancelled or killed while the migration Job runs".
                const del = await cluster.kubectl(["-n", ns, "delete", "job", jobName, "--wait=true"]);
                expect(del.code, del.output).to.equal(0);
                const refresh = await ws.pulumi(["refresh", "--yes", "--non-interactive", "--clear-pending-creates", "--stack", stack]);
                expect(refresh.code, tail(refresh)).to.equal(0);
                const since = Date.now();
                const [again, ms] = await clock(() => up(ws, stack));
                timed(`review-5: pulumi up after the documented recovery (a migration Job of ${slowJobSeconds} s)`, ms);
                expect(again.code, tail(again)).to.equal(0);
                expect(again.output).to.not.match(/AlreadyExists/);
                await expectHealthy(cluster, ns, since);
            } finally {
                try {
                    process.kill(-child.pid!, "SIGKILL");
                } catch {
                    // exited
                }
                killPluginsOf(ws);
            }
        });

        it("7. teardown: ci/stack.sh review-5 destroy removes every object, the namespace and the stack", async () => {
            const [result, ms] = await clock(() => ws.stackSh(stack, "destroy"));
            timed("review-5: ci/stack.sh destroy", ms);
            expect(result.code, tail(result)).to.equal(0);
            expect(await cluster.get(["namespace", ns]), "the namespace is gone").to.equal(undefined);
            const left = await cluster.get<{ items: Obj[] }>([managedKinds.join(","), "-A", "-l", `app.kubernetes.io/instance=${ns}`]);
            expect(left!.items.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
            const stacks = await ws.pulumi(["stack", "ls", "--json"]);
            expect((JSON.parse(stacks.stdout) as { name: string }[]).map((s) => s.name)).to.not.include(stack);
        });
    });

    describe("upgrade: a 1.x review stack moved to 2.x as docs/operations.md's \"Upgrade to Argus 2.x\" says", () => {
        it("10. 1.37.0, then the Ingresses off, then 2.9.1 with the 1.x keys removed: the 1.x objects go, web, worker and CronJobs start after the migration Job", async () => {
            const stack = "review-6";
            const ns = "argus-review-6";
            const ws = await Workspace.create();
            try {
                useCluster(ws, cluster);
                const init = await ws.pulumi(["stack", "init", stack, "--non-interactive"]);
                expect(init.code, init.output).to.equal(0);
                await config(ws, stack, { awaitIngresses: "false" });
                // Step 2: 1.37.0, the default.
                const first = await ws.stackSh(stack, "up");
                expect(first.code, tail(first)).to.equal(0);
                const old = await expectHealthy(cluster, ns);
                const oldDeployments = byKind(old, "Deployment").map((d) => d.metadata.name);
                expect(oldDeployments).to.include(`${ns}-webui`);
                // Step 3: the Ingresses off for one deploy.
                await config(ws, stack, { webuiIngress: "false", apiIngress: "false" });
                const off = await up(ws, stack);
                expect(off.code, tail(off)).to.equal(0);
                expect(byKind(await managed(cluster, ns), "Ingress")).to.deep.equal([]);
                // Step 4: 2.9.1, the 1.x-only keys removed (realworld/engine/support.ts toLayout2), the Ingresses back.
                toLayout2(path.join(ws.dir, `Pulumi.${stack}.yaml`));
                for (const key of ["webuiIngress", "apiIngress"]) {
                    const rm = await ws.pulumi(["config", "rm", "--stack", stack, `argus:${key}`]);
                    expect(rm.code, rm.output).to.equal(0);
                }
                const since = Date.now();
                const [to2, ms] = await clock(() => ws.stackSh(stack, "up"));
                timed("review-6: ci/stack.sh up from 1.37.0 to 2.9.1", ms);
                expect(to2.code, tail(to2)).to.equal(0);
                const objects = await expectHealthy(cluster, ns, since);
                const deployments = byKind(objects, "Deployment").map((d) => d.metadata.name);
                expect(deployments.sort(), "the api and the webui gone; web and worker").to.deep.equal([`${ns}-database`, `${ns}-web`, `${ns}-worker`]);
                expect(deployments.some((n) => n.includes("worker")), `a worker among ${deployments}`).to.equal(true);
                expect(byKind(objects, "CronJob").length, "the housekeeping CronJobs").to.be.greaterThan(0);
                expect(byKind(objects, "Ingress").length).to.be.greaterThan(0);
                expect(migrationJobs(objects)[0].metadata.name, "a new migration Job for the 2.9.1 image").to.not.equal(migrationJobs(old)[0].metadata.name);
                const destroy = await ws.stackSh(stack, "destroy");
                expect(destroy.code, tail(destroy)).to.equal(0);
                expect(await cluster.get(["namespace", ns])).to.equal(undefined);
            } finally {
                ws.dispose();
            }
        });
    });

    describe("production: pulumi up against kubectl apply --server-side of the render, on the same control plane", () => {
        it("8. from nothing and with no change, then the same manifests with kubectl: times and ratio", async () => {
            const ws = await Workspace.create();
            try {
                const ns = "argus";
                const pushed = await prepareProduction(cluster, ws);
                const ci = ciVariables();
                const since = Date.now();
                const [first, upMs] = await clock(() => up(ws, "production"));
                expect(first.code, tail(first)).to.equal(0);
                const created = summary(first.output).created;
                const objects = await expectHealthy(cluster, ns, since);
                expectImagesFromRegistry(objects, imageRepository(cluster), pushed);
                expect(byKind(objects, "PodDisruptionBudget").length, "PDBs in production").to.be.greaterThan(0);
                const before = await versions(cluster, ns);
                const [second, noChangeMs] = await clock(() => up(ws, "production"));
                expect(second.code, tail(second)).to.equal(0);
                expect(Object.keys(summary(second.output))).to.deep.equal(["unchanged"]);
                expect(await versions(cluster, ns), "a no-change update touches nothing").to.deep.equal(before);
                const destroy = await ws.pulumi(["destroy", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000 });
                expect(destroy.code, tail(destroy)).to.equal(0);

                // The same objects from the offline render, with real values where the render redacts Secrets.
                const out = path.join(ws.tmp, "render");
                const render = renderOffline("production", out, { "argus:imageRepository": imageRepository(cluster), "argus:registryUsername": ci.CI_REGISTRY_USER, "argus:awaitIngresses": "false" }, [], ws.dir);
                expect(render.code, render.output).to.equal(0);
                const manifests = fs
                    .readFileSync(path.join(out, "manifests.yaml"), "utf8")
                    .replace(/\.dockerconfigjson: '\[secret\]'/g, `.dockerconfigjson: '{"auths":{"registry.example.org":{"auth":"c3VpdGU6c3VpdGU="}}}'`)
                    .replace(/'\[secret\]'/g, "'cluster-suite-value'");
                const file = path.join(ws.tmp, "manifests.yaml");
                fs.writeFileSync(file, manifests);
                const jobName = /kind: Job\nmetadata:\n(?:  .*\n)*?  name: (\S+)/.exec(manifests)?.[1];
                expect(jobName, "the Job in the render").to.be.a("string");
                const kubectlRun = async () => {
                    const apply = await cluster.kubectl(["apply", "--server-side", "--field-manager=cluster-suite", "-f", file]);
                    expect(apply.code, apply.output).to.equal(0);
                    const job = await cluster.kubectl(["wait", "-n", ns, "--for=condition=complete", `job/${jobName}`, "--timeout=300s"]);
                    expect(job.code, job.output).to.equal(0);
                    const deps = await cluster.kubectl(["wait", "-n", ns, "--for=condition=available", "deployment", "--all", "--timeout=300s"]);
                    expect(deps.code, deps.output).to.equal(0);
                };
                const [, kubectlMs] = await clock(kubectlRun);
                await expectHealthy(cluster, ns).catch((err) => {
                    // kubectl creates the Deployments with the Job, not after it: only the ordering may differ.
                    if (!/before the Job completed/.test(String(err))) throw err;
                });
                const [, kubectlAgainMs] = await clock(kubectlRun);
                timed(`production: pulumi up from nothing (${created} created)`, upMs);
                timed("production: pulumi up with no change", noChangeMs);
                timed("production: kubectl apply --server-side + wait for the Job + rollout status, from nothing", kubectlMs);
                timed("production: the same kubectl run again (no change)", kubectlAgainMs);
                timings.push(`production: ratio pulumi/kubectl from nothing ${(upMs / kubectlMs).toFixed(1)}x, with no change ${(noChangeMs / kubectlAgainMs).toFixed(1)}x`);
                await cluster.kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=120s"]);
            } finally {
                ws.dispose();
            }
        });
        it("9. adoption: objects kubectl applied from the old templates' shape are taken over by adoptExistingObjects, as docs/operations.md says", async () => {
            const ws = await Workspace.create();
            try {
                await cluster.kubectl(["delete", "namespace", "argus", "--ignore-not-found", "--wait=true", "--timeout=120s"]);
                const pushed = await prepareProduction(cluster, ws);
                const applied = await cluster.kubectl(["apply", "-f", "-"], { input: oldTemplates });
                expect(applied.code, applied.output).to.equal(0);
                // Step 2: the old Deployments go (their selector is immutable and differs from ours).
                expect((await cluster.kubectl(["-n", "argus", "delete", "deployment", "argus-api", "--wait=true"])).code).to.equal(0);
                await config(ws, "production", { adoptExistingObjects: "true" });
                // The program forces field conflicts with the provider option enablePatchForce (components/
                // cluster.ts, read in pulumi-kubernetes 4.32.0). The plugin built here, 4.25.0, has no such option:
                // its patchForce (provider/pkg/await/await.go at v4.25.0) forces only for the pulumi.com/patchForce
                // annotation, a preview, or PULUMI_K8S_ENABLE_PATCH_FORCE; and it always upserts on create with
                // server-side apply (same file, Creation). So this plugin refuses kubectl's fields, as the operations
                // guide says an up without forcing does, and takes them over with the variable set.
                const conflict = await up(ws, "production");
                expect(conflict.code, tail(conflict)).to.not.equal(0);
                expect(conflict.output).to.include("Server-Side Apply field conflict");
                const since = Date.now();
                const [adopt, ms] = await clock(() => ws.pulumi(["up", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000, env: { PULUMI_K8S_ENABLE_PATCH_FORCE: "true" } }));
                timed("production: pulumi up adopting the old objects (forced as 4.25.0 can)", ms);
                expect(adopt.code, tail(adopt)).to.equal(0);
                const objects = await expectHealthy(cluster, "argus", since);
                expectImagesFromRegistry(objects, imageRepository(cluster), pushed);
                const api = objects.find((o) => o.kind === "Service" && o.metadata.name === "argus-api")!;
                const apiDeployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-api")!;
                expect(api.spec.selector, "our selector took over").to.deep.equal(apiDeployment.spec.selector.matchLabels);
                expect(api.metadata.labels.legacy, "a label only the old templates set stays").to.equal("yes");
                const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "argus")!;
                expect(sa.automountServiceAccountToken).to.equal(false);
                const ingress = objects.find((o) => o.kind === "Ingress" && o.metadata.name === "argus-api")!;
                expect(ingress.spec.tls, "our TLS section").to.not.equal(undefined);
                // Step 5: adoption off again; the next update works and the one after it changes nothing.
                const rm = await ws.pulumi(["config", "rm", "--stack", "production", "argus:adoptExistingObjects"]);
                expect(rm.code, rm.output).to.equal(0);
                const after = await up(ws, "production");
                expect(after.code, tail(after)).to.equal(0);
                const again = await up(ws, "production");
                expect(again.code, tail(again)).to.equal(0);
                expect(Object.keys(summary(again.output)), tail(again)).to.deep.equal(["unchanged"]);
                const destroy = await ws.pulumi(["destroy", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000 });
                expect(destroy.code, tail(destroy)).to.equal(0);
                await cluster.kubectl(["delete", "namespace", "argus", "--wait=true", "--timeout=120s"]);
            } finally {
                ws.dispose();
            }
        });
        it("11. an image staging never pushed: pulumi up fails at the registry look-up, naming the reference and the 404, and creates nothing", async () => {
            const ws = await Workspace.create();
            try {
                await cluster.kubectl(["delete", "namespace", "argus", "--ignore-not-found", "--wait=true", "--timeout=120s"]);
                const pushed = await prepareProduction(cluster, ws);
                // Another frontend release: another webui build, so another content tag, which nobody pushed.
                await config(ws, "production", { frontendVersion: "v1.13.0" });
                const missing = (await lookups(ws, "production")).filter((r) => !(r in pushed));
                expect(missing.map((r) => r.replace(/:[0-9a-f]{20}$/, ":<tag>")), "only the webui's tag differs").to.deep.equal([`${imageRepository(cluster)}/webui:<tag>`]);
                const failed = await up(ws, "production");
                expect(failed.code, tail(failed)).to.not.equal(0);
                // The real provider's wording (data_source_docker_registry_image.go, kreuzwerker v3.9.0): the
                // repository without the registry host, then the registry's status.
                const named = missing[0].slice(cluster.registry.length + 1);
                expect(failed.output).to.include(`Got error when attempting to fetch image version ${named} from registry: got bad response from registry: 404 Not Found`);
                expect(await managed(cluster, "argus"), "nothing created in the namespace").to.deep.equal([]);
                const state = await ws.pulumi(["stack", "export", "--stack", "production"]);
                expect(state.code, state.output).to.equal(0);
                expect(JSON.parse(state.stdout).deployment?.resources ?? [], "no resource in the state").to.deep.equal([]);
                await cluster.kubectl(["delete", "namespace", "argus", "--wait=true", "--timeout=120s"]);
            } finally {
                ws.dispose();
            }
        });
    });
});
