import { expect } from "chai";
import { RecordedResource } from "../../render/mocks";
import { resourceTree, typeCounts } from "../../render/tree";

/** What the render prints on the terminal, as `pulumi preview` would (render/tree.ts). */

const resource = (type: string, name: string, parent?: string): RecordedResource => ({ type, name, parent, custom: true, inputs: {} });

describe("the render's resource tree and counts", () => {
    const resources = [
        resource("pulumi:pulumi:Stack", "argus-staging"),
        resource("argus:index:Instance", "argus", "pulumi:pulumi:Stack::argus-staging"),
        resource("kubernetes:core/v1:Service", "svc", "argus:index:Instance::argus"),
        resource("argus:index:Workload", "work", "argus:index:Instance::argus"),
        resource("kubernetes:apps/v1:Deployment", "dep", "argus:index:Workload::work"),
        resource("kubernetes:core/v1:ConfigMap", "cm", "argus:index:Workload::work"),
    ];

    it("shows every resource under its parent, sorted by name, with the branches of pulumi preview", () => {
        expect(resourceTree(resources).split("\n")).to.deep.equal([
            "     Type                                      Name",
            " +   pulumi:pulumi:Stack                       argus-staging",
            " +   └─ argus:index:Instance                   argus",
            " +      ├─ kubernetes:core/v1:Service          svc",
            " +      └─ argus:index:Workload                work",
            " +         ├─ kubernetes:core/v1:ConfigMap     cm",
            " +         └─ kubernetes:apps/v1:Deployment    dep",
        ]);
    });

    it("sums up each type, in code-unit order", () => {
        expect(typeCounts([...resources, resource("kubernetes:core/v1:Service", "svc2")]).split("\n")).to.deep.equal([
            "Resources: 7 to create",
            "      1 argus:index:Instance",
            "      1 argus:index:Workload",
            "      1 kubernetes:apps/v1:Deployment",
            "      1 kubernetes:core/v1:ConfigMap",
            "      2 kubernetes:core/v1:Service",
            "      1 pulumi:pulumi:Stack",
        ]);
    });
});
