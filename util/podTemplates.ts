/**
 * The Pod template inside a workload object: a Deployment's or Job's `spec.template`, a CronJob's
 * `spec.jobTemplate.spec.template`. The render's rules, the tests and the real-world harnesses all look Pods
 * up through here.
 */

/** Any Kubernetes object as plain data (a rendered manifest, a policy resource's props, kubectl's JSON). */
interface ObjectWithSpec {
    readonly kind?: unknown;
    readonly spec?: unknown;
    readonly metadata?: { readonly name?: string };
}

/** The Pod template of a Deployment, Job or CronJob; undefined for other kinds, or when it has none. */
export function podTemplateOf(o: ObjectWithSpec): any {
    const spec = (o.spec ?? {}) as any;
    switch (o.kind) {
        case "CronJob":
            return spec.jobTemplate?.spec?.template;
        case "Deployment":
        case "Job":
            return spec.template;
        default:
            return undefined;
    }
}

/** The Pod spec of a Deployment, Job or CronJob; throws for an object that has none, naming it. */
export function podSpecOf(o: ObjectWithSpec): any {
    const spec = podTemplateOf(o)?.spec;
    if (!spec) {
        throw new Error(`${String(o.kind)} ${o.metadata?.name ?? ""} has no Pod template.`);
    }
    return spec;
}
