import { expect } from "chai";
import { deployerObjects } from "../../deployers/objects";
import { schemaFailures } from "../../rules/schema";
import { KubernetesObject } from "../../rules/objects";

describe("what a cluster admin applies once for the deployers", () => {
    let objects: KubernetesObject[];
    beforeEach(() => (objects = deployerObjects()));

    it("is, in apply order, the namespace, the identities and tokens, their rights, the policy, and only then review's cluster-wide binding", () => {
        expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`)).to.deep.equal([
            "Namespace argus-deployers",
            "ServiceAccount argus-deployers/production",
            "Secret argus-deployers/production-token",
            "ServiceAccount argus-deployers/staging",
            "Secret argus-deployers/staging-token",
            "ServiceAccount argus-deployers/review",
            "Secret argus-deployers/review-token",
            "Role argus/argus-production-deployer",
            "RoleBinding argus/argus-production-deployer",
            "Role argus-staging/argus-staging-deployer",
            "RoleBinding argus-staging/argus-staging-deployer",
            "ClusterRole argus-review-deployer",
            "ClusterRole argus-review-namespaces",
            "ValidatingAdmissionPolicy argus-review-deployer-limits",
            "ValidatingAdmissionPolicyBinding argus-review-deployer-limits",
            "ClusterRoleBinding argus-review-namespaces",
        ]);
    });

    it("passes the Kubernetes schema", () => {
        expect(schemaFailures(objects)).to.deep.equal([]);
    });
});
