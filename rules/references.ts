/** References between objects that would leave a Pod pending or an Ingress without its certificate. */
import { CheckFailure, objectId } from "./failure";
import { containersOf, KubernetesObject, podTemplates } from "./objects";

/**
 * References that would leave a Pod pending or an Ingress without its certificate: every volume mount names
 * a volume of its Pod; every ConfigMap, Secret and ServiceAccount a Pod uses is in the render or declared
 * external (`Kind/name`, objects an operator makes); an Ingress's TLS Secret is one of those, or issued by
 * cert-manager; a Service's targetPort is a port of the Pods it selects; a HorizontalPodAutoscaler's target is a
 * Deployment of the render that leaves its count to it (no spec.replicas, which every update would set back).
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
    for (const autoscaler of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
        const target = (autoscaler.spec as any)?.scaleTargetRef ?? {};
        const deployment = objects.find((o) => o.kind === target.kind && o.metadata.name === target.name && o.metadata.namespace === autoscaler.metadata.namespace);
        if (!deployment) fail(autoscaler, `scales ${target.kind} "${target.name}", which the render does not make.`);
        else if ((deployment.spec as any)?.replicas !== undefined) fail(autoscaler, `scales ${target.kind} "${target.name}", which sets spec.replicas: every update would set the count back.`);
    }
    return failures;
}
