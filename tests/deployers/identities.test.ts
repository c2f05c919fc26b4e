import { expect } from "chai";
import { environments, fixedEnvironmentRights, reviewNamespacesBinding, reviewNamespacesRules, reviewRoleBinding, reviewRoles, serviceAccount, tokenSecret } from "../../deployers/identities";
import { deployVerbs, namespaceRules, PolicyRule } from "../../deployers/rights";
import { KubernetesObject } from "../../rules/objects";

const rulesOf = (o: KubernetesObject) => o.rules as PolicyRule[];

describe("each environment's identity", () => {
    let accounts: KubernetesObject[];
    let tokens: KubernetesObject[];
    beforeEach(() => {
        accounts = environments.map(serviceAccount);
        tokens = environments.map(tokenSecret);
    });

    it("is a ServiceAccount named after the environment in argus-deployers", () => {
        expect(accounts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`)).to.deep.equal(["argus-deployers/production", "argus-deployers/staging", "argus-deployers/review"]);
    });

    it("has a token Secret the token controller fills for it", () => {
        expect(tokens.map((t) => [t.type, t.metadata.namespace, t.metadata.name, (t.metadata.annotations as Record<string, string>)["kubernetes.io/service-account.name"]])).to.deep.equal([
            ["kubernetes.io/service-account-token", "argus-deployers", "production-token", "production"],
            ["kubernetes.io/service-account-token", "argus-deployers", "staging-token", "staging"],
            ["kubernetes.io/service-account-token", "argus-deployers", "review-token", "review"],
        ]);
    });
});

describe("production's and staging's rights", () => {
    let rights: Record<string, KubernetesObject[]>;
    beforeEach(() => (rights = { production: fixedEnvironmentRights("production"), staging: fixedEnvironmentRights("staging") }));

    it("are a Role in their own namespace only, holding the in-namespace rights", () => {
        expect(rights.production.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal(["Role argus/argus-production-deployer", "RoleBinding argus/argus-production-deployer"]);
        expect(rights.staging.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal(["Role argus-staging/argus-staging-deployer", "RoleBinding argus-staging/argus-staging-deployer"]);
        expect(rulesOf(rights.production[0])).to.deep.equal(namespaceRules());
    });

    it("are bound to that environment's ServiceAccount alone", () => {
        expect(rights.staging[1].roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "argus-staging-deployer" });
        expect(rights.staging[1].subjects).to.deep.equal([{ kind: "ServiceAccount", name: "staging", namespace: "argus-deployers" }]);
        expect(rights.production[1].subjects).to.deep.equal([{ kind: "ServiceAccount", name: "production", namespace: "argus-deployers" }]);
    });
});

describe("review's rights", () => {
    let objects: KubernetesObject[];
    beforeEach(() => (objects = [...reviewRoles(), reviewNamespacesBinding()]));

    it("are the in-namespace ClusterRole, never bound cluster-wide, and the namespaces ClusterRole, bound cluster-wide to review", () => {
        expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).to.deep.equal(["ClusterRole argus-review-deployer", "ClusterRole argus-review-namespaces", "ClusterRoleBinding argus-review-namespaces"]);
        expect(rulesOf(objects[0])).to.deep.equal(namespaceRules());
        expect(objects[2].roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "argus-review-namespaces" });
        expect(objects[2].subjects).to.deep.equal([{ kind: "ServiceAccount", name: "review", namespace: "argus-deployers" }]);
    });

    it("manage namespaces and RoleBindings, and bind only argus-review-deployer", () => {
        expect(reviewNamespacesRules()).to.deep.equal([
            { apiGroups: [""], resources: ["namespaces"], verbs: deployVerbs },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: deployVerbs },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"], resourceNames: ["argus-review-deployer"] },
        ]);
    });

    it("hold no wildcard, no escalate or impersonate, and no Secret outside a review namespace", () => {
        const all = objects.flatMap((o) => (o.rules as PolicyRule[] | undefined) ?? []).flatMap((r) => [...r.verbs, ...r.resources, ...r.apiGroups, ...(r.resourceNames ?? [])]);
        expect(all.filter((x) => x.includes("*") || ["escalate", "impersonate"].includes(x))).to.deep.equal([]);
        expect(reviewNamespacesRules().flatMap((r) => r.resources)).to.not.include("secrets");
    });
});

describe("the RoleBinding a review stack makes in its namespace", () => {
    let binding: KubernetesObject;
    beforeEach(() => (binding = reviewRoleBinding("argus-review-x")));

    it("binds argus-review-deployer to the review identity there", () => {
        expect(binding.metadata.namespace).to.equal("argus-review-x");
        expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "argus-review-deployer" });
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "review", namespace: "argus-deployers" }]);
    });
});
