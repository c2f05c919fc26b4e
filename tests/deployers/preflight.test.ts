import { expect } from "chai";
import { Answer, askCluster, ClusterAnswers, preflight, PreflightError, preflightProblems } from "../../deployers/preflight";

const server = "https://10.0.0.1:6443";
const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });
const version = (gitVersion: string) => ok({ major: "1", minor: gitVersion.split(".")[1], gitVersion });
const discovery = (...names: string[]) => ok({ kind: "APIResourceList", groupVersion: "admissionregistration.k8s.io/v1", resources: names.map((name) => ({ name })) });
const policyResources = discovery("mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicies/status", "validatingadmissionpolicybindings", "validatingwebhookconfigurations");
const notFound: Answer = { status: 404, body: "{}" };

/** A cluster answering each path from `answers` (404 for any other), recording what was asked. */
function cannedCluster(answers: Record<string, Answer>): { asked: string[]; ask: (path: string) => Promise<Answer> } {
    const asked: string[] = [];
    return { asked, ask: async (path) => (asked.push(path), answers[path] ?? notFound) };
}

const healthy = { "/version": version("v1.34.4"), "/apis/admissionregistration.k8s.io/v1": policyResources, "/api/v1/namespaces/argus": ok({}), "/api/v1/namespaces/argus-staging": ok({}) };

describe("the pre-flight", () => {
    describe("a 1.34 cluster serving the policy resources, with both namespaces", () => {
        let answers: ClusterAnswers;
        let asked: string[];
        beforeEach(async () => {
            const cluster = cannedCluster(healthy);
            answers = await askCluster(cluster.ask);
            asked = cluster.asked;
        });

        it("asks the version, the policy group's discovery and each namespace", () => {
            expect(asked).to.deep.equal(["/version", "/apis/admissionregistration.k8s.io/v1", "/api/v1/namespaces/argus", "/api/v1/namespaces/argus-staging"]);
        });

        it("finds nothing wrong", () => {
            expect(preflightProblems(server, answers)).to.deep.equal([]);
        });
    });

    describe("a 1.29 cluster (no admissionregistration.k8s.io/v1 policies)", () => {
        it("says the version has no ValidatingAdmissionPolicy and since when it is GA", async () => {
            const answers = await askCluster(cannedCluster({ ...healthy, "/version": version("v1.29.3"), "/apis/admissionregistration.k8s.io/v1": discovery("validatingwebhookconfigurations") }).ask);
            expect(preflightProblems(server, answers)).to.deep.equal([
                {
                    problem: "v1.29.3 has no admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy; it is GA from 1.30, and without it nothing limits the review identity to argus-review-* namespaces.",
                    fix: "upgrade the cluster to Kubernetes 1.30 or newer, or point argus-deployers:kubeconfig / kubeContext at a cluster that runs it.",
                },
            ]);
        });

        it("and a 1.31 cluster that turned the group version off is told to serve it", async () => {
            const answers = await askCluster(cannedCluster({ ...healthy, "/version": version("v1.31.2"), "/apis/admissionregistration.k8s.io/v1": notFound }).ask);
            expect(preflightProblems(server, answers).map((p) => p.problem)).to.deep.equal(["v1.31.2 does not serve validatingadmissionpolicies and validatingadmissionpolicybindings in admissionregistration.k8s.io/v1."]);
        });
    });

    describe("a missing namespace", () => {
        it("is the cluster team's to make, with the restricted Pod Security label, and every problem is listed", async () => {
            const answers = await askCluster(cannedCluster({ ...healthy, "/version": version("v1.29.3"), "/apis/admissionregistration.k8s.io/v1": notFound, "/api/v1/namespaces/argus-staging": notFound }).ask);
            expect(preflightProblems(server, answers)).to.have.length(2);
            expect(preflightProblems(server, answers)[1]).to.deep.equal({
                problem: "namespace argus-staging does not exist; the Role of its deployer lives there, and the cluster team makes it.",
                fix: "kubectl create namespace argus-staging && kubectl label namespace argus-staging pod-security.kubernetes.io/enforce=restricted",
            });
        });

        it("or one the user may not read says a cluster admin is needed", async () => {
            const answers = await askCluster(cannedCluster({ ...healthy, "/api/v1/namespaces/argus": { status: 403, body: "{}" } }).ask);
            expect(preflightProblems(server, answers).map((p) => p.problem)).to.deep.equal(["the kubeconfig's user may not read namespace argus (403): this program needs a cluster admin."]);
        });
    });

    describe("a cluster that does not answer, or refuses the credentials", () => {
        it("is one problem, asked once", async () => {
            const cluster = cannedCluster({ "/version": { error: "ECONNREFUSED (connect ECONNREFUSED 10.0.0.1:6443)" } });
            const problems = preflightProblems(server, await askCluster(cluster.ask));
            expect(cluster.asked).to.deep.equal(["/version"]);
            expect(problems.map((p) => p.problem)).to.deep.equal(["the API server at https://10.0.0.1:6443 did not answer: ECONNREFUSED (connect ECONNREFUSED 10.0.0.1:6443)"]);
        });

        it("a 401 says the credentials were refused", async () => {
            const problems = preflightProblems(server, await askCluster(cannedCluster({ "/version": { status: 401, body: "{}" } }).ask));
            expect(problems.map((p) => p.problem)).to.deep.equal(["the API server at https://10.0.0.1:6443 refused the kubeconfig's credentials (401 Unauthorized)."]);
        });
    });

    describe("its refusal", () => {
        it("is one RunError naming the stack, the cluster's URL, every problem with its fix, and that nothing was created", async () => {
            const cluster = cannedCluster({ ...healthy, "/version": version("v1.29.3"), "/apis/admissionregistration.k8s.io/v1": notFound, "/api/v1/namespaces/argus": notFound });
            let error: unknown;
            await preflight("paas2", server, cluster.ask).catch((err) => (error = err));
            expect(error).to.be.instanceOf(PreflightError);
            expect((error as Error).message.split("\n")).to.deep.equal([
                'The pre-flight of stack "paas2" against the cluster at https://10.0.0.1:6443 found 2 problems; nothing was created.',
                "  - v1.29.3 has no admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy; it is GA from 1.30, and without it nothing limits the review identity to argus-review-* namespaces. Fix: upgrade the cluster to Kubernetes 1.30 or newer, or point argus-deployers:kubeconfig / kubeContext at a cluster that runs it.",
                "  - namespace argus does not exist; the Role of its deployer lives there, and the cluster team makes it. Fix: kubectl create namespace argus && kubectl label namespace argus pod-security.kubernetes.io/enforce=restricted",
            ]);
        });
    });
});
