/**
 * The policy pack's rules, as plain functions over what the engine hands a policy (`PolicyResource` and
 * `ResourceValidationArgs` of @pulumi/policy 1.21.0): the same checks as every offline render (rules/).
 *
 * The engine gives a policy each resource's props behind a proxy that throws on a value unknown during a
 * preview, and a policy that touches one is reported as advisory for that preview (server.js of
 * @pulumi/policy 1.21.0). So nothing here reads more than its rule needs: each single-object rule is a policy
 * of its own, run on each resource before its step, and an unknown image digest disarms the image rule of
 * that one Deployment, not its hardening.
 */
import { checkObjects } from "../rules";
import { ObjectRule } from "../rules/failure";
import { hardeningRules } from "../rules/hardening";
import { nameRules } from "../rules/names";
import { KubernetesObject } from "../rules/objects";
import { referenceFailures } from "../rules/references";
import { schemaFailures } from "../rules/schema";
import { serviceFailures } from "../rules/services";

/** A resource as the engine hands it to a policy. */
export interface PolicyResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
}

/** The rules a resource policy applies to one object, each its own policy. */
export const resourceRules: readonly ObjectRule[] = [
    ...hardeningRules,
    ...nameRules,
    {
        name: "schema",
        description: "The object validates against the Kubernetes OpenAPI schema (kubernetes-models).",
        check: (o, fail) => schemaFailures([o]).forEach((f) => fail(f.message)),
    },
];

/** The object a resource sends to the cluster, read in place; undefined for providers, components and others. */
export function kubernetesObjectOf(resource: PolicyResource): KubernetesObject | undefined {
    return resource.type.startsWith("kubernetes:") && typeof resource.props.kind === "string" ? (resource.props as unknown as KubernetesObject) : undefined;
}

/** What one rule says of one resource: its messages (the engine names the resource). */
export function resourceViolations(rule: ObjectRule, resource: PolicyResource): string[] {
    const object = kubernetesObjectOf(resource);
    const messages: string[] = [];
    if (object) rule.check(object, (message) => messages.push(`[${rule.name}] ${message}`));
    return messages;
}

/** The objects an operator makes, as the program exports them (`externalObjects`, an output of the stack). */
export function declaredExternals(resources: readonly PolicyResource[]): string[] {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const externals = stack?.props.externalObjects;
    return Array.isArray(externals) ? externals.map(String) : [];
}

/** The rules across objects (Services, Ingresses, references), as `Kind namespace/name: [rule] message`. */
export function stackViolations(resources: readonly PolicyResource[]): string[] {
    const objects = resources.map(kubernetesObjectOf).filter((o): o is KubernetesObject => o !== undefined);
    return [...serviceFailures(objects), ...referenceFailures(objects, declaredExternals(resources))].map((f) => `${f.object}: [${f.rule}] ${f.message}`);
}

/** Every rule of the pack over a whole stack, as the render runs them: for the tests, which compare the two. */
export function allViolations(resources: readonly PolicyResource[]): string[] {
    const objects = resources.map(kubernetesObjectOf).filter((o): o is KubernetesObject => o !== undefined);
    return checkObjects(objects, declaredExternals(resources)).map((f) => `${f.object}: [${f.rule}] ${f.message}`);
}
