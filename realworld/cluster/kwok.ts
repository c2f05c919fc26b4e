// kwok v0.7.0 plays the one node and the lifecycle of its Pods (no container ever runs): its Pod stages
// (upstream's and two of ours that fail or slow a Job's Pods, chosen by a memory limit) and the Node it manages.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { repoRoot } from "../shared/paths";
import { Kubectl } from "./kubectl";

/** The memory limit that makes kwok fail a Job's Pods (the failure stage below); a resourceOverrides value sets it. */
export const failingMemoryLimit = "333Mi";
/** The memory limit that makes a Job's Pods complete only after `slowJobSeconds` (a migration that takes a while). */
export const slowMemoryLimit = "334Mi";
export const slowJobSeconds = 25;

/** The name of the one Node kwok manages. */
export const nodeName = "kwok-node-0";

/**
 * kwok's Pod stages: upstream's fast stages at the version built (kustomize/stage/pod/fast/ of
 * sigs.k8s.io/kwok v0.7.0, from the Go module cache, downloaded if missing: pod-ready makes a scheduled Pod Running and Ready,
 * pod-complete makes a Running Pod owned by a Job Succeeded, pod-delete removes a Pod being deleted), plus two
 * of ours derived from pod-complete: a Job's Pod fails when a container's memory limit is `failingMemoryLimit`,
 * and completes only after `slowJobSeconds` when it is `slowMemoryLimit` (stage `delay`).
 * Given any Pod stage, kwok uses only the configured ones (pkg/kwok/cmd/root.go at v0.7.0, runE). When
 * several stages match, kwok draws one by weight and skips those of weight 0 (pkg/utils/lifecycle/
 * lifecycle.go, Match): pod-complete has none, ours 10000, so ours always wins. A `[]` in a selector key
 * matches when any element has the value (pkg/utils/expression/selector.go, hasValues).
 */
export function kwokStages(): string {
    const goEnv = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOFLAGS: "-mod=mod" };
    // `go mod download` fetches the module when the cache lacks it (tools built earlier, Go caches not kept);
    // `go list -m` would name a folder that does not exist then.
    const downloaded = execFileSync("go", ["mod", "download", "-json", "sigs.k8s.io/kwok"], { cwd: path.join(repoRoot, "tools", "kwok"), env: goEnv, encoding: "utf8" });
    const dir = (JSON.parse(downloaded) as { Dir?: string }).Dir;
    if (!dir) throw new Error(`go mod download sigs.k8s.io/kwok gave no folder: ${downloaded}`);
    const upstream = (f: string) => yaml.load(fs.readFileSync(path.join(dir, "kustomize", "stage", "pod", "fast", f), "utf8")) as Stage;
    const complete = upstream("pod-complete.yaml");
    const memoryIs = (limit: string) => ({ key: ".spec.containers.[].resources.limits.memory", operator: "In", values: [limit] });
    // A Job's Pod with the failing limit: Failed, its containers terminated with exit code 1.
    const fail: Stage = {
        ...complete,
        metadata: { name: "argus-suite-job-pod-fail" },
        spec: {
            ...complete.spec,
            selector: { matchExpressions: [...complete.spec.selector.matchExpressions, memoryIs(failingMemoryLimit)] },
            weight: 10000,
            next: { statusTemplate: complete.spec.next.statusTemplate.replace("exitCode: 0", "exitCode: 1").replace("reason: Completed", "reason: Error").replace("phase: Succeeded", "phase: Failed") },
        },
    };
    // A Job's Pod with the slow limit: upstream's pod-complete, after `slowJobSeconds`.
    const slow: Stage = {
        ...complete,
        metadata: { name: "argus-suite-job-pod-slow" },
        spec: {
            ...complete.spec,
            selector: { matchExpressions: [...complete.spec.selector.matchExpressions, memoryIs(slowMemoryLimit)] },
            weight: 10000,
            delay: { durationMilliseconds: slowJobSeconds * 1000 },
        },
    };
    if (!fail.spec.next.statusTemplate.includes("phase: Failed")) throw new Error("kwok's pod-complete stage changed: the failure stage cannot be derived from it");
    return [upstream("pod-ready.yaml"), complete, upstream("pod-delete.yaml"), fail, slow].map((doc) => yaml.dump(doc)).join("---\n");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Stage = { metadata: { name: string }; spec: { selector: { matchExpressions: unknown[] }; next: { statusTemplate: string }; [key: string]: any }; [key: string]: any };

/**
 * The node: kwok's default node stages initialize it and keep it Ready (pkg/kwok/cmd/root.go at v0.7.0,
 * getDefaultNodeStages). The API server's TaintNodesByCondition admission gives every new Node the
 * not-ready:NoSchedule taint (k8s.io/kubernetes v1.34.4 plugin/pkg/admission/nodetaint/admission.go);
 * the node lifecycle controller, which would lift it, is off here (no kubelet to watch): we lift it.
 * `until` waits for a condition (and fails when a component of the control plane exited).
 */
export async function registerNode(client: Kubectl, until: (what: string, check: () => Promise<boolean>, timeoutMs: number) => Promise<void>): Promise<void> {
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: nodeName, labels: { "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", type: "kwok" }, annotations: { "kwok.x-k8s.io/node": "fake" } } };
    await until("the default ServiceAccount machinery", async () => (await client.kubectl(["get", "serviceaccount", "default", "-n", "default"])).code === 0, 60_000);
    const created = await client.kubectl(["create", "-f", "-"], { input: JSON.stringify(node) });
    if (created.code !== 0) throw new Error(`kubectl create node: ${created.output}`);
    await until("the node Ready", async () => (await client.kubectl(["get", "node", nodeName, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", 60_000);
    await client.kubectl(["taint", "node", nodeName, "node.kubernetes.io/not-ready:NoSchedule-"]);
    await until("the node untainted", async () => (await client.kubectl(["get", "node", nodeName, "-o", "jsonpath={.spec.taints}"])).stdout.trim() === "", 30_000);
}
