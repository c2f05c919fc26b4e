import { expect } from "chai";
import { kubernetesObjects, manifestsYaml, resourceListing } from "../../render/manifests";
import { RecordedResource } from "../../render/mocks";

/** How the render turns what the program registered into Kubernetes manifests and a resource listing (render/manifests.ts). */

const resource = (type: string, name: string, parent?: string, inputs: Record<string, unknown> = {}): RecordedResource => ({ type, name, parent, custom: true, inputs });

describe("the render's Kubernetes objects", () => {
    const object = (kind: string, name: string, namespace = "ns", extra: Record<string, unknown> = {}) =>
        resource(`kubernetes:x:${kind}`, name, undefined, { apiVersion: "v1", kind, metadata: { name, namespace }, ...extra });

    it("keeps only Kubernetes resources with a kind, in apply order: what others refer to first, unknown kinds last", () => {
        const objects = kubernetesObjects([
            object("Unknown", "u"),
            object("NetworkPolicy", "np"),
            object("Deployment", "b"),
            object("Deployment", "a", "ns2"),
            object("Deployment", "a"),
            object("CronJob", "c"),
            object("Secret", "s"),
            resource("kubernetes:core/v1:Namespace", "n", undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } }),
            resource("kubernetes:core/v1:ConfigMap", "kindless"),
            resource("docker:index/image:Image", "image", undefined, { kind: "Image" }),
        ]);
        expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`)).to.deep.equal([
            "Namespace /n",
            "Secret ns/s",
            "Deployment ns/a",
            "Deployment ns/b",
            "Deployment ns2/a",
            "CronJob ns/c",
            "NetworkPolicy ns/np",
            "Unknown ns/u",
        ]);
    });

    it("orders every kind we render as kubectl apply wants them, and cluster-wide objects first within a kind", () => {
        const kinds = ["Namespace", "ServiceAccount", "Secret", "ConfigMap", "Service", "Job", "Deployment", "CronJob", "PodDisruptionBudget", "Ingress", "NetworkPolicy"];
        const objects = kubernetesObjects([...kinds].reverse().map((kind) => object(kind, "x")));
        expect(objects.map((o) => o.kind)).to.deep.equal(kinds);
        const scoped = kubernetesObjects([object("Widget", "b", "A"), resource("kubernetes:x:Widget", "c", undefined, { apiVersion: "v1", kind: "Widget", metadata: { name: "c" } })]);
        expect(scoped.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`)).to.deep.equal(["/c", "A/b"]);
    });

    it("writes YAML without anchors or folded lines, whatever the objects share or however long a value is", () => {
        const shared = { key: "value" };
        const long = "x".repeat(200);
        const text = manifestsYaml([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { long }, spec: { a: shared, b: shared } }]);
        expect(text).not.to.match(/[&*]ref_/);
        expect(text).to.contain(`long: ${long}\n`);
    });

    it("sorts keys at every depth and drops undefined values, so output does not depend on assembly order", () => {
        const [o] = kubernetesObjects([object("ConfigMap", "cm", "ns", { data: { b: "2", a: "1", c: undefined }, spec: { z: [{ y: 1, x: 2 }] } })]);
        expect(Object.keys(o.data as object)).to.deep.equal(["a", "b"]);
        expect(JSON.stringify(o)).to.equal('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns"},"data":{"a":"1","b":"2"},"spec":{"z":[{"x":2,"y":1}]}}');
        expect(manifestsYaml([o, o])).to.equal(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ns\ndata:\n  a: '1'\n  b: '2'\nspec:\n  z:\n    - x: 2\n      'y': 1\n".repeat(2),
        );
    });

    it("lists every resource by type, then name, with parent, provider and dependsOn", () => {
        const listing = resourceListing([
            { ...resource("b:type", "y", "p"), provider: "prov", dependsOn: ["d"] },
            resource("a:type", "z"),
            resource("b:type", "x"),
        ]);
        expect(listing.map((r) => `${r.type} ${r.name}`)).to.deep.equal(["a:type z", "b:type x", "b:type y"]);
        expect(listing[2]).to.deep.include({ parent: "p", provider: "prov", dependsOn: ["d"], custom: true });
    });
});
