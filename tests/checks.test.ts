import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { renderStack, Rendering, stackProgramConfig } from "../render";
import { CheckError, checkObjects, policyFailures, schemaFailures } from "../render/checks";
import { KubernetesObject } from "../render/manifests";
import { renderWith } from "./helpers";

const stacks = ["production", "staging", "review-123"];

describe("checks on every render", () => {
    const renderings = new Map<string, Rendering>();
    before(async () => {
        for (const stack of stacks) {
            renderings.set(stack, await renderWith(stack, { apiReplicas: "2" }));
        }
    });

    /** A deep copy of the staging objects, with one object changed by `mutate`. */
    function broken(kind: string, namePart: string, mutate: (o: any) => void): KubernetesObject[] {
        const objects = JSON.parse(JSON.stringify(renderings.get("staging")!.objects)) as KubernetesObject[];
        const target = objects.find((o) => o.kind === kind && o.metadata.name.includes(namePart));
        expect(target, `${kind} ${namePart}`).not.to.equal(undefined);
        mutate(target);
        return objects;
    }

    const rules = (objects: KubernetesObject[]) => policyFailures(objects).map((f) => `${f.object} [${f.rule}] ${f.message}`);

    for (const stack of stacks) {
        it(`${stack}: every object passes the Kubernetes schema and our policy`, () => {
            expect(checkObjects(renderings.get(stack)!.objects)).to.deep.equal([]);
        });
    }

    it("finds a schema violation", () => {
        const objects = broken("Deployment", "argus-staging-api", (o) => (o.spec.replicas = "two"));
        expect(schemaFailures(objects)).to.deep.equal([
            { object: "Deployment argus-staging/argus-staging-api", rule: "schema", message: "data/spec/replicas must be integer" },
        ]);
    });

    it("refuses latest and untagged images", () => {
        const objects = broken("Deployment", "argus-staging-api", (o) => {
            o.spec.template.spec.containers[2].image = "nginx";
            o.spec.template.spec.containers[0].image = "registry.example.org/argus/api:latest";
        });
        expect(rules(objects)).to.deep.equal([
            'Deployment argus-staging/argus-staging-api [pinned-image] container django runs "registry.example.org/argus/api:latest", which is untagged or latest.',
            'Deployment argus-staging/argus-staging-api [pinned-image] container nginx runs "nginx", which is untagged or latest.',
        ]);
    });

    it("refuses Pods that may run as root, escalate, or lack limits and probes", () => {
        const objects = broken("Deployment", "argus-staging-webui", (o) => {
            delete o.spec.template.spec.securityContext;
            const c = o.spec.template.spec.containers[0];
            c.securityContext = { runAsUser: 0 };
            delete c.resources;
            delete c.livenessProbe;
        });
        expect(rules(objects)).to.deep.equal([
            "Deployment argus-staging/argus-staging-webui [non-root] container webui may run as root.",
            "Deployment argus-staging/argus-staging-webui [non-root] container webui allows privilege escalation.",
            "Deployment argus-staging/argus-staging-webui [limits] container webui has no cpu and memory limits.",
            "Deployment argus-staging/argus-staging-webui [probes] container webui lacks a readiness or liveness probe.",
        ]);
    });

    it("refuses secrets in ConfigMaps and in inline env values", () => {
        const settings = broken("ConfigMap", "argus-staging-runtime-settings", (o) => (o.data.DATABASE_URL = "[secret]"));
        expect(rules(settings)).to.have.length(1);
        expect(rules(settings)[0]).to.match(/\[no-secret-in-configmap\] holds a secret value/);
        const env = broken("Deployment", "argus-staging-api", (o) => o.spec.template.spec.containers[0].env.push({ name: "EMAIL_PASSWORD", value: "hunter2" }));
        expect(rules(env)).to.deep.equal([
            "Deployment argus-staging/argus-staging-api [no-plain-secret-env] container django sets EMAIL_PASSWORD inline; take it from a Secret.",
        ]);
    });

    it("refuses a Service that selects no Pods and an Ingress to a missing Service or port", () => {
        const service = broken("Service", "argus-staging-webui", (o) => (o.spec.selector["app.kubernetes.io/component"] = "web"));
        expect(rules(service)).to.deep.equal(["Service argus-staging/argus-staging-webui [service-selects-pods] selects no Pod template of a Deployment."]);
        const missing = broken("Ingress", "argus-staging-api", (o) => (o.spec.rules[0].http.paths[0].backend.service.name = "argus-api"));
        expect(rules(missing)).to.deep.equal([
            'Ingress argus-staging/argus-staging-api [ingress-backend] sends api.argus-staging.paas2.uninett.no/ to Service "argus-api", which does not exist.',
        ]);
        const port = broken("Ingress", "argus-staging-webui", (o) => (o.spec.rules[0].http.paths[0].backend.service.port = { name: "https" }));
        expect(rules(port)[0]).to.match(/\[ingress-backend\] sends argus-staging.paas2.uninett.no\/ to a port Service "argus-staging-webui" does not have\./);
    });

    it("refuses objects without the app.kubernetes.io labels", () => {
        const objects = broken("Secret", "argus-staging-runtime-secrets", (o) => delete o.metadata.labels["app.kubernetes.io/part-of"]);
        expect(rules(objects)[0]).to.match(/^Secret argus-staging\/argus-staging-runtime-secrets-\w+ \[labels\] lacks app\.kubernetes\.io\/part-of\.$/);
    });

    it("stops a render whose program makes a failing object, naming the object and the rule", async () => {
        const program = async () => {
            new k8s.core.v1.ConfigMap("stray", { metadata: { name: "stray", namespace: "argus" }, data: { a: "b" } });
            return {};
        };
        let error: unknown;
        try {
            await renderStack("production", stackProgramConfig("production"), program);
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(CheckError);
        expect((error as Error).message).to.contain(
            "  - ConfigMap argus/stray: [labels] lacks app.kubernetes.io/name, app.kubernetes.io/instance, app.kubernetes.io/part-of, app.kubernetes.io/managed-by.",
        );
    });
});
