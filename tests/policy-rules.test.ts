import { expect } from "chai";
import { CheckError, objectId, policyFailures, schemaFailures } from "../render/checks";
import { KubernetesObject } from "../render/manifests";
import { container, hardened, ingress, labels, object, service, workload } from "./support/objects";

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
        const secret: KubernetesObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns", labels }, data: { A: "[secret]" } };
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

    it("asks for limits when resources or limits are missing, and takes a container without a securityContext", () => {
        expect(messages(workload("Job", { resources: {} }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
        expect(messages(workload("Job", { resources: { limits: { memory: "1Gi" } } }))).to.deep.equal(["[limits] container c has no cpu and memory limits."]);
        expect(messages(workload("Job", { securityContext: undefined }))).to.deep.equal(["[non-root] container c allows privilege escalation."]);
    });

    it("leaves workloads without a Pod template, and other kinds, to the schema check", () => {
        const bare = (kind: string, spec?: unknown): KubernetesObject => ({ apiVersion: "apps/v1", kind, metadata: { name: "w", namespace: "ns", labels }, ...(spec ? { spec } : {}) });
        const noMetadata = { template: { spec: { containers: [container()] } } };
        expect(policyFailures([bare("Deployment"), bare("CronJob", { jobTemplate: {} }), bare("Job", noMetadata)])).to.deep.equal([]);
        expect(messages(bare("StatefulSet", { template: { spec: { containers: [container({ image: "repo/app" })] } } }))).to.deep.equal([]);
    });

    it("flags only plain env values that are a secret stand-in or have a secret-looking name", () => {
        const env = ["API_TOKEN", "DATABASE_URL", "SECRET_KEY"].map((name) => ({ name, value: "x" }));
        const fromSecret = { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "p" } } };
        expect(messages(workload("Job", { env: [...env, fromSecret, { name: "DEBUG", value: "false" }] }))).to.deep.equal(
            env.map((e) => `[no-plain-secret-env] container c sets ${e.name} inline; take it from a Secret.`),
        );
    });
});

describe("Services and Ingresses, as the policy follows them", () => {
    const pods = labels;
    const deployment = workload("Deployment");
    const rules = (...objects: KubernetesObject[]) => policyFailures([deployment, ...objects]).map((f) => `${f.object} [${f.rule}] ${f.message}`);
    const none = "Service ns/web [service-selects-pods] selects no Pod template of a Deployment.";

    it("wants every Service to select a Deployment's Pods in its own namespace, by every selector label", () => {
        expect(rules(service("web", pods, [{ port: 80 }]))).to.deep.equal([]);
        expect(rules(service("web", {}, [{ port: 80 }]))).to.deep.equal([none]);
        expect(rules(service("web", { ...pods, tier: "front" }, [{ port: 80 }]))).to.deep.equal([none]);
        expect(rules(service("web", pods, [{ port: 80 }], "other"))).to.deep.equal(["Service other/web [service-selects-pods] selects no Pod template of a Deployment."]);
        expect(policyFailures([workload("Job"), service("web", pods, [{ port: 80 }])]).map((f) => f.rule)).to.deep.equal(["service-selects-pods"]);
    });

    it("wants every Ingress path to reach an existing Service port, by name or number, in the Ingress's namespace", () => {
        const web = service("web", pods, [{ name: "http", port: 80 }, { name: "alt", port: 81 }]);
        const path = (backend: unknown) => ({ path: "/", pathType: "Prefix", backend });
        const to = (name: string, port: unknown) => path({ service: { name, port } });
        expect(rules(web, ingress([to("web", { name: "alt" }), to("web", { number: 81 })]))).to.deep.equal([]);
        expect(rules(web, ingress([to("web", { name: "https" }), to("web", { number: 82 })]))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to a port Service "web" does not have.',
            'Ingress ns/in [ingress-backend] sends h/ to a port Service "web" does not have.',
        ]);
        expect(rules(web, ingress([to("api", { number: 80 }), path({ resource: { kind: "Bucket", name: "b" } })]))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to Service "api", which does not exist.',
            "Ingress ns/in [ingress-backend] sends h/ to no Service.",
        ]);
        const elsewhere = service("web", pods, [{ name: "http", port: 80 }], "other");
        expect(rules(elsewhere, ingress([to("web", { number: 80 })])).filter((m) => m.startsWith("Ingress"))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to Service "web", which does not exist.',
        ]);
    });

    it("takes an Ingress rule without paths", () => {
        const hostOnly = object("Ingress", "in", { spec: { rules: [{ host: "h" }] } });
        expect(rules(hostOnly)).to.deep.equal([]);
    });
});
