import { expect } from "chai";
import { CheckFailure } from "../../rules/failure";
import { KubernetesObject } from "../../rules/objects";
import { referenceFailures } from "../../rules/references";
import { sharedRenders } from "../helpers";
import { brokenCopy, container, ingress, labels, object, service, workload } from "../support/objects";

const messages = (failures: CheckFailure[]) => failures.map((f) => `${f.object} [${f.rule}] ${f.message}`);

describe("references a Pod or an Ingress makes", () => {
    const referenced: [kind: string, name: string][] = [
        ["ConfigMap", "cm"],
        ["Secret", "s"],
        ["Secret", "pull"],
        ["ServiceAccount", "sa"],
        ["ConfigMap", "cm-from"],
        ["Secret", "s-from"],
        ["ConfigMap", "cm-key"],
        ["Secret", "s-key"],
    ];
    const unmade = (where: string, kind: string, name: string) => `Job ns/w [reference] ${where} names ${kind} "${name}", which neither the render makes nor the stack declares external.`;
    const mounts = [
        'Job ns/w [reference] container init mounts volume "gone-init", which the Pod does not have.',
        'Job ns/w [reference] container c mounts volume "gone", which the Pod does not have.',
    ];
    let pod: KubernetesObject;
    beforeEach(() => {
        const podSpec = {
            volumes: [
                { name: "cfg", configMap: { name: "cm" } },
                { name: "sec", secret: { secretName: "s" } },
                { name: "tmp", emptyDir: {} },
            ],
            imagePullSecrets: [{ name: "pull" }],
            serviceAccountName: "sa",
            initContainers: [container({ name: "init", volumeMounts: [{ name: "gone-init", mountPath: "/a" }] })],
        };
        const env = [
            { name: "A", valueFrom: { configMapKeyRef: { name: "cm-key", key: "a" } } },
            { name: "B", valueFrom: { secretKeyRef: { name: "s-key", key: "b" } } },
            { name: "C", value: "plain" },
            { name: "D", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        ];
        pod = workload("Job", { envFrom: [{ configMapRef: { name: "cm-from" } }, { secretRef: { name: "s-from" } }], env, volumeMounts: [{ name: "cfg" }, { name: "gone" }] }, undefined, podSpec);
    });

    it("names every mount without a volume, and every ConfigMap, Secret and ServiceAccount nothing makes", () => {
        const where = ["volume cfg", "volume sec", "imagePullSecrets", "serviceAccountName", "container c envFrom", "container c envFrom", "container c env A", "container c env B"];
        expect(messages(referenceFailures([pod], []))).to.deep.equal([...mounts, ...referenced.map(([kind, name], i) => unmade(where[i], kind, name))]);
    });

    it("takes a reference to an object of the same kind in the Pod's namespace, or one declared external", () => {
        expect(messages(referenceFailures([pod, ...referenced.map(([kind, name]) => object(kind, name))], []))).to.deep.equal(mounts);
        expect(messages(referenceFailures([pod], referenced.map(([kind, name]) => `${kind}/${name}`)))).to.deep.equal(mounts);
        const elsewhere = referenced.map(([kind, name]) => object(kind, name, {}, "other"));
        const wrongKind = referenced.map(([kind, name]) => object(kind === "Secret" ? "ConfigMap" : "Secret", name));
        for (const objects of [elsewhere, wrongKind]) {
            expect(referenceFailures([pod, ...objects], [])).to.have.length(mounts.length + referenced.length);
        }
    });
});

describe("an Ingress's TLS Secret", () => {
    const tls = [{ hosts: ["h"], secretName: "tls" }];

    it("wants an Ingress's TLS Secret issued by cert-manager, in the render in its namespace, or declared external", () => {
        const failure = 'Ingress ns/in [reference] TLS names Secret "tls", which nothing makes: no cert-manager issuer, not in the render, not declared external.';
        expect(messages(referenceFailures([ingress([], { tls })], []))).to.deep.equal([failure]);
        expect(messages(referenceFailures([ingress([], { tls }), object("Secret", "tls", {}, "other")], []))).to.deep.equal([failure]);
        expect(referenceFailures([ingress([], { tls, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } })], [])).to.deep.equal([]);
        expect(referenceFailures([ingress([], { tls }), object("Secret", "tls")], [])).to.deep.equal([]);
        expect(referenceFailures([ingress([], { tls })], ["Secret/tls"])).to.deep.equal([]);
    });
});

