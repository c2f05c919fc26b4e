import { expect } from "chai";
import { CheckFailure } from "../../rules/failure";
import { nameFailures } from "../../rules/names";
import { KubernetesObject } from "../../rules/objects";
import { sharedRenders } from "../helpers";
import { brokenCopy, labels, object, service, workload } from "../support/objects";

const messages = (failures: CheckFailure[]) => failures.map((f) => `${f.object} [${f.rule}] ${f.message}`);

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
});

describe("the label maps an object carries", () => {
    let objects: KubernetesObject[];
    beforeEach(() => {
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
        objects = [deployment, cronJob, job, service("web", bad, []), policy, own];
    });

    it("checks the object's labels, its Pod template's, and the selectors that must match them", () => {
        expect(nameFailures(objects).map((f) => f.object)).to.deep.equal(["Deployment ns/w", "CronJob ns/w", "Job ns/w", "Service ns/web", "NetworkPolicy ns/np", "Secret ns/s"]);
    });

    it("reads a Deployment's selector by its matchLabels, and an object without labels or spec as having none", () => {
        const deployment = workload("Deployment");
        (deployment.spec as any).selector = { matchLabels: labels };
        const bare: KubernetesObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bare" } };
        expect(nameFailures([deployment, bare])).to.deep.equal([]);
    });
});

describe("names and labels in a staging render", () => {
    const renders = sharedRenders(["staging"], { apiReplicas: "2" });
    const long = "x".repeat(60);
    let objects: KubernetesObject[];
    beforeEach(async () => {
        objects = brokenCopy((await renders()).get("staging")!.objects, "Service", "argus-staging-webui", (o) => (o.metadata.name = "1-webui"));
        const job = objects.find((o) => o.kind === "Job")!;
        job.metadata.name = `argus-staging-migrate-${long}`;
        (job.metadata.labels as any)["app.kubernetes.io/component"] = "migrate job";
        (job.spec as any).template.metadata.labels["example.org/owner"] = long + "xxxx";
    });

    it("refuses names and labels the API server would refuse", () => {
        expect(messages(nameFailures(objects))).to.deep.equal([
            "Service argus-staging/1-webui [name] the name must be a DNS-1035 label (a letter first), at most 63.",
            `Job argus-staging/argus-staging-migrate-${long} [name] the name must be a DNS-1123 subdomain of at most 63, since it is copied into the job-name label of its Pods.`,
            `Job argus-staging/argus-staging-migrate-${long} [label] label app.kubernetes.io/component has value "migrate job", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`,
            `Job argus-staging/argus-staging-migrate-${long} [label] label example.org/owner has value "${long}xxxx", not at most 63 of letters, digits, - _ . starting and ending with a letter or digit.`,
        ]);
    });
});

describe("a CronJob's name in a 2.x render", () => {
    const renders = sharedRenders(["staging"], { argusVersion: "2.9.1" });
    let objects: KubernetesObject[];
    beforeEach(async () => {
        objects = brokenCopy((await renders()).get("staging")!.objects, "CronJob", "", (o) => (o.metadata.name = "a".repeat(53)));
    });

    it("refuses a CronJob name that leaves no room for its Jobs' names", () => {
        expect(messages(nameFailures(objects))).to.deep.equal([
            `CronJob argus-staging/${"a".repeat(53)} [name] the name must be a DNS-1123 subdomain of at most 52, since Kubernetes appends 11 characters to name its Jobs.`,
        ]);
    });
});
