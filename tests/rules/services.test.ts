import { expect } from "chai";
import { KubernetesObject } from "../../rules/objects";
import { serviceFailures } from "../../rules/services";
import { sharedRenders } from "../helpers";
import { brokenCopy, ingress, labels, object, service, workload } from "../support/objects";

/** What the Service and Ingress rules say of objects, as `Kind namespace/name [rule] message`. */
const failures = (objects: KubernetesObject[]) => serviceFailures(objects).map((f) => `${f.object} [${f.rule}] ${f.message}`);

describe("service-selects-pods: every Service selects the Pods of a Deployment", () => {
    const pods = labels;
    const none = "Service ns/web [service-selects-pods] selects no Pod template of a Deployment.";
    let deployment: KubernetesObject;
    beforeEach(() => {
        deployment = workload("Deployment");
    });

    it("wants every Service to select a Deployment's Pods in its own namespace, by every selector label", () => {
        const rules = (...objects: KubernetesObject[]) => failures([deployment, ...objects]);
        expect(rules(service("web", pods, [{ port: 80 }]))).to.deep.equal([]);
        expect(rules(service("web", {}, [{ port: 80 }]))).to.deep.equal([none]);
        expect(rules(service("web", { ...pods, tier: "front" }, [{ port: 80 }]))).to.deep.equal([none]);
        expect(rules(service("web", pods, [{ port: 80 }], "other"))).to.deep.equal(["Service other/web [service-selects-pods] selects no Pod template of a Deployment."]);
        expect(serviceFailures([workload("Job"), service("web", pods, [{ port: 80 }])]).map((f) => f.rule)).to.deep.equal(["service-selects-pods"]);
    });
});

describe("ingress-backend: every Ingress path reaches a Service port", () => {
    const path = (backend: unknown) => ({ path: "/", pathType: "Prefix", backend });
    const to = (name: string, port: unknown) => path({ service: { name, port } });
    let rules: (...objects: KubernetesObject[]) => string[];
    let web: KubernetesObject;
    beforeEach(() => {
        const deployment = workload("Deployment");
        rules = (...objects) => failures([deployment, ...objects]);
        web = service("web", labels, [{ name: "http", port: 80 }, { name: "alt", port: 81 }]);
    });

    it("wants every Ingress path to reach an existing Service port, by name or number, in the Ingress's namespace", () => {
        expect(rules(web, ingress([to("web", { name: "alt" }), to("web", { number: 81 })]))).to.deep.equal([]);
        expect(rules(web, ingress([to("web", { name: "https" }), to("web", { number: 82 })]))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to a port Service "web" does not have.',
            'Ingress ns/in [ingress-backend] sends h/ to a port Service "web" does not have.',
        ]);
        expect(rules(web, ingress([to("api", { number: 80 }), path({ resource: { kind: "Bucket", name: "b" } })]))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to Service "api", which does not exist.',
            "Ingress ns/in [ingress-backend] sends h/ to no Service.",
        ]);
        const elsewhere = service("web", labels, [{ name: "http", port: 80 }], "other");
        expect(rules(elsewhere, ingress([to("web", { number: 80 })])).filter((m) => m.startsWith("Ingress"))).to.deep.equal([
            'Ingress ns/in [ingress-backend] sends h/ to Service "web", which does not exist.',
        ]);
    });

    it("takes an Ingress rule without paths", () => {
        const hostOnly = object("Ingress", "in", { spec: { rules: [{ host: "h" }] } });
        expect(rules(hostOnly)).to.deep.equal([]);
    });
});

describe("Services and Ingresses in a staging render", () => {
    const renders = sharedRenders(["staging"], { apiReplicas: "2" });
    let unselected: KubernetesObject[];
    let missing: KubernetesObject[];
    let port: KubernetesObject[];
    beforeEach(async () => {
        const objects = (await renders()).get("staging")!.objects;
        unselected = brokenCopy(objects, "Service", "argus-staging-webui", (o) => (o.spec.selector["app.kubernetes.io/component"] = "web"));
        missing = brokenCopy(objects, "Ingress", "argus-staging-api", (o) => (o.spec.rules[0].http.paths[0].backend.service.name = "argus-api"));
        port = brokenCopy(objects, "Ingress", "argus-staging-webui", (o) => (o.spec.rules[0].http.paths[0].backend.service.port = { name: "https" }));
    });

    it("refuses a Service that selects no Pods and an Ingress to a missing Service or port", () => {
        expect(failures(unselected)).to.deep.equal(["Service argus-staging/argus-staging-webui [service-selects-pods] selects no Pod template of a Deployment."]);
        expect(failures(missing)).to.deep.equal([
            'Ingress argus-staging/argus-staging-api [ingress-backend] sends api.argus-staging.paas2.uninett.no/ to Service "argus-api", which does not exist.',
        ]);
        expect(failures(port)[0]).to.match(/\[ingress-backend\] sends argus-staging.paas2.uninett.no\/ to a port Service "argus-staging-webui" does not have\./);
    });
});
