/**
 * The policy pack's rule, as a plain function: the Kubernetes objects of a stack, from the resources the
 * engine hands a stack policy, through the same checks as every offline render (render/checks.ts).
 */
import { checkObjects } from "../render/checks";
import { KubernetesObject } from "../render/manifests";

/** What the engine gives a stack policy of each resource (`PolicyResource` of @pulumi/policy 1.21.0). */
export interface StackResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
}

/**
 * The objects the stack sends to the cluster: Kubernetes resources with a kind. Reading a value that is
 * unknown during a preview throws, and the SDK then reports the policy as advisory for that preview
 * (server.js of @pulumi/policy 1.21.0); at `up` every value is known.
 */
export function kubernetesObjectsOf(resources: readonly StackResource[]): KubernetesObject[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:") && typeof r.props.kind === "string")
        .map((r) => JSON.parse(JSON.stringify(r.props)) as KubernetesObject);
}

/** The objects an operator makes, as the program exports them (`externalObjects`, an output of the stack). */
export function declaredExternals(resources: readonly StackResource[]): string[] {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const externals = stack?.props.externalObjects;
    return Array.isArray(externals) ? externals.map(String) : [];
}

/** One message per broken rule, as `Kind namespace/name: [rule] message`. */
export function stackViolations(resources: readonly StackResource[]): string[] {
    return checkObjects(kubernetesObjectsOf(resources), declaredExternals(resources)).map((f) => `${f.object}: [${f.rule}] ${f.message}`);
}
