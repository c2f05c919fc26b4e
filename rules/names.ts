/** Names and labels the API server would refuse, one object at a time. */
import { dns1035Label, dns1123Label, dns1123Subdomain, labelPart } from "../util/validators";
import { podTemplateOf } from "../util/podTemplates";
import { CheckFailure, ObjectRule, runObjectRules } from "./failure";
import { KubernetesObject } from "./objects";

/** The API server's rule for an object's name, by kind, and why the length where it is not the usual 253. */
function nameRule(kind: string): { pattern: RegExp; max: number; what: string } {
    switch (kind) {
        case "Service":
            return { pattern: dns1035Label, max: 63, what: "a DNS-1035 label (a letter first), at most 63" };
        case "Namespace":
            return { pattern: dns1123Label, max: 63, what: "a DNS-1123 label, at most 63" };
        case "CronJob":
            return { pattern: dns1123Subdomain, max: 52, what: "a DNS-1123 subdomain of at most 52, since Kubernetes appends 11 characters to name its Jobs" };
        case "Job":
            return { pattern: dns1123Subdomain, max: 63, what: "a DNS-1123 subdomain of at most 63, since it is copied into the job-name label of its Pods" };
        default:
            return { pattern: dns1123Subdomain, max: 253, what: "a DNS-1123 subdomain, at most 253" };
    }
}

/**
 * Why a label key or value is refused, or undefined. The API server's qualified-name rule: a key is `name` or
 * `prefix/name`, the prefix a DNS-1123 subdomain of at most 253, the name and the value at most 63 of
 * [A-Za-z0-9-_.] starting and ending with a letter or digit (the value may be empty).
 */
function labelProblem(key: string, value: string): string | undefined {
    const parts = key.split("/");
    const name = parts[parts.length - 1];
    const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0].length <= 253 && dns1123Subdomain.test(parts[0]));
    if (!prefixOk || name.length > 63 || !labelPart.test(name)) {
        return `label key "${key}" is not [DNS subdomain/]name of at most 63.`;
    }
    if (value.length > 63 || (value !== "" && !labelPart.test(value))) {
        return `label ${key} has value "${value}", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`;
    }
    return undefined;
}

/** Every label map an object carries: its own, its Pod template's, and the selectors that must match them. */
function labelMaps(o: KubernetesObject): Record<string, string>[] {
    const spec = (o.spec ?? {}) as any;
    return [
        o.metadata.labels,
        podTemplateOf(o)?.metadata?.labels,
        spec.selector?.matchLabels,
        o.kind === "Service" ? spec.selector : undefined,
        spec.podSelector?.matchLabels,
    ].filter((m): m is Record<string, string> => typeof m === "object" && m !== null);
}

/** Names and labels the API server would refuse, one object at a time. */
export const nameRules: readonly ObjectRule[] = [
    {
        name: "name",
        description: "Object names the API server takes, by kind.",
        check: (o, fail) => {
            const rule = nameRule(o.kind);
            if (o.metadata.name.length > rule.max || !rule.pattern.test(o.metadata.name)) fail(`the name must be ${rule.what}.`);
        },
    },
    {
        name: "label",
        description: "Label keys and values the API server takes, in labels and selectors.",
        check: (o, fail) => {
            for (const labels of labelMaps(o)) {
                for (const [key, value] of Object.entries(labels)) {
                    const problem = labelProblem(key, String(value));
                    if (problem) fail(problem);
                }
            }
        },
    },
];

export function nameFailures(objects: KubernetesObject[]): CheckFailure[] {
    return runObjectRules(objects, nameRules);
}
