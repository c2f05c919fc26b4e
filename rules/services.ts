/** Where traffic goes: rules across objects, run by the policy pack as part of its stack policy (policy/rules.ts). */
import { CheckFailure, objectId } from "./failure";
import { KubernetesObject, podTemplates } from "./objects";

/** Services that select no Pods, and Ingresses that send traffic to no Service port: rules across objects. */
export function serviceFailures(objects: KubernetesObject[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (o: KubernetesObject, rule: string, message: string) => failures.push({ object: objectId(o), rule, message });

    const templates = podTemplates(objects).filter((p) => p.owner.kind === "Deployment");
    const services = objects.filter((o) => o.kind === "Service");
    for (const service of services) {
        const selector = ((service.spec as any)?.selector ?? {}) as Record<string, string>;
        const selects = templates.some(
            (p) =>
                p.owner.metadata.namespace === service.metadata.namespace &&
                Object.keys(selector).length > 0 &&
                Object.entries(selector).every(([k, v]) => p.labels[k] === v),
        );
        if (!selects) {
            fail(service, "service-selects-pods", "selects no Pod template of a Deployment.");
        }
    }

    for (const ingress of objects.filter((o) => o.kind === "Ingress")) {
        for (const rule of ((ingress.spec as any)?.rules ?? []) as any[]) {
            for (const p of rule.http?.paths ?? []) {
                const backend = p.backend?.service;
                const service = services.find((s) => s.metadata.name === backend?.name && s.metadata.namespace === ingress.metadata.namespace);
                const ports = ((service?.spec as any)?.ports ?? []) as { name?: string; port: number }[];
                if (!backend) {
                    fail(ingress, "ingress-backend", `sends ${rule.host}${p.path} to no Service.`);
                } else if (!service) {
                    fail(ingress, "ingress-backend", `sends ${rule.host}${p.path} to Service "${backend.name}", which does not exist.`);
                } else if (!ports.some((port) => port.name === backend.port?.name || port.port === backend.port?.number)) {
                    fail(ingress, "ingress-backend", `sends ${rule.host}${p.path} to a port Service "${backend.name}" does not have.`);
                }
            }
        }
    }
    return failures;
}
