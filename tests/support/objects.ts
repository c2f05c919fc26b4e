import { expect } from "chai";
import { KubernetesObject } from "../../rules/objects";

/** Small hand-made objects for rule-by-rule tests of rules/: valid unless a test changes them. */

export const labels = {
    "app.kubernetes.io/name": "argus",
    "app.kubernetes.io/instance": "t",
    "app.kubernetes.io/part-of": "argus",
    "app.kubernetes.io/managed-by": "pulumi",
};
export const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false };
export const limits = { limits: { cpu: "1", memory: "1Gi" } };
export const probes = { readinessProbe: { exec: { command: ["true"] } }, livenessProbe: { exec: { command: ["true"] } } };

/** A container that passes the policy, changed by `overrides`. */
export function container(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "c", image: "repo/app:1.0", securityContext: hardened, resources: limits, ...probes, ...overrides };
}

/**
 * A Deployment, Job or CronJob in namespace ns with one container (`overrides` applied), Pod-level security as
 * given, and `podSpec` merged into the Pod spec.
 */
export function workload(
    kind: string,
    overrides: Record<string, unknown> = {},
    podSecurity: Record<string, unknown> | null = { runAsNonRoot: true },
    podSpec: Record<string, unknown> = {},
): KubernetesObject {
    const template = { metadata: { labels }, spec: { ...(podSecurity ? { securityContext: podSecurity } : {}), containers: [container(overrides)], ...podSpec } };
    const spec = kind === "CronJob" ? { jobTemplate: { spec: { template } } } : { template };
    return { apiVersion: kind === "Deployment" ? "apps/v1" : "batch/v1", kind, metadata: { name: "w", namespace: "ns", labels }, spec };
}

/** Any object of the given kind, in namespace ns unless `namespace` says otherwise. */
export function object(kind: string, name: string, fields: Record<string, unknown> = {}, namespace: string | undefined = "ns"): KubernetesObject {
    return { apiVersion: "v1", kind, metadata: { name, ...(namespace ? { namespace } : {}), labels }, ...fields };
}

/** A Service selecting `selector`, with the given ports. */
export function service(name: string, selector: Record<string, string>, ports: Record<string, unknown>[], namespace = "ns"): KubernetesObject {
    return object("Service", name, { spec: { selector, ports } }, namespace);
}

/** An Ingress with one rule for host h and the given paths. */
export function ingress(paths: Record<string, unknown>[], fields: { tls?: unknown[]; annotations?: Record<string, string> } = {}): KubernetesObject {
    const o = object("Ingress", "in", { spec: { rules: [{ host: "h", http: { paths } }], ...(fields.tls ? { tls: fields.tls } : {}) } });
    if (fields.annotations) o.metadata.annotations = fields.annotations;
    return o;
}

/** A deep copy of a render's objects, with the one object of `kind` whose name contains `namePart` changed by `mutate`. */
export function brokenCopy(objects: readonly KubernetesObject[], kind: string, namePart: string, mutate: (o: any) => void): KubernetesObject[] {
    const copy = JSON.parse(JSON.stringify(objects)) as KubernetesObject[];
    const target = copy.find((o) => o.kind === kind && o.metadata.name.includes(namePart));
    expect(target, `${kind} ${namePart}`).not.to.equal(undefined);
    mutate(target);
    return copy;
}
