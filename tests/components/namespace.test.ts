import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { instanceNamespace } from "../../components/namespace";
import { reviewRoleBinding } from "../../deployers/identities";
import { deployerName, deployerNamespace, reviewDeployerRole, reviewNamespaceMaxLength, reviewNamespacePattern } from "../../deployers/names";
import { runProgram } from "../../render/program";
import { KubernetesObject } from "../../rules/objects";
import { renderedBeforeEach } from "../helpers";

/**
 * The resources an Output came from: what the SDK sends the engine as a resource's dependencies when the Output
 * is one of its inputs (@pulumi/pulumi, sdk/nodejs/output.ts `allResources`, internal at v3.248.0, left out of the typings).
 */
const sourcesOf = (output: pulumi.Output<unknown>) => (output as unknown as { allResources(): Promise<Set<pulumi.Resource>> }).allResources();

const roleBindings = (objects: KubernetesObject[]) => objects.filter((o) => o.kind === "RoleBinding");

class Parent extends pulumi.ComponentResource {
    constructor() {
        super("test:index:Parent", "p", {});
        this.registerOutputs({});
    }
}

describe("a review stack's namespace: the review deployer's RoleBinding first", () => {
    const rendering = renderedBeforeEach("review-123");
    let binding: KubernetesObject;
    beforeEach(() => {
        expect(roleBindings(rendering().objects)).to.have.length(1);
        binding = roleBindings(rendering().objects)[0];
    });

    it("is reviewRoleBinding() of the stack's namespace, with the instance's labels", () => {
        const { labels, ...metadata } = binding.metadata;
        const expected = reviewRoleBinding("argus-review-123");
        const { labels: expectedLabels, ...expectedMetadata } = expected.metadata;
        expect({ ...binding, metadata }).to.deep.equal({ ...expected, metadata: expectedMetadata });
        expect(labels).to.include(expectedLabels as Record<string, string>).and.include({ "app.kubernetes.io/instance": "argus-review-123" });
    });

    // The policy's checks on a RoleBinding by the review identity (deployers/admission.ts reviewValidations 2 and 3).
    it("is exactly what the review policy admits: in a review namespace, binding argus-review-deployer to the review identity alone", () => {
        const namespace = binding.metadata.namespace!;
        expect(new RegExp(reviewNamespacePattern).test(namespace) && namespace.length <= reviewNamespaceMaxLength, namespace).to.equal(true);
        expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: reviewDeployerRole });
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: deployerName("review"), namespace: deployerNamespace }]);
    });
});

describe("the namespace every object of a review stack is put in", () => {
    let dependencies: string[];
    beforeEach(async () => {
        await runProgram("argus", "review-1", { values: {}, secretKeys: [] }, async () => {
            const parent = new Parent();
            const namespace = instanceNamespace("i", "argus-review-1", { namespace: "argus-review-1", createNamespace: true, bindReviewDeployer: true }, parent);
            const kinds = async (output: pulumi.Output<unknown>) => [...(await sourcesOf(output))].map((r) => (k8s.rbac.v1.RoleBinding.isInstance(r) ? "RoleBinding" : k8s.core.v1.Namespace.isInstance(r) ? "Namespace" : "other"));
            dependencies = await kinds(namespace);
            return {};
        });
    });

    // An input's Output carries the resources it came from; the SDK makes them the new resource's dependencies.
    it("comes from the RoleBinding, so every object is created after it and deleted before it", () => {
        expect(dependencies).to.deep.equal(["RoleBinding"]);
    });
});

describe("stacks that make no RoleBinding", () => {
    const production = renderedBeforeEach("production");
    const staging = renderedBeforeEach("staging");
    const stagingOwnNamespace = renderedBeforeEach("staging", { createNamespace: "true" });

    it("production and staging deploy into the cluster team's namespace, where their Role is bound already", () => {
        expect([production(), staging()].map((r) => roleBindings(r.objects).length)).to.deep.equal([0, 0]);
    });

    it("a non-review stack that makes its namespace binds no review deployer there", () => {
        expect(stagingOwnNamespace().objects.filter((o) => o.kind === "Namespace")).to.have.length(1);
        expect(roleBindings(stagingOwnNamespace().objects)).to.deep.equal([]);
    });
});
