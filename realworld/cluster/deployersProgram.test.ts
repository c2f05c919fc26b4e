// The deployers program (deployers/) against the suite's control plane, as a cluster admin runs it: from
// nothing (the fixture's set-up, upDeployers), its kubeconfig outputs (secrets, each working as its identity),
// a second up that changes nothing, a token rotated, the pre-flight's refusals against stand-ins
// (standInApiServer.ts) for an older cluster and for one without argus-staging, and the destroy. Last in the
// run: the rotation and the destroy end the identities every other file deploys with.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { deployerObjects } from "../../deployers/objects";
import { deployerNamespace, deployerUsername, fixedNamespaces } from "../../deployers/names";
import { environments, serviceAccount, tokenSecret } from "../../deployers/identities";
import { Environment } from "../../stacks/stackName";
import { ok, Result } from "../shared/process";
import { deployersPulumi, DeployersUp, downDeployers, kubeconfigsOf, upDeployers } from "./deployersProgram";
import { asIdentity, cluster } from "./fixture";
import { kubectlName } from "./kubectl";
import { StandInApiServer, StandInCluster } from "./standInApiServer";
import { summary } from "./workspace";

/** `kubectl get` of one deployerObjects() object as the admin; undefined when it does not exist. */
async function live(object: ReturnType<typeof deployerObjects>[number]): Promise<object | undefined> {
    return cluster().client.get([kubectlName(object), ...(object.metadata.namespace ? ["-n", object.metadata.namespace] : [])]);
}

