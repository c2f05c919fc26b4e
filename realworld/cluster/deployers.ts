// The deployer identities (deployers/) on the suite's control plane, as a cluster admin sets them up once:
// the environments' namespaces (the cluster team's), every object of deployerObjects() applied with kubectl,
// then each ServiceAccount's token read from the Secret the token controller filled. Commands as an identity
// are the suite's kubectl with that token in place of the admin's (`--token` overrides the kubeconfig's user).
import { Environment } from "../../stacks/stackName";
import { deployerObjects } from "../../deployers/objects";
import { podSecurityLabel } from "../../components/labels";
import { deployerNamespace, reviewPolicyName } from "../../deployers/names";
import { environments, tokenSecret } from "../../deployers/identities";
import { Result } from "../shared/process";
import { waitFor } from "../shared/wait";
import { Cluster } from "./controlPlane";

/** A kubectl input holding these objects (a List, which `kubectl apply -f -` and `create -f -` take as JSON). */
export function listOf(objects: object[]): string {
    return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

/** Fails with kubectl's output unless the command succeeded. */
export function ok(result: Result, what: string): Result {
    if (result.code !== 0) throw new Error(`${what}: ${result.output}`);
    return result;
}

/** Applies every deployer object as the admin, and returns each environment's token once the controller filled it. */
export async function setUpDeployers(cluster: Cluster): Promise<Record<Environment, string>> {
    ok(await cluster.kubectl(["apply", "-f", "-"], { input: listOf(deployerObjects()) }), "kubectl apply of deployerObjects()");
    const tokens: Partial<Record<Environment, string>> = {};
    for (const environment of environments) {
        const secret = tokenSecret(environment).metadata.name;
        await waitFor(
            async () => {
                const token = (await cluster.get<{ data?: { token?: string } }>(["secret", secret, "-n", deployerNamespace]))?.data?.token;
                if (token) tokens[environment] = Buffer.from(token, "base64").toString("utf8");
                return Boolean(token);
            },
            30_000,
            () => `the token controller filling ${deployerNamespace}/${secret}`,
        );
    }
    await policyInForce(cluster, tokens.review!);
    return tokens as Record<Environment, string>;
}

/**
 * Waits until the API server enforces the review policy: it compiles a new policy and binding from its
 * informers, a moment after they are created, and admits everything until then. Probed with a server-side
 * dry run (admission runs, nothing is stored) of a namespace the policy refuses twice over (its name and its
 * Pod Security level), so that a policy missing one check still comes into force and the tests name the gap.
 */
async function policyInForce(cluster: Cluster, reviewToken: string): Promise<void> {
    const probe = { apiVersion: "v1", kind: "Namespace", metadata: { name: "argus-policy-probe", labels: { [podSecurityLabel.key]: "privileged" } } };
    let last: Result | undefined;
    await waitFor(
        async () => {
            last = await cluster.kubectl(["--token", reviewToken, "create", "--dry-run=server", "-f", "-"], { input: listOf([probe]) });
            return last.stderr.includes(`ValidatingAdmissionPolicy '${reviewPolicyName}'`);
        },
        60_000,
        () => `the API server enforcing ${reviewPolicyName}; a dry run of ${probe.metadata.name} as review said: ${last?.output}`,
        500,
    );
}

/** Removes every deployer object (cluster-scoped ones included) and the namespaces the tests made. */
export async function tearDownDeployers(cluster: Cluster, namespaces: string[]): Promise<void> {
    await cluster.kubectl(["delete", "-f", "-", "--ignore-not-found", "--wait=false"], { input: listOf(deployerObjects()) });
    await cluster.kubectl(["delete", "namespace", ...namespaces, deployerNamespace, "--ignore-not-found", "--wait=true", "--timeout=120s"]);
}
