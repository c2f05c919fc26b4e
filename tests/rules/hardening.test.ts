import { expect } from "chai";
import { hardeningFailures } from "../../rules/hardening";
import { KubernetesObject } from "../../rules/objects";
import { sharedRenders } from "../helpers";
import { brokenCopy, container, hardened, labels, workload } from "../support/objects";

/** What the hardening rules say of one object, as `[rule] message`. */
const messages = (o: KubernetesObject) => hardeningFailures([o]).map((f) => `[${f.rule}] ${f.message}`);
/** What the hardening rules say of several objects, as `Kind namespace/name [rule] message`. */
const failures = (objects: KubernetesObject[]) => hardeningFailures(objects).map((f) => `${f.object} [${f.rule}] ${f.message}`);

const renders = sharedRenders(["staging"], { apiReplicas: "2" });
/** The staging render's objects, made once and shared (tests/support/shared.ts). */
const staging = async () => (await renders()).get("staging")!.objects;

describe("labels: every object carries the app.kubernetes.io labels", () => {
    let objects: KubernetesObject[];
    beforeEach(async () => {
        objects = brokenCopy(await staging(), "Secret", "argus-staging-runtime-secrets", (o) => delete o.metadata.labels["app.kubernetes.io/part-of"]);
    });

    it("refuses objects without the app.kubernetes.io labels", () => {
        expect(failures(objects)[0]).to.match(/^Secret argus-staging\/argus-staging-runtime-secrets-\w+ \[labels\] lacks app\.kubernetes\.io\/part-of\.$/);
    });
});

describe("pinned-image: every container runs an image pinned to a version tag or a digest", () => {
    it("takes images pinned to a version tag or a full digest, nothing else", () => {
        for (const image of ["repo/app:1.0", "registry.example.org:5000/app:v2", `repo/app@sha256:${"a".repeat(64)}`]) {
            expect(messages(workload("Deployment", { image })), image).to.deep.equal([]);
        }
        for (const image of ["repo/app", "repo/app:latest", "registry.example.org:5000/app", `repo/app@sha256:${"a".repeat(63)}`, `repo/app@sha256:${"g".repeat(64)}`, "repo/app:latest-x:"]) {
            expect(messages(workload("Deployment", { image })), image).to.deep.equal([`[pinned-image] container c runs "${image}", which is untagged or latest.`]);
        }
    });

    it("checks a CronJob's Pod template like any other", () => {
        expect(messages(workload("CronJob", { image: "repo/app:latest" }))).to.deep.equal(['[pinned-image] container c runs "repo/app:latest", which is untagged or latest.']);
    });

    describe("in a staging render", () => {
        let objects: KubernetesObject[];
        beforeEach(async () => {
            objects = brokenCopy(await staging(), "Deployment", "argus-staging-api", (o) => {
                o.spec.template.spec.containers[2].image = "nginx";
                o.spec.template.spec.containers[0].image = "registry.example.org/argus/api:latest";
            });
        });

        it("refuses latest and untagged images", () => {
            expect(failures(objects)).to.deep.equal([
                'Deployment argus-staging/argus-staging-api [pinned-image] container django runs "registry.example.org/argus/api:latest", which is untagged or latest.',
                'Deployment argus-staging/argus-staging-api [pinned-image] container nginx runs "nginx", which is untagged or latest.',
            ]);
        });
    });
});

describe("non-root: no container may run as root or gain privileges", () => {
    it("takes non-root from the Pod or the container, and refuses user 0 either way", () => {
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }))).to.deep.equal([]);
        expect(messages(workload("Deployment", {}, null))).to.deep.equal([]);
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }, null))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { allowPrivilegeEscalation: false } }, { runAsNonRoot: false }))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { ...hardened, runAsUser: 0 } }))).to.deep.equal(["[non-root] container c may run as root."]);
        expect(messages(workload("Deployment", { securityContext: { runAsNonRoot: true } }))).to.deep.equal(["[non-root] container c allows privilege escalation."]);
    });

    it("takes a container without a securityContext when its Pod runs as non-root, but asks it not to escalate", () => {
        expect(messages(workload("Job", { securityContext: undefined }))).to.deep.equal(["[non-root] container c allows privilege escalation."]);
    });
});

