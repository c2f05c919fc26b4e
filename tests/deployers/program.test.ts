import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { mapSource } from "../helpers";
import { parseDeployersConfig } from "../../deployers/config";
import { deployerObjects } from "../../deployers/objects";
import { Answer } from "../../deployers/preflight";
import { deployersStack } from "../../deployers/stack";
import { RenderMocks } from "../../render/mocks";
import { ProgramRun, runProgram } from "../../render/program";
import { KubernetesObject } from "../../rules/objects";

const kubeconfig = ["clusters:", "- name: c\n  cluster:\n    server: https://10.0.0.1:6443", "users:", "- name: u\n  user:\n    token: ADMIN", "contexts:", "- name: admin\n  context:\n    cluster: c\n    user: u", "current-context: admin"].join("\n");
const b64 = (text: string) => Buffer.from(text).toString("base64");

/** The token controller, as the provider reports a service-account-token Secret once it is filled. */
class TokenControllerMocks extends RenderMocks {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const answer = super.newResource(args);
        if (args.type === "kubernetes:core/v1:Secret") {
            const name = (args.inputs.metadata as { name: string }).name;
            return { ...answer, state: { ...answer.state, data: { "ca.crt": b64("CA"), namespace: b64("argus-deployers"), token: b64(`token-of-${name}`) } } };
        }
        return answer;
    }
}

const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });
const policyDiscovery = ok({ resources: [{ name: "validatingadmissionpolicies" }, { name: "validatingadmissionpolicybindings" }] });
function cluster(gitVersion: string, discovery: Answer): (path: string) => Promise<Answer> {
    const answers: Record<string, Answer> = { "/version": ok({ gitVersion }), "/apis/admissionregistration.k8s.io/v1": discovery, "/api/v1/namespaces/argus": ok({}), "/api/v1/namespaces/argus-staging": ok({}) };
    return async (path) => answers[path] ?? { status: 404, body: "" };
}

interface DeployersRun extends ProgramRun {
    readonly error?: Error;
    /** Which outputs the program returned as secrets (runProgram hands back their values alone). */
    readonly secretOutputs: string[];
}

async function run(ask: (path: string) => Promise<Answer>): Promise<DeployersRun> {
    let error: Error | undefined;
    const secretOutputs: string[] = [];
    const result = await runProgram(
        "argus-deployers",
        "paas2",
        { values: {}, secretKeys: [] },
        async () => {
            const config = parseDeployersConfig("paas2", mapSource({ apiServer: "https://k8s.example.org" }, { kubeconfig }), { unreadable: "unused" });
            const outputs = await deployersStack(config, ask).catch((err: Error) => ((error = err), {} as Record<string, unknown>));
            // isSecret is on every Output at run time, left out of the SDK's typings.
            for (const [key, value] of Object.entries(outputs)) if (pulumi.Output.isInstance(value) && (await (value as unknown as { isSecret: Promise<boolean> }).isSecret)) secretOutputs.push(key);
            return outputs;
        },
        new TokenControllerMocks(),
    );
    return { ...result, error, secretOutputs };
}

/** The type token pulumi-kubernetes gives an object's kind, e.g. kubernetes:rbac.authorization.k8s.io/v1:Role. */
function typeOf(object: KubernetesObject): string {
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["core", object.apiVersion];
    return `kubernetes:${group}/${version}:${object.kind}`;
}

describe("the deployers program under Pulumi's mocks", () => {
    describe("on a cluster that passes the pre-flight", () => {
        let result: DeployersRun;
        before(async () => (result = await run(cluster("v1.34.4", policyDiscovery))));
        const objectResources = () => result.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom);

        it("makes every object of deployerObjects() once, as a resource of its kind with its name, in that order", () => {
            expect(objectResources().map((r) => `${r.type} ${(r.inputs.metadata as { namespace?: string }).namespace ?? ""}/${(r.inputs.metadata as { name: string }).name}`)).to.deep.equal(
                deployerObjects().map((o) => `${typeOf(o)} ${o.metadata.namespace ?? ""}/${o.metadata.name}`),
            );
        });

        it("sends every one through the one provider, the admin's cluster, under one component", () => {
            expect(result.resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => [r.name, r.inputs.kubeconfig !== undefined])).to.deep.equal([["admin-cluster", true]]);
            expect([...new Set(objectResources().map((r) => `${r.provider} ${r.parent}`))]).to.deep.equal(["pulumi:providers:kubernetes::admin-cluster argus:deployers:DeployerIdentities::argus-deployers"]);
        });

        it("creates review's ClusterRoleBinding only after the policy's binding", () => {
            const binding = result.resources.find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
            expect(binding?.dependsOn).to.deep.equal(["kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding::argus-review-deployer-limits"]);
        });

        it("outputs each identity's kubeconfig as a secret, with its token, and the usernames and namespaces in plain text", () => {
            const outputs = result.outputs;
            expect(result.secretOutputs).to.deep.equal(["productionKubeconfig", "stagingKubeconfig", "reviewKubeconfig"]);
            expect(outputs.reviewKubeconfig).to.contain("token: token-of-review-token").and.to.contain("server: https://k8s.example.org");
            expect(outputs.usernames).to.deep.equal({ production: "system:serviceaccount:argus-deployers:production", staging: "system:serviceaccount:argus-deployers:staging", review: "system:serviceaccount:argus-deployers:review" });
            expect(outputs.namespaces).to.deep.equal({ production: "argus", staging: "argus-staging", review: "^argus-review-[a-z0-9]([-a-z0-9]*[a-z0-9])?$" });
        });
    });

    describe("on a 1.29 cluster", () => {
        let result: DeployersRun;
        before(async () => (result = await run(cluster("v1.29.3", { status: 404, body: "" }))));

        it("stops with the pre-flight's message and registers nothing, not even the provider", () => {
            expect(result.error?.message).to.match(/^The pre-flight of stack "paas2" against the cluster at https:\/\/10.0.0.1:6443 found 1 problem; nothing was created.\n  - v1.29.3 has no admissionregistration.k8s.io\/v1 ValidatingAdmissionPolicy/);
            expect(result.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        });
    });
});
