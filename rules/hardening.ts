/** Hardening, one object at a time: labels, no secret in a ConfigMap or inline, pinned images, non-root, limits, probes. */
import { isPinnedImage } from "../util/validators";
import { CheckFailure, ObjectRule, runObjectRules } from "./failure";
import { containersOf, KubernetesObject, PodTemplate, podTemplates } from "./objects";

/**
 * Shown wherever a secret value would be: the render's redaction writes it (render/stackConfig.ts,
 * render/mocks.ts), and the rules below refuse it where a secret must not be.
 */
export const secretPlaceholder = "[secret]";

const requiredLabels = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];

/** A secret-looking variable name whose value must come from a Secret, never inline. */
const secretEnvName = /SECRET|PASSWORD|TOKEN|DATABASE_URL/;

/** Each container of an object's Pod template, named for a message; none for other kinds. */
function eachContainer(o: KubernetesObject, visit: (c: any, where: string, init: boolean, pod: PodTemplate) => void): void {
    for (const pod of podTemplates([o])) {
        containersOf(pod).forEach(({ container, init }) => visit(container, `container ${container.name}`, init, pod));
    }
}

/** Our policy for one object: the rules a reviewer would otherwise check by eye. */
export const hardeningRules: readonly ObjectRule[] = [
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

/** The hardening rules over objects, object by object. */
export function hardeningFailures(objects: KubernetesObject[]): CheckFailure[] {
    return runObjectRules(objects, hardeningRules);
}
