/** Kubernetes recommended labels, defined once for every object this program makes. */

/**
 * 1.x: api, webui, redis; 2.x: web, worker and the scheduled jobs; both: the migration Job, the runtime's
 * settings ConfigMap and Secret, and an inCluster database.
 */
export type ArgusComponent = "api" | "webui" | "migrate" | "redis" | "web" | "worker" | "housekeeping" | "version-check" | "runtime" | "database" | "backup";

/**
 * The Pod Security Standard a namespace of ours enforces: every Pod here meets `restricted`, so the cluster may
 * enforce it (a review stack's own namespace; the deployers' namespace, deployers/identities.ts).
 */
export const podSecurityLabel = { key: "pod-security.kubernetes.io/enforce", value: "restricted" } as const;

/** Labels of the objects an instance shares between its components (namespace, ServiceAccount). */
export function instanceLabels(instance: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": "argus",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/part-of": "argus",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** Labels that identify a component's Pods. Deployment selectors are immutable, so they hold nothing that changes. */
export function selectorLabels(instance: string, component: ArgusComponent): Record<string, string> {
    return {
        "app.kubernetes.io/name": "argus",
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/component": component,
    };
}

/** The instance's labels plus the component, for every object of a component. */
export function componentLabels(instance: string, component: ArgusComponent): Record<string, string> {
    return { ...instanceLabels(instance), "app.kubernetes.io/component": component };
}
