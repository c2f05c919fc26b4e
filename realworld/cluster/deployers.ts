// The deployer identities (deployers/) on the suite's control plane, set up once per run (fixture.ts) as a
// cluster team would: the environments' namespaces, every object of deployerObjects() applied with kubectl as
// the admin, each ServiceAccount's token read from the Secret the token controller filled, and a kubeconfig per
// identity (the token, the cluster's server and CA: what CI's file variable of each environment holds). Stack
// tests deploy with those kubeconfigs; commands as an identity are the suite's kubectl with one of them.
import { Environment } from "../../stacks/stackName";
import { deployerObjects } from "../../deployers";
import { podSecurityLabel } from "../../components/labels";
import { deployerName, deployerNamespace, fixedNamespaces, reviewPolicyName } from "../../deployers/names";
import { environments, tokenSecret } from "../../deployers/identities";
import { Result } from "../shared/process";
import { waitFor } from "../shared/wait";
import * as fs from "fs";
import { Cluster } from "./controlPlane";
import { tokenKubeconfig, writeFile } from "./pki";

/** A kubectl input holding these objects (a List, which `kubectl apply -f -` and `create -f -` take as JSON). */
export function listOf(objects: object[]): string {
    return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

/** Fails with kubectl's output unless the command succeeded. */
export function ok(result: Result, what: string): Result {
    if (result.code !== 0) throw new Error(`${what}: ${result.output}`);
    return result;
}

/** The namespaces of production and staging, as the cluster team makes them: held to Pod Security's restricted level. */
export async function environmentNamespaces(cluster: Cluster): Promise<void> {
    const namespaces = Object.values(fixedNamespaces).map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { [podSecurityLabel.key]: podSecurityLabel.value } } }));
    ok(await cluster.kubectl(["apply", "-f", "-"], { input: listOf(namespaces) }), "the environments' namespaces");
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
    return tokens as Record<Environment, string>;
}

/** A kubeconfig for one identity: its token, the cluster's server and CA. */
export function identityKubeconfig(cluster: Cluster, environment: Environment, token: string): string {
    return tokenKubeconfig(cluster.server, fs.readFileSync(cluster.caFile, "utf8"), deployerName(environment), token);
}

/**
 * Where the run's identities come from: the one function to change when the deployers' own Pulumi program
 * (deployersProgram.ts, `upDeployers(cluster)`, whose outputs are these kubeconfigs) sets them up instead.
 */
async function deployerKubeconfigs(cluster: Cluster): Promise<Record<Environment, string>> {
    const tokens = await setUpDeployers(cluster);
    return Object.fromEntries(environments.map((e) => [e, identityKubeconfig(cluster, e, tokens[e])])) as Record<Environment, string>;
}

/** The run's deployer identities: each one's kubeconfig, as text and as a file in the cluster's folder. */
export interface Identities {
    readonly kubeconfigs: Record<Environment, string>;
    readonly files: Record<Environment, string>;
}

/**
 * What the cluster team sets up once per cluster before any stack deploys: the environments' namespaces, the
 * deployer identities, and the review policy in force.
 */
export async function setUpIdentities(cluster: Cluster): Promise<Identities> {
    await environmentNamespaces(cluster);
    const kubeconfigs = await deployerKubeconfigs(cluster);
    const files = Object.fromEntries(environments.map((e) => [e, writeFile(cluster.dir, `kubeconfig-${deployerName(e)}`, kubeconfigs[e])])) as Record<Environment, string>;
    await policyInForce(cluster, files.review);
    return { kubeconfigs, files };
}

/**
 * Waits until the API server enforces the review policy: it compiles a new policy and binding from its
 * informers, a moment after they are created, and admits everything until then. Probed with a server-side
 * dry run (admission runs, nothing is stored) of a namespace the policy refuses twice over (its name and its
 * Pod Security level), so that a policy missing one check still comes into force and the tests name the gap.
 */
async function policyInForce(cluster: Cluster, reviewKubeconfig: string): Promise<void> {
    const probe = { apiVersion: "v1", kind: "Namespace", metadata: { name: "argus-policy-probe", labels: { [podSecurityLabel.key]: "privileged" } } };
    let last: Result | undefined;
    await waitFor(
        async () => {
            last = await cluster.kubectl(["--kubeconfig", reviewKubeconfig, "create", "--dry-run=server", "-f", "-"], { input: listOf([probe]) });
            return last.stderr.includes(`ValidatingAdmissionPolicy '${reviewPolicyName}'`);
        },
        60_000,
        () => `the API server enforcing ${reviewPolicyName}; a dry run of ${probe.metadata.name} as review said: ${last?.output}`,
        500,
    );
}
