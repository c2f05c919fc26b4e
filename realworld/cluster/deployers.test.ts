// The deployer identities (deployers/, issue #29) on the suite's control plane (fixture.ts; RBAC on, the
// ValidatingAdmissionPolicy plugin on by default), as the run set them up once (fixture.ts, deployers.ts):
// each identity's kubeconfig tries what it must not do and what it must. Every refusal is asserted on the API
// server's answer: RBAC's 403 ("is forbidden: User ... cannot <verb> resource ...") or the policy's message.
import { expect } from "chai";
import { reviewValidations } from "../../deployers/admission";
import { reviewRoleBinding } from "../../deployers/identities";
import { podSecurityLabel } from "../../components/labels";
import { deployerUsername, reviewPolicyName } from "../../deployers/names";
import { Environment } from "../../stacks/stackName";
import { ok, Result } from "../shared/process";
import { listOf } from "./deployers";
import { namespaceObject } from "./deployersProgram";
import { asIdentity, cluster } from "./fixture";

const reviewNamespace = "argus-review-x";

const configMap = (name: string, ns: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: { a: "b" } });

/** RBAC's refusal, as the API server words it (k8s.io/apiserver v0.34.4, pkg/endpoints/handlers/responsewriters/errors.go, forbiddenMessage). */
function forbidden(environment: Environment, verb: string, resource: string, where: string): string {
    return `User "${deployerUsername(environment)}" cannot ${verb} resource "${resource}" in API group ${where}`;
}
/** The policy's refusal, as the API server words it (k8s.io/apiserver v0.34.4, pkg/admission/plugin/policy/validating/dispatcher.go). */
function denied(check: number): string {
    return `ValidatingAdmissionPolicy '${reviewPolicyName}' with binding '${reviewPolicyName}' denied request: ${reviewValidations[check].message}`;
}

