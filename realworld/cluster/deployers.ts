// What the cluster team sets up once per run (fixture.ts), before any stack deploys: the deployers program run
// as the admin (deployersProgram.ts: the environments' namespaces, the identities), each identity's kubeconfig
// from its outputs written to a file, and the review policy in force. Stack tests deploy with those
// kubeconfigs; commands as an identity are the suite's kubectl with one of them.
import { Environment } from "../../stacks/stackName";
import { podSecurityLabel } from "../../components/labels";
import { deployerName, reviewPolicyName } from "../../deployers/names";
import { environments } from "../../deployers/identities";
import { Result } from "../shared/process";
import { waitFor } from "../shared/wait";
import { Cluster } from "./controlPlane";
import { namespaceObject, upDeployers } from "./deployersProgram";
import { writeFile } from "./pki";

/** A kubectl input holding these objects (a List, which `kubectl apply -f -` and `create -f -` take as JSON). */
export function listOf(objects: object[]): string {
    return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

/** The run's deployer identities: each one's kubeconfig, as text and as a file in the cluster's folder. */
export interface Identities {
    readonly kubeconfigs: Record<Environment, string>;
    readonly files: Record<Environment, string>;
}

/** The identities, from the deployers program's outputs (applied once per cluster), and the review policy in force. */
export async function setUpIdentities(cluster: Cluster): Promise<Identities> {
    const { kubeconfigs } = await upDeployers(cluster);
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
    const probe = namespaceObject("argus-policy-probe", { [podSecurityLabel.key]: "privileged" });
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