describe("Service target ports, against the containers of the Deployments they select", () => {
    const targets = (objects: KubernetesObject[]) => messages(referenceFailures(objects, []));
    const port = (fields: Record<string, unknown>) => ({ name: "web", port: 80, ...fields });
    let web: KubernetesObject;
    beforeEach(() => {
        web = workload("Deployment", { ports: [{ name: "http", containerPort: 8080 }] });
    });

    it("takes a targetPort that names a container port or has its number, or a port that is the container's", () => {
        for (const p of [port({ targetPort: "http" }), port({ targetPort: 8080 }), { port: 8080 }]) {
            expect(targets([web, service("web", labels, [p])]), JSON.stringify(p)).to.deep.equal([]);
        }
    });

    it("refuses one no container of the selected Pods exposes", () => {
        expect(targets([web, service("web", labels, [port({ targetPort: "https" }), { port: 80 }])])).to.deep.equal([
            'Service ns/web [reference] port web targets "https", which no container of its Pods exposes.',
            'Service ns/web [reference] port 80 targets "80", which no container of its Pods exposes.',
        ]);
    });

    it("looks only at Deployments the Service selects, in its namespace", () => {
        const refused = (svc: KubernetesObject, ...objects: KubernetesObject[]) => expect(targets([...objects, svc]), svc.metadata.namespace).to.have.length(1);
        refused(service("web", { ...labels, tier: "front" }, [port({ targetPort: "http" })]), web);
        refused(service("web", labels, [port({ targetPort: "http" })], "other"), web);
        refused(service("web", labels, [port({ targetPort: "http" })]), workload("Job", { ports: [{ name: "http", containerPort: 8080 }] }));
    });
});

describe("a HorizontalPodAutoscaler's target", () => {
    const autoscaler = (name: string, kind = "Deployment") => ({ ...object("HorizontalPodAutoscaler", "w", { spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name }, minReplicas: 2, maxReplicas: 3 } }), apiVersion: "autoscaling/v2" });
    let target: KubernetesObject;
    beforeEach(() => {
        target = workload("Deployment");
    });

    it("takes a Deployment of the render, in its namespace, that leaves the count to it", () => {
        expect(messages(referenceFailures([target, autoscaler("w")], []))).to.deep.equal([]);
    });

    it("refuses a target the render does not make, and one that sets spec.replicas, which every update would set back", () => {
        expect(messages(referenceFailures([target, autoscaler("gone")], []))).to.deep.equal(['HorizontalPodAutoscaler ns/w [reference] scales Deployment "gone", which the render does not make.']);
        (target.spec as Record<string, unknown>).replicas = 2;
        expect(messages(referenceFailures([target, autoscaler("w")], []))).to.deep.equal(['HorizontalPodAutoscaler ns/w [reference] scales Deployment "w", which sets spec.replicas: every update would set the count back.']);
    });
});

describe("references in a staging render", () => {
    const renders = sharedRenders(["staging"], { apiReplicas: "2" });
    let objects: KubernetesObject[];
    let ingressName: string;
    let tlsSecret: string;
    beforeEach(async () => {
        objects = brokenCopy((await renders()).get("staging")!.objects, "Deployment", "argus-staging-webui", (o) => {
            o.spec.template.spec.volumes = o.spec.template.spec.volumes.filter((v: any) => v.name !== "tmp");
            o.spec.template.spec.imagePullSecrets = [{ name: "argus-registry" }];
        });
        const settings = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-staging-api")!;
        (settings.spec as any).template.spec.containers[0].envFrom[0].configMapRef.name = "argus-settings-gone";
        (objects.find((o) => o.kind === "Service" && o.metadata.name === "argus-staging-api")!.spec as any).ports[0].targetPort = "https";
        const found = objects.find((o) => o.kind === "Ingress")!;
        delete (found.metadata.annotations as any)["cert-manager.io/cluster-issuer"];
        ingressName = found.metadata.name;
        tlsSecret = (found.spec as any).tls[0].secretName;
    });

    it("refuses a mount without its volume, a reference to nothing, and a Service port no container has", () => {
        expect(messages(referenceFailures(objects, []))).to.deep.equal([
            'Deployment argus-staging/argus-staging-api [reference] container django envFrom names ConfigMap "argus-settings-gone", which neither the render makes nor the stack declares external.',
            'Deployment argus-staging/argus-staging-webui [reference] container webui mounts volume "tmp", which the Pod does not have.',
            'Deployment argus-staging/argus-staging-webui [reference] imagePullSecrets names Secret "argus-registry", which neither the render makes nor the stack declares external.',
            `Ingress argus-staging/${ingressName} [reference] TLS names Secret "${tlsSecret}", which nothing makes: no cert-manager issuer, not in the render, not declared external.`,
            'Service argus-staging/argus-staging-api [reference] port http targets "https", which no container of its Pods exposes.',
        ]);
        expect(messages(referenceFailures(objects, ["Secret/argus-registry", `Secret/${tlsSecret}`]))).to.have.length(3);
    });
});
