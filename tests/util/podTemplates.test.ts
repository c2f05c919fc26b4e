import { expect } from "chai";
import { podSpecOf, podTemplateOf } from "../../util/podTemplates";

describe("the Pod template of a workload (util/podTemplates.ts)", () => {
    const template = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c" }] } };

    it("is spec.template of a Deployment and a Job", () => {
        expect(podTemplateOf({ kind: "Deployment", spec: { template } })).to.equal(template);
        expect(podTemplateOf({ kind: "Job", spec: { template } })).to.equal(template);
    });

    it("is spec.jobTemplate.spec.template of a CronJob", () => {
        expect(podTemplateOf({ kind: "CronJob", spec: { jobTemplate: { spec: { template } } } })).to.equal(template);
        expect(podSpecOf({ kind: "CronJob", spec: { jobTemplate: { spec: { template } } } })).to.equal(template.spec);
    });

    it("is undefined for other kinds, or a workload without one", () => {
        expect(podTemplateOf({ kind: "Service", spec: { template } })).to.equal(undefined);
        expect(podTemplateOf({ kind: "CronJob", spec: { jobTemplate: {} } })).to.equal(undefined);
        expect(podTemplateOf({ kind: "Deployment" })).to.equal(undefined);
    });

    it("podSpecOf names an object without a Pod spec", () => {
        expect(() => podSpecOf({ kind: "Service", metadata: { name: "argus-api" } })).to.throw("Service argus-api has no Pod template.");
    });
});