describe("limits: every container has cpu and memory limits", () => {
    it("asks every container for both limits", () => {
        expect(messages(workload("Deployment", { resources: { limits: { cpu: "1" } } }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
    });

    it("asks for limits when resources or limits are missing", () => {
        expect(messages(workload("Job", { resources: {} }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
        expect(messages(workload("Job", { resources: { limits: { memory: "1Gi" } } }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
    });
});

describe("probes: every container of a Deployment has a readiness and a liveness probe", () => {
    it("asks Deployments for both probes, and Jobs for none", () => {
        expect(messages(workload("Deployment", { livenessProbe: undefined }))).to.deep.equal(["[probes] container c lacks a readiness or liveness probe."]);
        expect(messages(workload("Job", { livenessProbe: undefined, readinessProbe: undefined }))).to.deep.equal([]);
    });
});

describe("the container rules together, on a staging Deployment stripped of its hardening", () => {
    let objects: KubernetesObject[];
    beforeEach(async () => {
        objects = brokenCopy(await staging(), "Deployment", "argus-staging-webui", (o) => {
            delete o.spec.template.spec.securityContext;
            const c = o.spec.template.spec.containers[0];
            c.securityContext = { runAsUser: 0 };
            delete c.resources;
            delete c.livenessProbe;
        });
    });

    it("refuses Pods that may run as root, escalate, or lack limits and probes", () => {
        expect(failures(objects)).to.deep.equal([
            "Deployment argus-staging/argus-staging-webui [non-root] container webui may run as root.",
            "Deployment argus-staging/argus-staging-webui [non-root] container webui allows privilege escalation.",
            "Deployment argus-staging/argus-staging-webui [limits] container webui has no cpu and memory limits.",
            "Deployment argus-staging/argus-staging-webui [probes] container webui lacks a readiness or liveness probe.",
        ]);
    });
});

describe("secrets: never in a ConfigMap, never inline in a container's env", () => {
    it("refuses a secret stand-in in a ConfigMap and in an inline env value, and secret-looking variables inline", () => {
        const cm: KubernetesObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns", labels }, data: { A: "[secret]" } };
        const secret: KubernetesObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns", labels }, data: { A: "[secret]" } };
        expect(hardeningFailures([cm, secret]).map((f) => `${f.object} [${f.rule}]`)).to.deep.equal(["ConfigMap ns/cm [no-secret-in-configmap]"]);
        expect(messages(workload("Deployment", { env: [{ name: "PLAIN", value: "[secret]" }, { name: "DB_PASSWORD", value: "x" }, { name: "OK", value: "1" }] }))).to.deep.equal([
            "[no-plain-secret-env] container c sets PLAIN inline; take it from a Secret.",
            "[no-plain-secret-env] container c sets DB_PASSWORD inline; take it from a Secret.",
        ]);
    });

    it("flags only plain env values that are a secret stand-in or have a secret-looking name", () => {
        const env = ["API_TOKEN", "DATABASE_URL", "SECRET_KEY"].map((name) => ({ name, value: "x" }));
        const fromSecret = { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "p" } } };
        expect(messages(workload("Job", { env: [...env, fromSecret, { name: "DEBUG", value: "false" }] }))).to.deep.equal(
            env.map((e) => `[no-plain-secret-env] container c sets ${e.name} inline; take it from a Secret.`),
        );
    });

    describe("in a staging render", () => {
        let settings: KubernetesObject[];
        let env: KubernetesObject[];
        beforeEach(async () => {
            settings = brokenCopy(await staging(), "ConfigMap", "argus-staging-runtime-settings", (o) => (o.data.DATABASE_URL = "[secret]"));
            env = brokenCopy(await staging(), "Deployment", "argus-staging-api", (o) => o.spec.template.spec.containers[0].env.push({ name: "EMAIL_PASSWORD", value: "hunter2" }));
        });

        it("refuses a secret in a ConfigMap", () => {
            expect(failures(settings)).to.have.length(1);
            expect(failures(settings)[0]).to.match(/\[no-secret-in-configmap\] holds a secret value/);
        });

        it("refuses a secret-looking variable set inline", () => {
            expect(failures(env)).to.deep.equal([
                "Deployment argus-staging/argus-staging-api [no-plain-secret-env] container django sets EMAIL_PASSWORD inline; take it from a Secret.",
            ]);
        });
    });
});

describe("objects without a Pod template", () => {
    it("leaves workloads without a Pod template, and other kinds, to the schema check", () => {
        const bare = (kind: string, spec?: unknown): KubernetesObject => ({ apiVersion: "apps/v1", kind, metadata: { name: "w", namespace: "ns", labels }, ...(spec ? { spec } : {}) });
        const noMetadata = { template: { spec: { containers: [container()] } } };
        expect(hardeningFailures([bare("Deployment"), bare("CronJob", { jobTemplate: {} }), bare("Job", noMetadata)])).to.deep.equal([]);
        expect(messages(bare("StatefulSet", { template: { spec: { containers: [container({ image: "repo/app" })] } } }))).to.deep.equal([]);
    });
});

describe("init containers: checked for everything but probes", () => {
    it("checks init containers for everything but probes, and names them first within each rule", () => {
        const init = container({ name: "init", image: "repo/app:latest", readinessProbe: undefined, livenessProbe: undefined });
        expect(messages(workload("Deployment", {}, { runAsNonRoot: true }, { initContainers: [init] }))).to.deep.equal([
            '[pinned-image] container init runs "repo/app:latest", which is untagged or latest.',
        ]);
        const bare = { name: "init", image: "repo/app:1.0" };
        expect(messages(workload("Deployment", { image: "repo/app" }, null, { initContainers: [bare] }))).to.deep.equal([
            '[pinned-image] container c runs "repo/app", which is untagged or latest.',
            "[non-root] container init may run as root.",
            "[non-root] container init allows privilege escalation.",
            "[limits] container init has no cpu and memory limits.",
        ]);
    });
});