describe("deployer identities, least privilege enforced by the API server", () => {
    /** kubectl as one identity: its kubeconfig from the run's set-up (fixture.ts). */
    const as = asIdentity;
    const tries: Record<string, Result> = {};

    // The identities and the namespaces argus and argus-staging are the run's (fixture.ts): this file adds, as
    // the admin, what an identity must not reach there (a Secret, a Deployment), and removes only what it made.
    before(async () => {
        for (const ns of ["argus", "argus-staging"]) {
            ok(await cluster().kubectl(["create", "secret", "generic", "db", "-n", ns, "--from-literal=DATABASE_URL=postgresql://argus:pw@db/argus"]), `a Secret in ${ns}`);
            ok(await cluster().kubectl(["create", "deployment", "web", "-n", ns, "--image=registry.example.org/web:1", "--replicas=0"]), `a Deployment in ${ns}`);
        }
    });
    after(async () => {
        for (const ns of ["argus", "argus-staging"]) {
            await cluster().kubectl(["delete", "secret/db", "deployment/web", "-n", ns, "--ignore-not-found", "--wait=true"]);
        }
        await cluster().kubectl(["delete", "configmap", "settings", "-n", "argus-staging", "--ignore-not-found"]);
        await cluster().kubectl(["delete", "namespace", reviewNamespace, "--ignore-not-found", "--wait=true", "--timeout=120s"]);
    });

    describe("the review identity", () => {
        before(async () => {
            // What it must be refused: reads outside its namespaces (RBAC), writes outside them (the policy).
            tries.secretInArgus = await as("review", ["get", "secret", "db", "-n", "argus"]);
            tries.secretInStaging = await as("review", ["get", "secret", "db", "-n", "argus-staging"]);
            tries.secretsEverywhere = await as("review", ["get", "secrets", "--all-namespaces"]);
            tries.staging2 = await as("review", ["create", "-f", "-"], listOf([namespaceObject("argus-staging2")]));
            tries.kubeSystem2 = await as("review", ["create", "-f", "-"], listOf([namespaceObject("kube-system2")]));
            tries.privileged = await as("review", ["create", "-f", "-"], listOf([namespaceObject("argus-review-y", { [podSecurityLabel.key]: "privileged" })]));
            tries.deleteArgus = await as("review", ["delete", "namespace", "argus", "--wait=false"]);
            tries.labelArgus = await as("review", ["label", "namespace", "argus", `${podSecurityLabel.key}=privileged`, "--overwrite"]);
            tries.scaleDeployment = await as("review", ["scale", "deployment", "web", "-n", "argus", "--replicas=2"]);
            tries.bindInArgus = await as("review", ["create", "-f", "-"], listOf([reviewRoleBinding("argus")]));
            tries.unbindProduction = await as("review", ["delete", "rolebinding", "argus-production-deployer", "-n", "argus"]);
            tries.clusterAdmin = await as("review", ["create", "clusterrolebinding", "review-admin", "--clusterrole=cluster-admin", `--serviceaccount=argus-deployers:review`]);
            tries.ownRole = await as("review", ["patch", "clusterrole", "argus-review-deployer", "--type=json", "-p", '[{"op":"add","path":"/rules/0/resources/-","value":"nodes"}]']);
            tries.policy = await as("review", ["delete", "validatingadmissionpolicy", reviewPolicyName]);
            tries.policyBinding = await as("review", ["delete", "validatingadmissionpolicybinding", reviewPolicyName]);
            // What a review stack does: its namespace, the binding of its rights there, then its objects.
            tries.ownNamespace = await as("review", ["create", "-f", "-"], listOf([namespaceObject(reviewNamespace)]));
            tries.bindClusterAdminThere = await as("review", ["create", "rolebinding", "admin", "-n", reviewNamespace, "--clusterrole=cluster-admin", "--serviceaccount=argus-deployers:review"]);
            tries.bindOtherThere = await as("review", ["create", "rolebinding", "other", "-n", reviewNamespace, "--clusterrole=argus-review-deployer", "--serviceaccount=argus-deployers:production"]);
            tries.configMapBeforeBinding = await as("review", ["create", "-f", "-"], listOf([configMap("early", reviewNamespace)]));
            tries.ownBinding = await as("review", ["create", "-f", "-"], listOf([reviewRoleBinding(reviewNamespace)]));
            tries.configMap = await as("review", ["create", "-f", "-"], listOf([configMap("settings", reviewNamespace)]));
        });

        it("cannot read a Secret in argus nor in argus-staging", () => {
            expect(tries.secretInArgus.stderr).to.include(forbidden("review", "get", "secrets", `"" in the namespace "argus"`));
            expect(tries.secretInStaging.stderr).to.include(forbidden("review", "get", "secrets", `"" in the namespace "argus-staging"`));
        });

        it("cannot list Secrets cluster-wide", () => {
            expect(tries.secretsEverywhere.stderr).to.include(forbidden("review", "list", "secrets", `"" at the cluster scope`));
        });

        it("cannot create namespace argus-staging2 nor kube-system2 (the policy's name check)", () => {
            expect(tries.staging2.stderr).to.include(`namespaces "argus-staging2" is forbidden: ${denied(0)}`);
            expect(tries.kubeSystem2.stderr).to.include(`namespaces "kube-system2" is forbidden: ${denied(0)}`);
        });

        it("cannot create a review namespace outside Pod Security's restricted level", () => {
            expect(tries.privileged.stderr).to.include(`namespaces "argus-review-y" is forbidden: ${denied(1)}`);
        });

        it("cannot delete namespace argus, nor relabel it", async () => {
            expect(tries.deleteArgus.stderr).to.include(`namespaces "argus" is forbidden: ${denied(0)}`);
            expect(tries.labelArgus.stderr).to.include(`namespaces "argus" is forbidden: ${denied(0)}`);
            const argus = await cluster().get(["namespace", "argus"]);
            expect(argus?.status?.phase).to.equal("Active");
            expect(argus?.metadata?.labels?.[podSecurityLabel.key]).to.equal(podSecurityLabel.value);
        });

        it("cannot change a Deployment in argus", () => {
            // kubectl scale reads the Deployment first: RBAC refuses that read, or else the change.
            expect(tries.scaleDeployment.stderr).to.match(/User "system:serviceaccount:argus-deployers:review" cannot (get|patch) resource "deployments" in API group "apps" in the namespace "argus"/);
        });

        it("cannot bind its rights in argus, nor remove production's binding there (the policy's RoleBinding checks)", () => {
            expect(tries.bindInArgus.stderr).to.include(`rolebindings.rbac.authorization.k8s.io "argus-review-deployer" is forbidden: ${denied(2)}`);
            expect(tries.unbindProduction.stderr).to.include(`rolebindings.rbac.authorization.k8s.io "argus-production-deployer" is forbidden: ${denied(2)}`);
        });

        it("cannot bind itself to cluster-admin, cluster-wide or in its own namespace", () => {
            expect(tries.clusterAdmin.stderr).to.include(forbidden("review", "create", "clusterrolebindings", `"rbac.authorization.k8s.io" at the cluster scope`));
            // RBAC's escalation check (pkg/registry/rbac/rolebinding/policybased/storage.go): no `bind` of it, and not all its rights.
            expect(tries.bindClusterAdminThere.stderr).to.include(`rolebindings.rbac.authorization.k8s.io "admin" is forbidden: user "${deployerUsername("review")}"`);
            expect(tries.bindClusterAdminThere.stderr).to.include("is attempting to grant RBAC permissions not currently held");
        });

        it("cannot bind its role to another identity, even in its own namespace", () => {
            expect(tries.bindOtherThere.stderr).to.include(`rolebindings.rbac.authorization.k8s.io "other" is forbidden: ${denied(3)}`);
        });

        it("cannot grant itself more by editing its own ClusterRole", () => {
            // kubectl patch reads the object first: RBAC refuses that read, or else the patch.
            expect(tries.ownRole.stderr).to.match(/User "system:serviceaccount:argus-deployers:review" cannot (get|patch) resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope/);
        });

        it("cannot edit the policy or its binding", () => {
            expect(tries.policy.stderr).to.include(forbidden("review", "delete", "validatingadmissionpolicies", `"admissionregistration.k8s.io" at the cluster scope`));
            expect(tries.policyBinding.stderr).to.include(forbidden("review", "delete", "validatingadmissionpolicybindings", `"admissionregistration.k8s.io" at the cluster scope`));
        });

        it("can create namespace argus-review-x, where it has no rights until it binds argus-review-deployer to itself", () => {
            expect(tries.ownNamespace.code, tries.ownNamespace.output).to.equal(0);
            expect(tries.configMapBeforeBinding.stderr).to.include(forbidden("review", "create", "configmaps", `"" in the namespace "${reviewNamespace}"`));
            expect(tries.ownBinding.code, tries.ownBinding.output).to.equal(0);
        });

        it("then creates a ConfigMap in it", () => {
            expect(tries.configMap.code, tries.configMap.output).to.equal(0);
        });
    });

    describe("staging's identity", () => {
        before(async () => {
            tries.stagingReadsArgus = await as("staging", ["get", "secret", "db", "-n", "argus"]);
            tries.stagingListsArgus = await as("staging", ["get", "configmaps", "-n", "argus"]);
            tries.stagingWritesArgus = await as("staging", ["create", "-f", "-"], listOf([configMap("stray", "argus")]));
            tries.stagingScalesArgus = await as("staging", ["scale", "deployment", "web", "-n", "argus", "--replicas=2"]);
            tries.stagingDeletesArgus = await as("staging", ["delete", "deployment", "web", "-n", "argus"]);
            tries.stagingOwn = await as("staging", ["get", "secret", "db", "-n", "argus-staging", "-o", "name"]);
            tries.stagingWritesOwn = await as("staging", ["create", "-f", "-"], listOf([configMap("settings", "argus-staging")]));
        });

        it("cannot read or change anything in argus", () => {
            expect(tries.stagingReadsArgus.stderr).to.include(forbidden("staging", "get", "secrets", `"" in the namespace "argus"`));
            expect(tries.stagingListsArgus.stderr).to.include(forbidden("staging", "list", "configmaps", `"" in the namespace "argus"`));
            expect(tries.stagingWritesArgus.stderr).to.include(forbidden("staging", "create", "configmaps", `"" in the namespace "argus"`));
            expect(tries.stagingScalesArgus.stderr).to.match(/User "system:serviceaccount:argus-deployers:staging" cannot (get|patch) resource "deployments" in API group "apps" in the namespace "argus"/);
            expect(tries.stagingDeletesArgus.stderr).to.include(forbidden("staging", "delete", "deployments", `"apps" in the namespace "argus"`));
        });

        it("reads and writes in argus-staging", () => {
            expect(tries.stagingOwn.stdout.trim(), tries.stagingOwn.output).to.equal("secret/db");
            expect(tries.stagingWritesOwn.code, tries.stagingWritesOwn.output).to.equal(0);
        });
    });

    describe("production's identity", () => {
        before(async () => {
            tries.productionReadsStaging = await as("production", ["get", "secret", "db", "-n", "argus-staging"]);
            tries.productionWritesStaging = await as("production", ["create", "-f", "-"], listOf([configMap("stray", "argus-staging")]));
            tries.productionReadsReview = await as("production", ["get", "configmaps", "-n", reviewNamespace]);
            tries.productionOwn = await as("production", ["get", "secret", "db", "-n", "argus", "-o", "name"]);
        });

        it("cannot read or change anything in argus-staging or a review namespace", () => {
            expect(tries.productionReadsStaging.stderr).to.include(forbidden("production", "get", "secrets", `"" in the namespace "argus-staging"`));
            expect(tries.productionWritesStaging.stderr).to.include(forbidden("production", "create", "configmaps", `"" in the namespace "argus-staging"`));
            expect(tries.productionReadsReview.stderr).to.include(forbidden("production", "list", "configmaps", `"" in the namespace "${reviewNamespace}"`));
        });

        it("reads in argus", () => {
            expect(tries.productionOwn.stdout.trim(), tries.productionOwn.output).to.equal("secret/db");
        });
    });
});
