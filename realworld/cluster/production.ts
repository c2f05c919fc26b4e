// Production in the suite: its namespace (the cluster team's) and stack configured as CI does, its images
// looked up in the suite's registry, where what staging would have pushed is pushed first.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ciVariables, renderOffline, Workspace } from "../engine/harness";
import { ok } from "../shared/process";
import { initStack } from "../engine/support";
import { podSpecOf } from "../../util/podTemplates";
import { Cluster } from "./controlPlane";
import { deployerKubeconfig } from "./fixture";
import { Obj } from "./objects";
import { setConfig, useCluster } from "./workspace";

/** Where production's images live in the suite: a path in the suite's registry, as $CI_REGISTRY_IMAGE is in GitLab's. */
export function imageRepository(cluster: Cluster): string {
    return `${cluster.registry.host}/argus/argus-deploy`;
}

/**
 * The references production's program looks up (`<imageRepository>/<component>:<content tag>`), computed by
 * the program itself in the workspace's copy (realworld/cluster/lookups.ts, the offline render's mock runtime).
 */
export async function lookups(ws: Workspace, stack: string): Promise<string[]> {
    const r = ok(await ws.run("node", ["--require", "./scripts/register-ts.js", "realworld/cluster/lookups.ts", stack]), `lookups.ts ${stack}`);
    return JSON.parse(r.stdout) as string[];
}

/** Pushed image references -> the digest the registry reports for each (`crane digest`). */
export type Pushed = Record<string, string>;

/**
 * Every container (and init container) of production's Deployments, Jobs and CronJobs that runs one of our
 * images runs `<repository>/<component>@<digest>` with the digest the registry reported for the pushed
 * `<repository>/<component>:<tag>`; and both of them (argus, webui) run somewhere.
 */
export function expectImagesFromRegistry(objects: Obj[], repository: string, pushed: Pushed): void {
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

/**
 * Production's stack configured as CI does, deploying with production's identity into the cluster team's
 * namespace (fixture.ts made it: createNamespace false), its imageRepository in the suite's registry; then
 * what staging would have pushed: a test image under each reference the program will look up. Returns the
 * pushed references and digests.
 */
export async function prepareProduction(cluster: Cluster, ws: Workspace): Promise<Pushed> {
    useCluster(ws, cluster, deployerKubeconfig("production"));
    await initStack(ws, "production");
    const ci = ciVariables();
    await provideBackupVolume(cluster);
    await setConfig(ws, "production", { awaitIngresses: "false", imageRepository: imageRepository(cluster), registryUsername: ci.CI_REGISTRY_USER });
    for (const [key, value] of [
        ["registryPassword", ci.CI_REGISTRY_PASSWORD],
        ["databaseUrl", ci.ARGUS_DATABASE_URL],
        ["registryPullToken", ci.ARGUS_REGISTRY_PULL_TOKEN],
    ]) {
        ok(await ws.pulumi(["config", "set", "--secret", "--stack", "production", `argus:${key}`], { input: value }), `pulumi config set --secret argus:${key}`);
    }
    const references = await lookups(ws, "production");
    expect(references.map((r) => r.replace(/:[0-9a-f]{20}$/, ":<tag>"))).to.deep.equal(["argus", "webui"].map((c) => `${imageRepository(cluster)}/${c}:<tag>`));
    const pushed: Pushed = {};
    for (const reference of references) pushed[reference] = await cluster.registry.pushTestImage(reference);
    return pushed;
}

/**
 * The objects production's `pulumi up` makes, from the offline render of the workspace's copy (`config`
 * overriding the stack's settings, as PULUMI_CONFIG), with real values where the render redacts Secrets:
 * what production.test.ts and realworld/bench apply with kubectl (and Helm) against pulumi up.
 */
export function productionManifests(cluster: Cluster, ws: Workspace, config: Record<string, string> = {}): string {
    const ci = ciVariables();
    const out = fs.mkdtempSync(path.join(ws.tmp, "render-"));
    const render = renderOffline("production", out, { "argus:imageRepository": imageRepository(cluster), "argus:registryUsername": ci.CI_REGISTRY_USER, "argus:awaitIngresses": "false", ...config }, [], ws.dir);
    if (render.code !== 0) throw new Error(`the render:\n${render.output}`);
    return fs
        .readFileSync(path.join(out, "manifests.yaml"), "utf8")
        .replace(/\.dockerconfigjson: '\[secret\]'/g, `.dockerconfigjson: '{"auths":{"registry.example.org":{"auth":"c3VpdGU6c3VpdGU="}}}'`)
        .replace(/'\[secret\]'/g, "'cluster-suite-value'");
}

/**
 * The volume for production's backups' claim (on for production, components/backup): the suite's cluster has no
 * provisioner, so the cluster team's volume stands ready for it, as a static PersistentVolume bound to that claim.
 * Once a test emptied the namespace, the volume is Released (it keeps the gone claim's uid) and binds nothing:
 * made anew. Production's deploys through the pipeline suite need it too.
 */
export async function provideBackupVolume(cluster: Cluster, namespace = "argus", claim = "argus-backups"): Promise<void> {
    const name = `${namespace}-${claim}`;
    const pv = await cluster.get<{ status?: { phase?: string } }>(["persistentvolume", name]);
    if (pv?.status?.phase === "Released") ok(await cluster.kubectl(["delete", "persistentvolume", name, "--wait=true"]), `kubectl delete persistentvolume ${name}`);
    const volume = await cluster.kubectl(["apply", "-f", "-"], { input: backupVolume(namespace, claim) });
    if (volume.code !== 0) throw new Error(`the backups' PersistentVolume:\n${volume.output}`);
}

/** A static PersistentVolume reserved for one claim (claimRef), with no class, as a cluster without a provisioner needs. */
function backupVolume(namespace: string, claim: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `${namespace}-${claim}` },
        spec: {
            capacity: { storage: "5Gi" },
            accessModes: ["ReadWriteOnce"],
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "",
            claimRef: { namespace, name: claim },
            hostPath: { path: `/var/lib/argus-suite/${namespace}-${claim}` },
        },
    });
}