describe("the deployers program (deployers/), run by the cluster admin", () => {
    let applied: DeployersUp;
    before(async () => {
        applied = await upDeployers(cluster());
    });
    after(async () => {
        await downDeployers(cluster());
    });

    describe("up from nothing", () => {
        it("creates every object of deployerObjects() on the cluster", async () => {
            expect(summary(applied.up.output).created).to.equal(deployerObjects().length + 3); // the stack, the provider, the component
            const missing: string[] = [];
            for (const object of deployerObjects()) if (!(await live(object))) missing.push(`${object.kind} ${object.metadata.name}`);
            expect(missing).to.deep.equal([]);
        });

        it("shows the kubeconfigs as secrets unless --show-secrets", async () => {
            const outputs = JSON.parse((await deployersPulumi(applied.ws, ["stack", "output", "--json", "--stack", applied.stack])).stdout) as Record<string, unknown>;
            expect([outputs.productionKubeconfig, outputs.stagingKubeconfig, outputs.reviewKubeconfig]).to.deep.equal(["[secret]", "[secret]", "[secret]"]);
            expect(outputs.usernames).to.deep.equal(Object.fromEntries(environments.map((e) => [e, deployerUsername(e)])));
        });
    });

    describe("each identity's kubeconfig", () => {
        const answers: Record<string, { whoami: Result; canCreate: Result }> = {};
        // The fixture's identities are these outputs (deployers.ts setUpIdentities), each written to a file once.
        before(async () => {
            for (const environment of environments) {
                answers[environment] = {
                    whoami: await asIdentity(environment, ["auth", "whoami", "-o", "json"]),
                    // In the context's default namespace: production's and staging's own; review has none (default).
                    canCreate: await asIdentity(environment, ["auth", "can-i", "create", "configmaps"]),
                };
            }
        });

        it("is answered by the API server as its own identity", () => {
            const usernames = environments.map((e) => (JSON.parse(answers[e].whoami.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username);
            expect(usernames).to.deep.equal(environments.map(deployerUsername));
        });

        it("may change objects in production's and staging's namespace by default, and review nowhere by default", () => {
            expect(environments.map((e) => answers[e].canCreate.stdout.trim())).to.deep.equal(["yes", "yes", "no"]);
        });
    });

    describe("a second up", () => {
        let second: Result;
        before(async () => {
            second = await deployersPulumi(applied.ws, ["up", "--yes", "--non-interactive", "--stack", applied.stack]);
        });

        it("changes nothing", () => {
            expect(second.code, second.output).to.equal(0);
            expect(summary(second.output)).to.deep.equal({ unchanged: deployerObjects().length + 3 });
        });
    });

    describe("staging's token rotated as docs/operations.md says (its ServiceAccount and Secret deleted, then up --refresh)", () => {
        const whoami = async (kubeconfig: string, name: string) => {
            const file = path.join(applied.ws.tmp, name);
            fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
            return cluster().kubectl(["--kubeconfig", file, "auth", "whoami", "-o", "json"]);
        };
        let oldTokenAfterDelete: Result;
        let rotation: Result;
        let rotated: Record<Environment, string>;
        let newToken: Result;
        let newTokenMayDeploy: Result;
        before(async () => {
            ok(
                await cluster().kubectl(["-n", deployerNamespace, "delete", "--ignore-not-found", `serviceaccount/${serviceAccount("staging").metadata.name}`, `secret/${tokenSecret("staging").metadata.name}`]),
                "kubectl delete serviceaccount and secret",
            );
            oldTokenAfterDelete = await whoami(applied.kubeconfigs.staging, "staging-old.kubeconfig");
            rotation = await deployersPulumi(applied.ws, ["up", "--yes", "--refresh", "--non-interactive", "--stack", applied.stack]);
            rotated = await kubeconfigsOf(applied.ws, applied.stack);
            newToken = await whoami(rotated.staging, "staging-new.kubeconfig");
            // The roles bind the ServiceAccount by name: the new one holds them at once.
            newTokenMayDeploy = await cluster().kubectl(["--kubeconfig", path.join(applied.ws.tmp, "staging-new.kubeconfig"), "auth", "can-i", "patch", "deployments.apps"]);
        });

        it("refuses the old token as soon as they are gone (401)", () => {
            expect(oldTokenAfterDelete.code).to.not.equal(0);
            expect(oldTokenAfterDelete.stderr).to.contain("Unauthorized");
        });

        it("makes a new token, answered as staging's identity, with staging's rights", () => {
            expect(rotation.code, rotation.output).to.equal(0);
            expect(summary(rotation.output)).to.deep.include({ created: 2 });
            expect(rotated.staging).to.not.equal(applied.kubeconfigs.staging);
            expect((JSON.parse(newToken.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username).to.equal(deployerUsername("staging"));
            expect(newTokenMayDeploy.stdout.trim()).to.equal("yes");
        });

        it("leaves the other identities' kubeconfigs as they were", () => {
            expect([rotated.production, rotated.review]).to.deep.equal([applied.kubeconfigs.production, applied.kubeconfigs.review]);
        });
    });

    /** `preview` and `up` of a new stack whose admin kubeconfig points at a stand-in answering as `standIn`. */
    function againstStandIn(stack: string, standIn: StandInCluster): { preview: Result; up: Result; resources: string[] } {
        const seen = { preview: undefined as unknown as Result, up: undefined as unknown as Result, resources: [] as string[] };
        let server: StandInApiServer;
        before(async () => {
            server = await StandInApiServer.start(standIn);
            const ws = applied.ws;
            expect((await deployersPulumi(ws, ["stack", "init", stack, "--non-interactive"])).code).to.equal(0);
            expect((await deployersPulumi(ws, ["config", "set", "--secret", "--stack", stack, "kubeconfig", "--", server.kubeconfigText()])).code).to.equal(0);
            seen.preview = await deployersPulumi(ws, ["preview", "--non-interactive", "--stack", stack]);
            seen.up = await deployersPulumi(ws, ["up", "--yes", "--non-interactive", "--stack", stack]);
            const state = JSON.parse((await deployersPulumi(ws, ["stack", "export", "--stack", stack])).stdout) as { deployment: { resources?: { type: string }[] } };
            seen.resources = (state.deployment.resources ?? []).map((r) => r.type);
        });
        after(async () => {
            await server?.close();
            await deployersPulumi(applied.ws, ["stack", "rm", "--yes", "--force", "--stack", stack]);
        });
        return seen;
    }

    describe("against a stand-in for a 1.29 cluster (no ValidatingAdmissionPolicy)", () => {
        const seen = againstStandIn("older", { gitVersion: "v1.29.3", servesPolicies: false, namespaces: Object.values(fixedNamespaces) });

        it("stops preview and up with the pre-flight's message, without a stack trace", () => {
            for (const result of [seen.preview, seen.up]) {
                expect(result.code).to.not.equal(0);
                expect(result.output).to.match(/The pre-flight of stack "older" against the cluster at https:\/\/127\.0\.0\.1:\d+ found 1 problem; nothing was created\./);
                expect(result.output).to.contain("v1.29.3 has no admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy; it is GA from 1.30");
                expect(result.output).to.not.match(/\n\s+at .*\.ts:\d+/);
            }
        });

        it("leaves the stack without a resource", () => {
            expect(seen.resources.filter((t) => t !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });
    });

    describe("against a stand-in for a 1.34 cluster without argus-staging", () => {
        const seen = againstStandIn("nostaging", { gitVersion: "v1.34.4", servesPolicies: true, namespaces: [fixedNamespaces.production] });

        it("refuses the same way, naming the namespace and the command that makes it", () => {
            expect(seen.up.code).to.not.equal(0);
            expect(seen.up.output).to.contain("namespace argus-staging does not exist; the Role of its deployer lives there, and the cluster team makes it. Fix: kubectl create namespace argus-staging && kubectl label namespace argus-staging pod-security.kubernetes.io/enforce=restricted");
            expect(seen.resources.filter((t) => t !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });
    });

    describe("pulumi destroy", () => {
        let destroyed: Result | undefined;
        before(async () => {
            destroyed = await downDeployers(cluster());
        });

        it("removes every object", async () => {
            expect(destroyed?.code, destroyed?.output).to.equal(0);
            const left: string[] = [];
            for (const object of deployerObjects()) if (await live(object)) left.push(`${object.kind} ${object.metadata.name}`);
            expect(left).to.deep.equal([]);
        });
    });
});
