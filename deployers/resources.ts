/**
 * deployerObjects() as pulumi-kubernetes resources: each object becomes a resource of its kind (@pulumi/kubernetes
 * 4.34.2 classes), all children of one component and through the one provider given, each depending on the one
 * before it, so the engine creates them in deployerObjects()'s order (and deletes them in reverse): review's
 * cluster-wide binding only after the policy and its binding.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../rules/objects";
import type { Environment } from "../stacks/stackName";
import { environments, tokenSecret } from "./identities";

/**
 * A resource class of any kind. Its args are typed `never` so that every kind's class fits; the object's fields
 * are that kind's args (tests/deployers/objects.test.ts checks every object against the Kubernetes schema).
 */
type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** `apiVersion/kind` of every kind deployerObjects() makes, to its class. */
export const resourceClasses: Readonly<Record<string, ResourceClass>> = {
    "v1/Namespace": k8s.core.v1.Namespace,
    "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
    "v1/Secret": k8s.core.v1.Secret,
    "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
    "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
    "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBinding,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
    "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
};

/** The resource name of an object: `<namespace>-<name>`, or its name for a cluster-scoped one (the type tells kinds apart). */
export function resourceName(object: KubernetesObject): string {
    return object.metadata.namespace ? `${object.metadata.namespace}-${object.metadata.name}` : object.metadata.name;
}

export interface DeployerIdentitiesArgs {
    /** In apply order (deployerObjects()). */
    readonly objects: readonly KubernetesObject[];
}

export class DeployerIdentities extends pulumi.ComponentResource {
    /** Each environment's service-account-token Secret, filled by the token controller before the provider reports it created. */
    readonly tokenSecrets: Readonly<Record<Environment, k8s.core.v1.Secret>>;

    constructor(name: string, args: DeployerIdentitiesArgs, opts: pulumi.ComponentResourceOptions) {
        super("argus:deployers:DeployerIdentities", name, {}, opts);
        const created = new Map<string, pulumi.CustomResource>();
        let previous: pulumi.CustomResource | undefined;
        for (const object of args.objects) {
            const type = `${object.apiVersion}/${object.kind}`;
            const Class = resourceClasses[type];
            if (!Class) throw new Error(`deployers/resources.ts has no resource class for ${type}`);
            const { apiVersion: _apiVersion, kind: _kind, ...spec } = object;
            previous = new Class(resourceName(object), spec as never, { parent: this, ...(previous ? { dependsOn: [previous] } : {}) });
            created.set(`${type} ${resourceName(object)}`, previous);
        }
        const secretOf = (e: Environment) => created.get(`v1/Secret ${resourceName(tokenSecret(e))}`) as k8s.core.v1.Secret;
        this.tokenSecrets = Object.fromEntries(environments.map((e) => [e, secretOf(e)])) as Record<Environment, k8s.core.v1.Secret>;
        this.registerOutputs({});
    }
}
