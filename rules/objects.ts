/**
 * The objects the rules read: a Kubernetes object as plain data (a rendered manifest, or a policy resource's
 * props), and the Pod templates and containers inside the workloads among them.
 */
import { podTemplateOf } from "../util/podTemplates";

export type KubernetesObject = {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [key: string]: unknown };
    [key: string]: unknown;
};

/** A workload's Pod template: the workload, the labels its Pods get, and the Pod spec. */
export interface PodTemplate {
    readonly owner: KubernetesObject;
    readonly labels: Record<string, string>;
    readonly spec: any;
}

/** The Pod templates of the render's workloads. */
export function podTemplates(objects: KubernetesObject[]): PodTemplate[] {
    return objects.flatMap((o) => {
        const template = podTemplateOf(o);
        return template ? [{ owner: o, labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} }] : [];
    });
}

/** A Pod's containers, init containers first, each with whether it is one. */
export function containersOf(pod: PodTemplate): { container: any; init: boolean }[] {
    return [
        ...((pod.spec.initContainers ?? []) as any[]).map((container) => ({ container, init: true })),
        ...((pod.spec.containers ?? []) as any[]).map((container) => ({ container, init: false })),
    ];
}
