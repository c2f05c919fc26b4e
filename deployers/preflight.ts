/**
 * The pre-flight: before the program registers any resource (the provider included), it asks the cluster the
 * provider will use whether it can hold what deployerObjects() makes, and stops with one message listing every
 * problem. Pure: the answers come from `ask` (apiClient.ts over https; canned ones in tests).
 *
 * What it asks, by the API server's own paths: `GET /version` (version.Info, k8s.io/apimachinery v0.34.4
 * pkg/version/types.go: gitVersion, major, minor); `GET /apis/admissionregistration.k8s.io/v1`, the group
 * version's discovery (an APIResourceList whose `resources[].name` are the resources served; 404 when the
 * group version is not served); `GET /api/v1/namespaces/<name>` for the namespaces the Roles live in.
 * ValidatingAdmissionPolicy is GA in admissionregistration.k8s.io/v1 from Kubernetes 1.30.
 */
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabel } from "../components/labels";
import { fixedNamespaces } from "./names";

/** An API server's answer to one GET, or why none came. */
export type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

export type Ask = (path: string) => Promise<Answer>;

export interface ClusterAnswers {
    readonly version: Answer;
    /** Undefined when the cluster was not asked (it did not answer /version). */
    readonly admission?: Answer;
    readonly namespaces: Readonly<Record<string, Answer>>;
}

export interface PreflightProblem {
    readonly problem: string;
    readonly fix: string;
}

/** The namespaces production's and staging's Roles live in; the cluster team makes them. */
export const requiredNamespaces: readonly string[] = [fixedNamespaces.production, fixedNamespaces.staging];
export const policyGroupVersion = "admissionregistration.k8s.io/v1";
export const policyResources: readonly string[] = ["validatingadmissionpolicies", "validatingadmissionpolicybindings"];
/** The first Kubernetes release with ValidatingAdmissionPolicy GA (admissionregistration.k8s.io/v1). */
export const policyGaMinor = 30;

/** Asks the cluster everything the verdict needs; only /version when that gets no answer. */
export async function askCluster(ask: Ask): Promise<ClusterAnswers> {
    const version = await ask("/version");
    if ("error" in version || version.status === 401) return { version, namespaces: {} };
    const [admission, ...namespaceAnswers] = await Promise.all([ask(`/apis/${policyGroupVersion}`), ...requiredNamespaces.map((n) => ask(`/api/v1/namespaces/${n}`))]);
    return { version, admission, namespaces: Object.fromEntries(requiredNamespaces.map((n, i) => [n, namespaceAnswers[i]])) };
}

function json(answer: Answer): Record<string, unknown> | undefined {
    if ("error" in answer || answer.status !== 200) return undefined;
    try {
        const value = JSON.parse(answer.body) as unknown;
        return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

const useAdmin = "use the cluster admin's kubeconfig (argus-deployers:kubeconfig, or the file $KUBECONFIG names) and context (argus-deployers:kubeContext)";

/** Kubernetes minor version of a gitVersion such as v1.29.3 (or v1.30.2+k3s1). */
export function minorOf(gitVersion: string): number | undefined {
    const m = /^v?1\.(\d+)(\.|$|[-+])/.exec(gitVersion);
    return m ? Number(m[1]) : undefined;
}

function policyProblem(gitVersion: string, admission: Answer | undefined): PreflightProblem | undefined {
    const served = (json(admission ?? { error: "" })?.resources as { name?: string }[] | undefined)?.map((r) => r.name) ?? [];
    const missing = policyResources.filter((r) => !served.includes(r));
    if (missing.length === 0) return undefined;
    const minor = minorOf(gitVersion);
    if (minor !== undefined && minor < policyGaMinor) {
        return {
            problem: `${gitVersion} has no ${policyGroupVersion} ValidatingAdmissionPolicy; it is GA from 1.${policyGaMinor}, and without it nothing limits the review identity to argus-review-* namespaces.`,
            fix: `upgrade the cluster to Kubernetes 1.${policyGaMinor} or newer, or point argus-deployers:kubeconfig / kubeContext at a cluster that runs it.`,
        };
    }
    return {
        problem: `${gitVersion} does not serve ${missing.join(" and ")} in ${policyGroupVersion}.`,
        fix: `serve ${policyGroupVersion} (kube-apiserver --runtime-config=${policyGroupVersion}=true, on by default from 1.${policyGaMinor}), or point argus-deployers:kubeconfig / kubeContext at a cluster that does.`,
    };
}

function namespaceProblem(namespace: string, answer: Answer | undefined): PreflightProblem | undefined {
    if (!answer || ("status" in answer && answer.status === 200)) return undefined;
    if ("error" in answer) return { problem: `asking for namespace ${namespace} got no answer: ${answer.error}`, fix: "run the program again once the API server answers." };
    if (answer.status === 404) {
        return {
            problem: `namespace ${namespace} does not exist; the Role of its deployer lives there, and the cluster team makes it.`,
            fix: `kubectl create namespace ${namespace} && kubectl label namespace ${namespace} ${podSecurityLabel.key}=${podSecurityLabel.value}`,
        };
    }
    if (answer.status === 403) return { problem: `the kubeconfig's user may not read namespace ${namespace} (403): this program needs a cluster admin.`, fix: `${useAdmin}.` };
    return { problem: `asking for namespace ${namespace} got HTTP ${answer.status}.`, fix: "check the API server's health, then run the program again." };
}

/** Pure: every problem the answers show, none when the cluster can hold the deployer identities. */
export function preflightProblems(server: string, answers: ClusterAnswers): PreflightProblem[] {
    const { version } = answers;
    if ("error" in version) {
        return [{ problem: `the API server at ${server} did not answer: ${version.error}`, fix: `check that the cluster is up and reachable from here, or ${useAdmin}.` }];
    }
    if (version.status === 401) {
        return [{ problem: `the API server at ${server} refused the kubeconfig's credentials (401 Unauthorized).`, fix: `renew the credentials, or ${useAdmin}.` }];
    }
    const gitVersion = json(version)?.gitVersion;
    if (typeof gitVersion !== "string") {
        return [{ problem: `${server}/version answered HTTP ${version.status} without a Kubernetes version: is this an API server?`, fix: `${useAdmin}.` }];
    }
    const policy = policyProblem(gitVersion, answers.admission);
    const namespaces = requiredNamespaces.map((n) => namespaceProblem(n, answers.namespaces[n]));
    return [policy, ...namespaces].filter((p): p is PreflightProblem => p !== undefined);
}

/** The cluster cannot take the deployer identities. A RunError: `pulumi up` and `preview` print the message alone. */
export class PreflightError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly server: string,
        readonly problems: readonly PreflightProblem[],
    ) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(
            [
                `The pre-flight of stack "${stack}" against the cluster at ${server} found ${count}; nothing was created.`,
                ...problems.map((p) => `  - ${p.problem} Fix: ${p.fix}`),
            ].join("\n"),
        );
        this.name = "PreflightError";
    }
}

/** Asks the cluster and throws PreflightError when it cannot take the deployer identities. */
export async function preflight(stack: string, server: string, ask: Ask): Promise<void> {
    const problems = preflightProblems(server, await askCluster(ask));
    if (problems.length > 0) throw new PreflightError(stack, server, problems);
}
