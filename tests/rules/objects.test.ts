import { expect } from "chai";
import { containersOf, KubernetesObject, PodTemplate, podTemplates } from "../../rules/objects";
import { container, labels, object, workload } from "../support/objects";

describe("the Pod templates of a render's workloads", () => {
    let templates: PodTemplate[];
    let bare: KubernetesObject;
    beforeEach(() => {
        bare = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "bare" }, spec: { template: {} } };
        templates = podTemplates([workload("Deployment"), object("ConfigMap", "cm"), workload("CronJob"), bare]);
    });

    it("takes a Deployment's, a CronJob's and a Job's, in the objects' order, and nothing of other kinds", () => {
        expect(templates.map((t) => t.owner.kind)).to.deep.equal(["Deployment", "CronJob", "Job"]);
        expect(templates[1].labels).to.deep.equal(labels);
        expect(templates[1].spec.containers.map((c: any) => c.name)).to.deep.equal(["c"]);
    });

    it("reads a template without metadata or spec as having no labels and an empty Pod spec", () => {
        expect(templates[2]).to.deep.equal({ owner: bare, labels: {}, spec: {} });
    });
});

describe("a Pod's containers", () => {
    let pod: PodTemplate;
    beforeEach(() => {
        pod = podTemplates([workload("Job", {}, undefined, { initContainers: [container({ name: "init" })] })])[0];
    });

    it("lists init containers first, each marked as one", () => {
        expect(containersOf(pod).map(({ container: c, init }) => `${c.name} ${init}`)).to.deep.equal(["init true", "c false"]);
    });

    it("takes a Pod spec without containers as having none", () => {
        expect(containersOf({ ...pod, spec: {} })).to.deep.equal([]);
    });
});
