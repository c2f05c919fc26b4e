import { KubernetesObject } from "./manifests";
import { dns1035Label, dns1123Label, dns1123Subdomain, isPinnedImage, labelPart } from "../util/validators";
import { podTemplateOf } from "../util/podTemplates";
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
            // Only the schema's verdict is a failure; anything else (in the policy pack, a value unknown
            // during a preview) goes to the caller, which knows what it means.
            if ((err as { constructor?: { name?: string } }).constructor?.name !== "ValidationError") throw err;
            return [{ object: objectId(o), rule: "schema", message: (err as Error).message }];
        }
    });
}

interface PodTemplate {
    readonly owner: KubernetesObject;
    readonly labels: Record<string, string>;
    readonly spec: any;
}

/** The Pod templates of the render's workloads. */
function podTemplates(objects: KubernetesObject[]): PodTemplate[] {
    return objects.flatMap((o) => {
        const template = podTemplateOf(o);
        return template ? [{ owner: o, labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} }] : [];
    });
}

/** A Pod's containers, init containers first, each with whether it is one. */
function containersOf(pod: PodTemplate): { container: any; init: boolean }[] {
    return [
        ...((pod.spec.initContainers ?? []) as any[]).map((container) => ({ container, init: true })),
        ...((pod.spec.containers ?? []) as any[]).map((container) => ({ container, init: false })),
    ];
}

const requiredLabels = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];

/** A secret-looking variable name whose value must come from a Secret, never inline. */
const secretEnvName = /SECRET|PASSWORD|TOKEN|DATABASE_URL/;


/**
 * A rule that needs one object alone. The policy pack runs each as a policy of its own on each resource
 * (policy/rules.ts), so a value unknown during a preview that one rule reads (an image digest, a name made
 * from it) leaves every other rule enforced. `fail` takes the message; the caller knows the object.
 */
export interface ObjectRule {
    readonly name: string;
    readonly description: string;
    check(o: KubernetesObject, fail: (message: string) => void): void;
}

/** Each container of an object's Pod template, named for a message; none for other kinds. */
function eachContainer(o: KubernetesObject, visit: (c: any, where: string, init: boolean, pod: PodTemplate) => void): void {
    for (const pod of podTemplates([o])) {
        containersOf(pod).forEach(({ container, init }) => visit(container, `container ${container.name}`, init, pod));
    }
}

/** Our policy for one object: the rules a reviewer would otherwise check by eye. */
export const policyRules: readonly ObjectRule[] = [
    {
        name: "labels",
        description: "Every object carries the app.kubernetes.io labels that say what it belongs to.",
        check: (o, fail) => {
            const labels = (o.metadata.labels ?? {}) as Record<string, string>;
            const missing = requiredLabels.filter((l) => !labels[l]);
            if (missing.length > 0) fail(`lacks ${missing.join(", ")}.`);
        },
    },
    {
        name: "no-secret-in-configmap",
        description: "No secret value in a ConfigMap.",
        check: (o, fail) => {
            if (o.kind === "ConfigMap" && JSON.stringify(o.data ?? {}).includes(secretPlaceholder)) fail("holds a secret value; secrets belong in a Secret.");
        },
    },
    {
        name: "pinned-image",
        description: "Every container runs an image pinned to a version tag or a digest.",
        check: (o, fail) =>
            eachContainer(o, (c, where) => {
                if (!isPinnedImage(String(c.image ?? ""))) fail(`${where} runs "${c.image}", which is untagged or latest.`);
            }),
    },
    {
        name: "non-root",
        description: "No container may run as root or gain privileges.",
        check: (o, fail) =>
            eachContainer(o, (c, where, _init, pod) => {
                const podNonRoot = pod.spec.securityContext?.runAsNonRoot === true;
                if (!(podNonRoot || c.securityContext?.runAsNonRoot === true) || c.securityContext?.runAsUser === 0) fail(`${where} may run as root.`);
                if (c.securityContext?.allowPrivilegeEscalation !== false) fail(`${where} allows privilege escalation.`);
            }),
    },
    {
        name: "limits",
        description: "Every container has cpu and memory limits.",
        check: (o, fail) =>
            eachContainer(o, (c, where) => {
                if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) fail(`${where} has no cpu and memory limits.`);
            }),
    },
    {
        name: "probes",
        description: "Every container of a Deployment has a readiness and a liveness probe.",
        check: (o, fail) =>
            eachContainer(o, (c, where, init) => {
                // Init containers run to completion before the Pod starts; Kubernetes refuses probes on them.
                if (o.kind === "Deployment" && !init && (!c.readinessProbe || !c.livenessProbe)) fail(`${where} lacks a readiness or liveness probe.`);
            }),
    },
    {
        name: "no-plain-secret-env",
        description: "Secret-looking variables come from a Secret, never inline.",
        check: (o, fail) =>
            eachContainer(o, (c, where) => {
                for (const env of c.env ?? []) {
                    if (env.value !== undefined && (env.value === secretPlaceholder || secretEnvName.test(env.name))) fail(`${where} sets ${env.name} inline; take it from a Secret.`);
                }
            }),
    },
];

