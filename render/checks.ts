import { KubernetesObject } from "./manifests";
import { secretPlaceholder } from "./stackConfig";

/** One broken rule in one object. */
export interface CheckFailure {
    /** `Kind namespace/name`. */
    readonly object: string;
    readonly rule: string;
    readonly message: string;
}

/** Raised when a render breaks the schema or our policy; nothing is written then. */
export class CheckError extends Error {
    constructor(readonly failures: readonly CheckFailure[]) {
        super(
            [`${failures.length} check(s) failed; nothing was written:`, ...failures.map((f) => `  - ${f.object}: [${f.rule}] ${f.message}`)].join(
                "\n",
            ),
        );
        this.name = "CheckError";
    }
}

export function objectId(o: KubernetesObject): string {
    return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** The kubernetes-models class of an object's apiVersion and kind, or undefined when the package has none. */
function modelClass(o: KubernetesObject): ModelClass | undefined {
    const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
    try {
        // Loaded per kind on demand: the validators are large, and a render needs only a handful.
        return require(`kubernetes-models/${group ? `${group}/` : ""}${version}/${o.kind}`)[o.kind] as ModelClass;
    } catch {
        return undefined;
    }
}

/** Validates each object offline against the Kubernetes OpenAPI schema that kubernetes-models ships. */
export function schemaFailures(objects: KubernetesObject[]): CheckFailure[] {
    return objects.flatMap((o) => {
        const Model = modelClass(o);
        if (!Model) {
            return [{ object: objectId(o), rule: "schema", message: `no schema for ${o.apiVersion} ${o.kind}.` }];
        }
        try {
            new Model(o).validate();
            return [];
        } catch (err) {
            return [{ object: objectId(o), rule: "schema", message: (err as Error).message }];
        }
    });
}

interface PodTemplate {
    readonly owner: KubernetesObject;
    readonly labels: Record<string, string>;
    readonly spec: any;
}

/** The Pod templates of Deployments, Jobs and CronJobs (whose template sits in the jobTemplate). */
function podTemplates(objects: KubernetesObject[]): PodTemplate[] {
    return objects
        .filter((o) => o.kind === "Deployment" || o.kind === "Job" || o.kind === "CronJob")
        .map((o) => {
            const spec = o.spec as any;
            const template = (o.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : spec?.template) ?? {};
            return { owner: o, labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} };
        });
}

const requiredLabels = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];

/** A secret-looking variable name whose value must come from a Secret, never inline. */
const secretEnvName = /SECRET|PASSWORD|TOKEN|DATABASE_URL/;

function isPinned(image: string): boolean {
    return /@sha256:[0-9a-f]{64}$/.test(image) || /:(?!latest$)[\w][\w.-]*$/.test(image.split("/").pop() ?? "");
}

/** Our policy, checked on every render: the rules a reviewer would otherwise check by eye. */
export function policyFailures(objects: KubernetesObject[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (o: KubernetesObject, rule: string, message: string) => failures.push({ object: objectId(o), rule, message });

    for (const o of objects) {
        const labels = (o.metadata.labels ?? {}) as Record<string, string>;
        const missing = requiredLabels.filter((l) => !labels[l]);
        if (missing.length > 0) {
            fail(o, "labels", `lacks ${missing.join(", ")}.`);
        }
        if (o.kind === "ConfigMap" && JSON.stringify(o.data ?? {}).includes(secretPlaceholder)) {
            fail(o, "no-secret-in-configmap", "holds a secret value; secrets belong in a Secret.");
        }
    }

    for (const pod of podTemplates(objects)) {
        const o = pod.owner;
        const podNonRoot = pod.spec.securityContext?.runAsNonRoot === true;
        for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
            const where = `container ${c.name}`;
            if (!isPinned(String(c.image ?? ""))) {
                fail(o, "pinned-image", `${where} runs "${c.image}", which is untagged or latest.`);
            }
            if (!(podNonRoot || c.securityContext?.runAsNonRoot === true) || c.securityContext?.runAsUser === 0) {
                fail(o, "non-root", `${where} may run as root.`);
            }
            if (c.securityContext?.allowPrivilegeEscalation !== false) {
                fail(o, "non-root", `${where} allows privilege escalation.`);
            }
            if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
                fail(o, "limits", `${where} has no cpu and memory limits.`);
            }
            // Init containers run to completion before the Pod starts; Kubernetes refuses probes on them.
            const initContainer = (pod.spec.initContainers ?? []).includes(c);
            if (o.kind === "Deployment" && !initContainer && (!c.readinessProbe || !c.livenessProbe)) {
                fail(o, "probes", `${where} lacks a readiness or liveness probe.`);
            }
            for (const env of c.env ?? []) {
                if (env.value !== undefined && (env.value === secretPlaceholder || secretEnvName.test(env.name))) {
                    fail(o, "no-plain-secret-env", `${where} sets ${env.name} inline; take it from a Secret.`);
                }
            }
        }
    }

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
                if (!service) {
                    fail(ingress, "ingress-backend", `sends ${rule.host}${p.path} to Service "${backend?.name}", which does not exist.`);
                } else if (!ports.some((port) => port.name === backend.port?.name || port.port === backend.port?.number)) {
                    fail(ingress, "ingress-backend", `sends ${rule.host}${p.path} to a port Service "${backend.name}" does not have.`);
                }
            }
        }
    }
    return failures;
}

/** Every check a render must pass. */
export function checkObjects(objects: KubernetesObject[]): CheckFailure[] {
    return [...schemaFailures(objects), ...policyFailures(objects)];
}
