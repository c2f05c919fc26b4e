import { expect } from "chai";
import { CheckError, objectId, policyFailures, schemaFailures } from "../render/checks";
import { KubernetesObject } from "../render/manifests";

const labels = { "app.kubernetes.io/name": "argus", "app.kubernetes.io/instance": "t", "app.kubernetes.io/part-of": "argus", "app.kubernetes.io/managed-by": "pulumi" };
const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false };
const limits = { limits: { cpu: "1", memory: "1Gi" } };
const probes = { readinessProbe: { exec: { command: ["true"] } }, livenessProbe: { exec: { command: ["true"] } } };

/** A Deployment (or Job or CronJob) with one container, and pod-level security as given. */
function workload(kind: string, container: Record<string, unknown>, podSecurity: Record<string, unknown> | null = { runAsNonRoot: true }): KubernetesObject {
    const template = { metadata: { labels }, spec: { ...(podSecurity ? { securityContext: podSecurity } : {}), containers: [{ name: "c", image: "repo/app:1.0", securityContext: hardened, resources: limits, ...probes, ...container }] } };
    const spec = kind === "CronJob" ? { jobTemplate: { spec: { template } } } : { template };
    return { apiVersion: "apps/v1", kind, metadata: { name: "w", namespace: "ns", labels }, spec };
}
const messages = (o: KubernetesObject) => policyFailures([o]).map((f) => `[${f.rule}] ${f.message}`);

describe("the render's policy, rule by rule", () => {
    it("takes images pinned to a version tag or a full digest, nothing else", () => {
        for (const image of ["repo/app:1.0", "registry.example.org:5000/app:v2", `repo/app@sha256:${"a".repeat(64)}`]) {
            expect(messages(workload("Deployment", { image })), image).to.deep.equal([]);
        }
        for (const image of ["repo/app", "repo/app:latest", "registry.example.org:5000/app", `repo/app@sha256:${"a".repeat(63)}`, `repo/app@sha256:${"g".repeat(64)}`, "repo/app:latest-x:"]) {
            expect(messages(workload("Deployment", { image })), image).to.deep.equal([`[pinned-image] container c runs "${image}", which is untagged or latest.`]);
        }
    });

    it("takes non-root from the Pod or the container, and refuses user 0 either way", () => {
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }))).to.deep.equal([]);
        expect(messages(workload("Deployment", {}, null))).to.deep.equal([]);
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }, null))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }, { runAsNonRoot: false }))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { ...hardened, runAsUser: 0 } }))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { runAsNonRoot: true } }))).to.deep.equal(["[non-root] container c allows privilege escalation."]);
    });

    it("asks every container for both limits, and Deployments for both probes", () => {
        expect(messages(workload("Deployment", { resources: { limits: { cpu: "1" } } }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
        expect(messages(workload("Deployment", { livenessProbe: undefined }))).to.deep.equal(["[probes] container c lacks a readiness or liveness probe."]);
        expect(messages(workload("Job", { livenessProbe: undefined, readinessProbe: undefined }))).to.deep.equal([]);
    });

    it("checks a CronJob's Pod template like any other", () => {
        expect(messages(workload("CronJob", { image: "repo/app:latest" }))).to.deep.equal(['[pinned-image] container c runs "repo/app:latest", which is untagged or latest.']);
    });

    it("refuses a secret stand-in in a ConfigMap and in an inline env value, and secret-looking variables inline", () => {
        const cm: KubernetesObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns", labels }, data: { A: "[secret]" } };
        const secret: KubernetesObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns", labels }, stringData: { A: "[secret]" } };
        expect(policyFailures([cm, secret]).map((f) => `${f.object} [${f.rule}]`)).to.deep.equal(["ConfigMap ns/cm [no-secret-in-configmap]"]);
        expect(messages(workload("Deployment", { env: [{ name: "PLAIN", value: "[secret]" }, { name: "DB_PASSWORD", value: "x" }, { name: "OK", value: "1" }] }))).to.deep.equal([
            "[no-plain-secret-env] container c sets PLAIN inline; take it from a Secret.",
            "[no-plain-secret-env] container c sets DB_PASSWORD inline; take it from a Secret.",
        ]);
    });

    it("names objects with and without a namespace, and says how many checks failed", () => {
        expect(objectId({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argus" } })).to.equal("Namespace argus");
        expect(objectId({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns" } })).to.equal("Secret ns/s");
        const error = new CheckError([{ object: "Secret ns/s", rule: "labels", message: "lacks x." }, { object: "Job ns/j", rule: "name", message: "too long." }]);
        expect(error.name).to.equal("CheckError");
        expect(error.message).to.equal("2 check(s) failed; nothing was written:\n  - Secret ns/s: [labels] lacks x.\n  - Job ns/j: [name] too long.");
    });

    it("refuses a kind it has no schema for", () => {
        expect(schemaFailures([{ apiVersion: "example.org/v1", kind: "Widget", metadata: { name: "w" } }])).to.deep.equal([
            { object: "Widget w", rule: "schema", message: "no schema for example.org/v1 Widget." },
        ]);
    });
});