/** Runs single-object rules over objects, object by object, each object's rules in order. */
function runObjectRules(objects: KubernetesObject[], rules: readonly ObjectRule[]): CheckFailure[] {
    return objects.flatMap((o) => rules.flatMap((rule) => {
        const failures: CheckFailure[] = [];
        rule.check(o, (message) => failures.push({ object: objectId(o), rule: rule.name, message }));
        return failures;
    }));
}

/** Our policy, checked on every render: the single-object rules, then Services and Ingresses against the rest. */
export function policyFailures(objects: KubernetesObject[]): CheckFailure[] {
    return [...runObjectRules(objects, policyRules), ...serviceFailures(objects)];
}

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

/**
 * References that would leave a Pod pending or an Ingress without its certificate: every volume mount names
 * a volume of its Pod; every ConfigMap, Secret and ServiceAccount a Pod uses is in the render or declared
 * external (`Kind/name`, objects an operator makes); an Ingress's TLS Secret is one of those, or issued by
 * cert-manager; a Service's targetPort is a port of the Pods it selects.
 */
export function referenceFailures(objects: KubernetesObject[], externals: readonly string[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (o: KubernetesObject, message: string) => failures.push({ object: objectId(o), rule: "reference", message });
    const exists = (kind: string, namespace: string | undefined, name: string) =>
        externals.includes(`${kind}/${name}`) || objects.some((x) => x.kind === kind && x.metadata.name === name && x.metadata.namespace === namespace);

    for (const pod of podTemplates(objects)) {
        const o = pod.owner;
        const ns = o.metadata.namespace;
        const volumes = new Set(((pod.spec.volumes ?? []) as any[]).map((v) => v.name));
        const refs: [string, string, string][] = [];
        for (const v of (pod.spec.volumes ?? []) as any[]) {
            if (v.configMap) refs.push(["ConfigMap", v.configMap.name, `volume ${v.name}`]);
            if (v.secret) refs.push(["Secret", v.secret.secretName, `volume ${v.name}`]);
        }
        for (const s of (pod.spec.imagePullSecrets ?? []) as any[]) refs.push(["Secret", s.name, "imagePullSecrets"]);
        if (pod.spec.serviceAccountName) refs.push(["ServiceAccount", pod.spec.serviceAccountName, "serviceAccountName"]);
        for (const { container: c } of containersOf(pod)) {
            for (const m of c.volumeMounts ?? []) {
                if (!volumes.has(m.name)) fail(o, `container ${c.name} mounts volume "${m.name}", which the Pod does not have.`);
            }
            for (const f of c.envFrom ?? []) {
                if (f.configMapRef) refs.push(["ConfigMap", f.configMapRef.name, `container ${c.name} envFrom`]);
                if (f.secretRef) refs.push(["Secret", f.secretRef.name, `container ${c.name} envFrom`]);
            }
            for (const e of c.env ?? []) {
                if (e.valueFrom?.configMapKeyRef) refs.push(["ConfigMap", e.valueFrom.configMapKeyRef.name, `container ${c.name} env ${e.name}`]);
                if (e.valueFrom?.secretKeyRef) refs.push(["Secret", e.valueFrom.secretKeyRef.name, `container ${c.name} env ${e.name}`]);
            }
        }
        for (const [kind, name, where] of refs) {
            if (!exists(kind, ns, name)) fail(o, `${where} names ${kind} "${name}", which neither the render makes nor the stack declares external.`);
        }
    }

    for (const ingress of objects.filter((o) => o.kind === "Ingress")) {
        const issued = Boolean((ingress.metadata.annotations as Record<string, string> | undefined)?.["cert-manager.io/cluster-issuer"]);
        for (const tls of ((ingress.spec as any)?.tls ?? []) as any[]) {
            if (!issued && !exists("Secret", ingress.metadata.namespace, tls.secretName)) {
                fail(ingress, `TLS names Secret "${tls.secretName}", which nothing makes: no cert-manager issuer, not in the render, not declared external.`);
            }
        }
    }

    const templates = podTemplates(objects).filter((p) => p.owner.kind === "Deployment");
    for (const service of objects.filter((o) => o.kind === "Service")) {
        const selector = ((service.spec as any)?.selector ?? {}) as Record<string, string>;
        const selected = templates.filter((p) => p.owner.metadata.namespace === service.metadata.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
        const ports = selected.flatMap((p) => ((p.spec.containers ?? []) as any[]).flatMap((c) => c.ports ?? []));
        for (const port of ((service.spec as any)?.ports ?? []) as any[]) {
            const target = port.targetPort ?? port.port;
            if (!ports.some((p: any) => p.name === target || p.containerPort === target)) {
                fail(service, `port ${port.name ?? port.port} targets "${target}", which no container of its Pods exposes.`);
            }
        }
    }
    return failures;
}

/** Every check a render must pass; `externals` are objects the stack declares an operator makes (`Kind/name`). */
export function checkObjects(objects: KubernetesObject[], externals: readonly string[] = []): CheckFailure[] {
    return [...schemaFailures(objects), ...policyFailures(objects), ...nameFailures(objects), ...referenceFailures(objects, externals)];
}
