import { expect } from "chai";
import { reviewPolicy } from "../../deployers/admission";
import { awaitReads, deployVerbs, kindsOf, managedKinds, namespaceRules, PolicyRule, reviewNamespacesKindRules, uncoveredKinds } from "../../deployers/rights";
import { Rendering } from "../../render";
import { sharedRenders } from "../helpers";
import { workload } from "../support/objects";

const stacks = ["production", "staging", "review-123"];
// Every optional object of each layout: PodDisruptionBudgets from two replicas, 2.x's worker, CronJobs and web
// autoscaler (production's file sets webuiReplicas, which 2.x refuses).
const layouts: Record<string, Record<string, string | null>> = {
    "1.x": { apiReplicas: "2", webuiReplicas: "2" },
    "2.x": { argusVersion: "2.10.2", webuiReplicas: null, apiReplicas: "2", workerReplicas: "2", versionCheck: "true", webMaxReplicas: "4" },
};

/** Every rule's verbs and resources, flattened, for the checks that no rule holds a wildcard or an escalation. */
const everything = (rules: PolicyRule[]) => rules.flatMap((r) => [...r.verbs, ...r.resources, ...r.apiGroups]);

describe("the deployers' rights cover exactly the kinds the program makes", () => {
    const renders = Object.fromEntries(Object.entries(layouts).map(([layout, overrides]) => [layout, sharedRenders(stacks, overrides)]));
    let all: Rendering[];
    beforeEach(async () => {
        all = [];
        for (const layout of Object.keys(layouts)) all.push(...(await renders[layout]()).values());
    });

    it("every kind of every stack's render in both layouts is a managed kind", () => {
        expect(all.map((r) => [r.stack, uncoveredKinds(r.objects)])).to.deep.equal(all.map((r) => [r.stack, []]));
    });

    it("every managed kind is made by some render (no right for a kind nobody makes)", () => {
        const made = kindsOf(all.flatMap((r) => r.objects));
        expect(managedKinds.map((k) => `${k.apiVersion}/${k.kind}`).sort()).to.deep.equal(made);
    });

    it("only review stacks make the kinds of review's cluster-wide grant, their Namespace and the RoleBinding in it", () => {
        const reviewOnly = managedKinds.filter((k) => k.grant === "reviewNamespaces").map((k) => k.kind);
        expect(reviewOnly).to.deep.equal(["Namespace", "RoleBinding"]);
        const withThem = all.filter((r) => r.objects.some((o) => reviewOnly.includes(o.kind))).map((r) => r.stack);
        expect([...new Set(withThem)]).to.deep.equal(["review-123"]);
    });
});

describe("a kind the rights do not cover", () => {
    let uncovered: string[];
    beforeEach(() => {
        const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "argus" } };
        uncovered = uncoveredKinds([workload("Deployment", { image: "repo/app@sha256:" + "0".repeat(64) }), role, role]);
    });

    it("is named once, as apiVersion/kind", () => {
        expect(uncovered).to.deep.equal(["rbac.authorization.k8s.io/v1/Role"]);
    });
});

describe("the rights inside an environment's namespace", () => {
    let rules: PolicyRule[];
    beforeEach(() => (rules = namespaceRules()));

    it("manage every namespaced kind with the provider's verbs and read what its await logic watches", () => {
        expect(rules).to.deep.equal([
            { apiGroups: [""], resources: ["configmaps", "persistentvolumeclaims", "secrets", "serviceaccounts", "services"], verbs: deployVerbs },
            { apiGroups: ["apps"], resources: ["deployments"], verbs: deployVerbs },
            { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: deployVerbs },
            { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: deployVerbs },
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: deployVerbs },
            { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: deployVerbs },
            // PersistentVolumeClaims, which the await logic reads too, are managed (the backup's volume).
            { apiGroups: [""], resources: ["endpoints", "events", "pods"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
        ]);
    });

    it("are the verbs pulumi-kubernetes uses, and no others", () => {
        expect(deployVerbs).to.deep.equal(["get", "list", "watch", "create", "update", "patch", "delete"]);
    });

    it("read only what the await logic reads, never changing it", () => {
        const readOnly = rules.filter((r) => !r.verbs.includes("create")).flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`));
        // What the program also manages is covered by the managing rule.
        expect(readOnly).to.deep.equal(awaitReads.filter((a) => a.resource !== "persistentvolumeclaims").map((a) => `${a.group}/${a.resource}`));
    });

    it("give no right on the kinds of review's cluster-wide grant (Namespaces, RoleBindings): production's and staging's Role holds these", () => {
        const resources = rules.flatMap((r) => r.resources);
        expect(resources.filter((r) => ["namespaces", "rolebindings", "roles", "clusterroles", "clusterrolebindings"].includes(r))).to.deep.equal([]);
    });

    it("hold no wildcard, no escalate, bind or impersonate, and no subresource", () => {
        const all = everything([...rules, ...reviewNamespacesKindRules()]);
        expect(all.filter((x) => x.includes("*") || ["escalate", "bind", "impersonate", "deletecollection"].includes(x) || x.includes("/"))).to.deep.equal([]);
    });
});

describe("review's cluster-wide rights on the kinds it makes", () => {
    it("manage Namespaces and RoleBindings", () => {
        expect(reviewNamespacesKindRules()).to.deep.equal([
            { apiGroups: [""], resources: ["namespaces"], verbs: deployVerbs },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: deployVerbs },
        ]);
    });

    it("are each limited by the review policy: every write of these kinds by review passes its checks", () => {
        const limited = (reviewPolicy().spec as { matchConstraints: { resourceRules: { apiGroups: string[]; resources: string[]; operations: string[] }[] } }).matchConstraints.resourceRules;
        const covered = (group: string, resource: string) => limited.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && ["CREATE", "UPDATE", "DELETE"].every((op) => r.operations.includes(op)));
        const unlimited = reviewNamespacesKindRules().flatMap((r) => r.resources.filter((resource) => !covered(r.apiGroups[0], resource)));
        expect(unlimited).to.deep.equal([]);
    });
});
