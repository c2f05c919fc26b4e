import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamespaceConfig } from "../stacks/sections/cluster";
import { reviewRoleBinding } from "../deployers/identities";
import { instanceLabels, podSecurityLabel } from "./labels";

/**
 * The namespace an instance's objects go to: the cluster team's, or one the stack makes (review stacks). In a
 * namespace it makes, a review stack's first object is the RoleBinding that gives its deployer identity its
 * rights there (deployers/identities.ts reviewRoleBinding, the one binding deployers/admission.ts lets it make);
 * the name every other object is put in is read from that RoleBinding, so each depends on it.
 *
 * Why that orders them (pulumi v3.248.0): an Output carries the resources it came from; the Node.js SDK waits
 * for every resource an input refers to before it registers a resource and sends them to the engine as its
 * dependencies (sdk/nodejs/runtime/resource.ts, prepareResource: propertyToDirectDependencyURNs), so nothing
 * is created in the namespace before the binding exists; and the engine deletes in reverse dependency order
 * (pkg/resource/deploy/step_generator.go, ScheduleDeletes), so `destroy` removes every object while the
 * identity still holds its rights, then the binding, then the Namespace (the binding's own namespace is read
 * from the Namespace in the same way).
 */
export function instanceNamespace(name: string, instance: string, config: NamespaceConfig, parent: pulumi.Resource): pulumi.Output<string> {
    if (!config.createNamespace) {
        return pulumi.output(config.namespace);
    }
    const namespace = new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: config.namespace, labels: { ...instanceLabels(instance), [podSecurityLabel.key]: podSecurityLabel.value } } },
        { parent },
    ).metadata.name;
    if (!config.bindReviewDeployer) {
        return namespace;
    }
    const binding = reviewRoleBinding(config.namespace);
    return new k8s.rbac.v1.RoleBinding(
        `${name}-review-deployer`,
        {
            // The render's rules want every object to carry the instance's labels; the policy checks only roleRef and subjects.
            metadata: { ...binding.metadata, namespace, labels: { ...(binding.metadata.labels as Record<string, string>), ...instanceLabels(instance) } },
            roleRef: binding.roleRef as k8s.types.input.rbac.v1.RoleRef,
            subjects: binding.subjects as k8s.types.input.rbac.v1.Subject[],
        },
        { parent },
    ).metadata.namespace;
}
