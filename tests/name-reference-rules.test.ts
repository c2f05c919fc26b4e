import { expect } from "chai";
import { nameFailures, referenceFailures } from "../render/checks";
import { KubernetesObject } from "../render/manifests";
import { container, ingress, labels, object, service, workload } from "./support/objects";

const messages = (failures: { object: string; rule: string; message: string }[]) => failures.map((f) => `${f.object} [${f.rule}] ${f.message}`);

describe("object names, as the API server takes them per kind", () => {
    const named = (kind: string, name: string) => messages(nameFailures([object(kind, name)]));
    const cases: [kind: string, max: number, what: string, taken: string[], refused: string[]][] = [
        ["Service", 63, "a DNS-1035 label (a letter first), at most 63", ["web-1", "w"], ["1-web", "web.a", "Web", "web-"]],
        ["Namespace", 63, "a DNS-1123 label, at most 63", ["1-argus", "a"], ["argus.x", "Argus", "-argus"]],
        ["Job", 63, "a DNS-1123 subdomain of at most 63, since it is copied into the job-name label of its Pods", ["argus.migrate-1", "1"], ["a..b", "a_b"]],
        ["CronJob", 52, "a DNS-1123 subdomain of at most 52, since Kubernetes appends 11 characters to name its Jobs", ["prune.db"], ["prune_db"]],
        ["ConfigMap", 253, "a DNS-1123 subdomain, at most 253", ["a.b-c.1", "x"], ["-a", "a-", "a.", ".a", "A", "a_b", "a b"]],
    ];
    for (const [kind, max, what, taken, refused] of cases) {
        it(`${kind}: at most ${max} characters of ${what.split(",")[0]}`, () => {
            for (const name of [...taken, "a".repeat(max)]) {
                expect(named(kind, name), name).to.deep.equal([]);
            }
            for (const name of [...refused, "a".repeat(max + 1)]) {
                expect(named(kind, name), name).to.deep.equal([`${kind} ns/${name} [name] the name must be ${what}.`]);
            }
        });
    }
});

describe("label keys and values, as the API server takes them", () => {
    const problems = (key: string, value: string) => nameFailures([object("ConfigMap", "cm", {}, "ns")].map((o) => ({ ...o, metadata: { ...o.metadata, labels: { [key]: value } } }))).map((f) => f.message);
    const badKey = (key: string) => [`label key "${key}" is not [DNS subdomain/]name of at most 63.`];
    const badValue = (key: string, value: string) => [`label ${key} has value "${value}", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`];

    it("takes a name or a DNS-subdomain prefix and a name, and nothing else as a key", () => {
        for (const key of ["app", "A_b.c-D", "a".repeat(63), "example.org/app", `${"a".repeat(253)}/x`, "app.kubernetes.io/name"]) {
            expect(problems(key, "v"), key).to.deep.equal([]);
        }
        for (const key of ["", "/x", "a/b/c", "Example.org/x", "example_org/x", `${"a".repeat(254)}/x`, "a".repeat(64), "-x", "x-", "x/", "a b"]) {
            expect(problems(key, "v"), key).to.deep.equal(badKey(key));
        }
    });

    it("takes an empty value or at most 63 of [A-Za-z0-9-_.] starting and ending with a letter or digit", () => {
        for (const value of ["", "a".repeat(63), "A-b_c.9"]) {
            expect(problems("k", value), value).to.deep.equal([]);
        }
        for (const value of ["a".repeat(64), "-a", "a-", "a b", "a/b"]) {
            expect(problems("k", value), value).to.deep.equal(badValue("k", value));
        }
    });

    it("checks the object's labels, its Pod template's, and the selectors that must match them", () => {
        const bad = { k: "bad value" };
        const deployment = workload("Deployment");
        (deployment.spec as any).selector = { matchLabels: bad };
        const cronJob = workload("CronJob");
        (cronJob.spec as any).jobTemplate.spec.template.metadata.labels = bad;
        const job = workload("Job");
        (job.spec as any).template.metadata.labels = bad;
        const policy = object("NetworkPolicy", "np", { spec: { podSelector: { matchLabels: bad } } });
        const own = object("Secret", "s");
        own.metadata.labels = { ...labels, ...bad };
        const objects = [deployment, cronJob, job, service("web", bad, []), policy, own];
        expect(nameFailures(objects).map((f) => f.object)).to.deep.equal(["Deployment ns/w", "CronJob ns/w", "Job ns/w", "Service ns/web", "NetworkPolicy ns/np", "Secret ns/s"]);
    });

    it("reads a Deployment's selector by its matchLabels, and an object without labels or spec as having none", () => {
        const deployment = workload("Deployment");
        (deployment.spec as any).selector = { matchLabels: labels };
        const bare: KubernetesObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bare" } };
        expect(nameFailures([deployment, bare])).to.deep.equal([]);
    });
});

describe("references a Pod or an Ingress makes", () => {
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
    const pod = workload("Job", { envFrom: [{ configMapRef: { name: "cm-from" } }, { secretRef: { name: "s-from" } }], env, volumeMounts: [{ name: "cfg" }, { name: "gone" }] }, undefined, podSpec);
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

    it("wants an Ingress's TLS Secret issued by cert-manager, in the render in its namespace, or declared external", () => {
        const tls = [{ hosts: ["h"], secretName: "tls" }];
        const failure = 'Ingress ns/in [reference] TLS names Secret "tls", which nothing makes: no cert-manager issuer, not in the render, not declared external.';
        expect(messages(referenceFailures([ingress([], { tls })], []))).to.deep.equal([failure]);
        expect(messages(referenceFailures([ingress([], { tls }), object("Secret", "tls", {}, "other")], []))).to.deep.equal([failure]);
        expect(referenceFailures([ingress([], { tls, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } })], [])).to.deep.equal([]);
        expect(referenceFailures([ingress([], { tls }), object("Secret", "tls")], [])).to.deep.equal([]);
        expect(referenceFailures([ingress([], { tls })], ["Secret/tls"])).to.deep.equal([]);
    });
});

describe("Service target ports, against the containers of the Deployments they select", () => {
    const web = workload("Deployment", { ports: [{ name: "http", containerPort: 8080 }] });
    const targets = (objects: KubernetesObject[]) => messages(referenceFailures(objects, []));
    const port = (fields: Record<string, unknown>) => ({ name: "web", port: 80, ...fields });

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
