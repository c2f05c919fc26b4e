import * as yaml from "js-yaml";
import { KubernetesObject } from "../rules/objects";
import { RecordedResource } from "./mocks";
import { compareText } from "../util/compare";

/** Order in which `kubectl apply` would want them: what others refer to comes first. */
const kindOrder = [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "Service",
    "Job",
    "Deployment",
    "CronJob",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "Ingress",
    "NetworkPolicy",
];

function kindRank(kind: string): number {
    const rank = kindOrder.indexOf(kind);
    return rank < 0 ? kindOrder.length : rank;
}

/** Sorts object keys recursively, so output does not depend on the order values were assembled in. */
function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** The Kubernetes objects among the recorded resources, as they would be sent to the cluster, in a stable order. */
export function kubernetesObjects(resources: RecordedResource[]): KubernetesObject[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string")
        .map((r) => {
            const { apiVersion, kind, metadata, ...rest } = r.inputs as KubernetesObject;
            return { apiVersion, kind, metadata: sortKeys(metadata), ...(sortKeys(rest) as object) } as KubernetesObject;
        })
        .sort(
            (a, b) =>
                kindRank(a.kind) - kindRank(b.kind) ||
                compareText(a.kind, b.kind) ||
                compareText(a.metadata.namespace ?? "", b.metadata.namespace ?? "") ||
                compareText(a.metadata.name, b.metadata.name),
        );
}

/** Multi-document YAML of the objects. */
export function manifestsYaml(objects: KubernetesObject[]): string {
    return objects.map((o) => "---\n" + yaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false })).join("");
}

/** Every resource with its inputs, for resources.json, in a stable order. */
export function resourceListing(resources: RecordedResource[]): RecordedResource[] {
    return resources
        .map((r) => ({ type: r.type, name: r.name, parent: r.parent, provider: r.provider, dependsOn: r.dependsOn, custom: r.custom, inputs: sortKeys(r.inputs) as Record<string, unknown> }))
        .sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
}
