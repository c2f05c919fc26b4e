import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { renderStack, Rendering, stackProgramConfig } from "../render";
import { CheckError, checkObjects, nameFailures, policyFailures, referenceFailures, schemaFailures } from "../render/checks";
import { maxInstanceNameLength, parseStackName } from "../stacks/stackName";
import { KubernetesObject } from "../render/manifests";
import { renderWith, sharedRenders } from "./helpers";

const stacks = ["production", "staging", "review-123"];

describe("checks on every render", () => {
    let renderings = new Map<string, Rendering>();
    const renderAll = sharedRenders(stacks, { apiReplicas: "2" });
    beforeEach(async () => (renderings = await renderAll()));

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

    it("2.x renders, with every optional object, pass every check too", async () => {
        const r = await renderWith("staging", { argusVersion: "2.9.1", apiReplicas: "2", workerReplicas: "2", versionCheck: "true", adminUsername: "admin" }, { adminPassword: "pw" });
        expect(checkObjects(r.objects)).to.deep.equal([]);
    });

    const failures = (check: (objects: KubernetesObject[]) => { object: string; rule: string; message: string }[], objects: KubernetesObject[]) =>
        check(objects).map((f) => `${f.object} [${f.rule}] ${f.message}`);

    it("refuses names and labels the API server would refuse", () => {
        const long = "x".repeat(60);
        const objects = broken("Service", "argus-staging-webui", (o) => (o.metadata.name = "1-webui"));
        const job = objects.find((o) => o.kind === "Job")!;
        job.metadata.name = `argus-staging-migrate-${long}`;
        (job.metadata.labels as any)["app.kubernetes.io/component"] = "migrate job";
        (job.spec as any).template.metadata.labels["example.org/owner"] = long + "xxxx";
        expect(failures(nameFailures, objects)).to.deep.equal([
            "Service argus-staging/1-webui [name] the name must be a DNS-1035 label (a letter first), at most 63.",
            `Job argus-staging/argus-staging-migrate-${long} [name] the name must be a DNS-1123 subdomain of at most 63, since it is copied into the job-name label of its Pods.`,
            `Job argus-staging/argus-staging-migrate-${long} [label] label app.kubernetes.io/component has value "migrate job", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`,
            `Job argus-staging/argus-staging-migrate-${long} [label] label example.org/owner has value "${long}xxxx", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`,
        ]);
    });

    it("refuses a CronJob name that leaves no room for its Jobs' names", async () => {
        const r = await renderWith("staging", { argusVersion: "2.9.1" });
        const objects = JSON.parse(JSON.stringify(r.objects)) as KubernetesObject[];
        objects.find((o) => o.kind === "CronJob")!.metadata.name = "a".repeat(53);
        expect(failures(nameFailures, objects)).to.deep.equal([
            `CronJob argus-staging/${"a".repeat(53)} [name] the name must be a DNS-1123 subdomain of at most 52, since Kubernetes appends 11 characters to name its Jobs.`,
        ]);
    });

    it("refuses a mount without its volume, a reference to nothing, and a Service port no container has", () => {
        const objects = broken("Deployment", "argus-staging-webui", (o) => {
            o.spec.template.spec.volumes = o.spec.template.spec.volumes.filter((v: any) => v.name !== "tmp");
            o.spec.template.spec.imagePullSecrets = [{ name: "argus-registry" }];
        });
        const settings = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-staging-api")!;
        (settings.spec as any).template.spec.containers[0].envFrom[0].configMapRef.name = "argus-settings-gone";
        (objects.find((o) => o.kind === "Service" && o.metadata.name === "argus-staging-api")!.spec as any).ports[0].targetPort = "https";
        const ingress = objects.find((o) => o.kind === "Ingress")!;
        delete (ingress.metadata.annotations as any)["cert-manager.io/cluster-issuer"];
        const tlsSecret = (ingress.spec as any).tls[0].secretName;
        expect(failures((o) => referenceFailures(o, []), objects)).to.deep.equal([
            'Deployment argus-staging/argus-staging-api [reference] container django envFrom names ConfigMap "argus-settings-gone", which neither the render makes nor the stack declares external.',
            'Deployment argus-staging/argus-staging-webui [reference] container webui mounts volume "tmp", which the Pod does not have.',
            'Deployment argus-staging/argus-staging-webui [reference] imagePullSecrets names Secret "argus-registry", which neither the render makes nor the stack declares external.',
            `Ingress argus-staging/${ingress.metadata.name} [reference] TLS names Secret "${tlsSecret}", which nothing makes: no cert-manager issuer, not in the render, not declared external.`,
            'Service argus-staging/argus-staging-api [reference] port http targets "https", which no container of its Pods exposes.',
        ]);
        expect(failures((o) => referenceFailures(o, ["Secret/argus-registry", `Secret/${tlsSecret}`]), objects)).to.have.length(3);
    });

    it("renders the longest review slug in both layouts through every check, and refuses one character more", async () => {
        const slug = "s".repeat(maxInstanceNameLength - "argus-review-".length);
        for (const layout of [{}, { argusVersion: "2.9.1", versionCheck: "true" }] as Record<string, string>[]) {
            const r = await renderWith(`review-${slug}`, { ...layout, apiReplicas: "2" });
            expect(checkObjects(r.objects)).to.deep.equal([]);
        }
        expect(parseStackName(`review-${slug}s`)).to.equal(`stack name "review-${slug}s" is too long: a review slug has at most ${slug.length} characters.`);
    });

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
