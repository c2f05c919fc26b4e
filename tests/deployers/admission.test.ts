import { expect } from "chai";
import { reviewPolicy, reviewPolicyBinding, reviewValidations } from "../../deployers/admission";
import { podSecurityLabel } from "../../components/labels";
import { KubernetesObject } from "../../rules/objects";
import { renderedBeforeEach } from "../helpers";

describe("the review identity's admission policy", () => {
    let policy: KubernetesObject;
    let spec: any;
    beforeEach(() => {
        policy = reviewPolicy();
        spec = policy.spec;
    });

    it("is a ValidatingAdmissionPolicy (v1) on writes of Namespaces and RoleBindings, failing closed", () => {
        expect(policy.apiVersion).to.equal("admissionregistration.k8s.io/v1");
        expect(spec.failurePolicy).to.equal("Fail");
        expect(spec.matchConstraints.resourceRules.map((r: any) => [r.apiGroups, r.resources, r.operations])).to.deep.equal([
            [[""], ["namespaces"], ["CREATE", "UPDATE", "DELETE"]],
            [["rbac.authorization.k8s.io"], ["rolebindings"], ["CREATE", "UPDATE", "DELETE"]],
        ]);
    });

    it("applies to requests by the review identity only", () => {
        expect(spec.matchConditions).to.deep.equal([{ name: "review-deployer", expression: "request.userInfo.username == 'system:serviceaccount:argus-deployers:review'" }]);
    });

    it("checks the namespace's name (the object, or the old object on DELETE), its Pod Security label, the RoleBinding's namespace and what it binds", () => {
        expect(spec.validations.map((v: any) => v.message)).to.deep.equal([
            "the review deployer may create, change and delete only namespaces named ^argus-review-[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            "a review namespace must carry the label pod-security.kubernetes.io/enforce=restricted",
            "the review deployer may create, change and delete RoleBindings only in namespaces named ^argus-review-[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            "the review deployer may only bind the ClusterRole argus-review-deployer to itself",
        ]);
        expect(reviewValidations[0].expression).to.equal(
            "!(request.resource.resource == 'namespaces') || ((request.operation == 'DELETE' ? oldObject : object).metadata.name.matches('^argus-review-[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && size((request.operation == 'DELETE' ? oldObject : object).metadata.name) <= 34)",
        );
        expect(reviewValidations[2].expression).to.include("request.namespace.matches(");
        expect(reviewValidations[3].expression).to.include("object.roleRef.name == 'argus-review-deployer'");
    });

    it("is bound cluster-wide to deny", () => {
        expect(reviewPolicyBinding().spec).to.deep.equal({ policyName: "argus-review-deployer-limits", validationActions: ["Deny"] });
    });
});

describe("a review stack's Namespace, as the program renders it", () => {
    const rendering = renderedBeforeEach("review-123");

    it("carries the Pod Security label the policy requires", () => {
        const namespace = rendering().objects.find((o) => o.kind === "Namespace")!;
        expect((namespace.metadata.labels as Record<string, string>)[podSecurityLabel.key]).to.equal(podSecurityLabel.value);
    });
});
