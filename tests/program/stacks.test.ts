import { expect } from "chai";
import { ConfigError } from "../../stacks";
import { containerNames, identifyingNames, renderedBeforeEach, renderWith, sharedRender } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** What the whole program (index.ts) makes of each committed stack, under Pulumi's mocks. */

const stacks = ["production", "staging", "review-123"] as const;

describe("the resources of each stack", () => {
    for (const stack of stacks) {
        describe(stack, () => {
            const rendering = renderedBeforeEach(stack);

            it("has the components, both images and the Kubernetes objects of one Argus", () => {
                const types = rendering().resources.map((r) => r.type).sort();
                const count = (type: string) => types.filter((t) => t === type).length;
                expect(count("argus:index:Instance")).to.equal(1);
                expect(count("argus:index:Api")).to.equal(1);
                expect(count("argus:index:Webui")).to.equal(1);
                expect(count("argus:index:Image")).to.equal(2);
                // Production promotes what staging pushed; the other stacks build.
                expect(count("docker:index/image:Image")).to.equal(stack === "production" ? 0 : 2);
                // A review app runs its own PostgreSQL: a Deployment, a Service and a Secret with a generated password.
                const ownDatabase = stack.startsWith("review") ? 1 : 0;
                expect(count("argus:index:Database")).to.equal(ownDatabase);
                expect(count("random:index/randomPassword:RandomPassword")).to.equal(1 + ownDatabase);
                const kinds = rendering().objects.map((o) => o.kind);
                expect(kinds.filter((k) => k === "Deployment")).to.have.length(2 + ownDatabase);
                expect(kinds.filter((k) => k === "Service")).to.have.length(2 + ownDatabase);
                expect(kinds.filter((k) => k === "Ingress")).to.have.length(2);
                expect(kinds.filter((k) => k === "ConfigMap")).to.have.length(3);
                // The api's secrets and the registry pull Secret.
                expect(kinds.filter((k) => k === "Secret")).to.have.length(2 + ownDatabase);
                // Production dumps the database before each migration (stacks/sections/backup.ts).
                expect(kinds.filter((k) => k === "Job")).to.have.length(stack === "production" ? 2 : 1);
                expect(kinds.filter((k) => k === "Namespace")).to.have.length(stack.startsWith("review") ? 1 : 0);
            });

            it("renders in the 1.x layout, with its webui and api and without worker or CronJobs", () => {
                const containers = containerNames(rendering());
                expect(containers).to.include.members(["django", "websockets", "nginx", "webui"]);
                expect(containers).not.to.include.members(["worker"]);
                expect(rendering().objects.filter((o) => o.kind === "CronJob")).to.deep.equal([]);
            });

            it("reads its own last outputs once: the release it runs now, and where it builds, the layer cache", () => {
                const references = rendering().resources.filter((x) => x.type === "pulumi:pulumi:StackReference").map((x) => x.inputs.name);
                expect(references).to.deep.equal([`organization/argus/${stack}`]);
            });
        });
    }
});

describe("the resource tree", () => {
    const production = renderedBeforeEach("production");

    it("makes every child a descendant of the stack, through the components", () => {
        const resources = production().resources;
        const deployment = resources.find((r) => r.name === "argus-api-workload-deployment")!;
        expect(deployment.parent).to.equal("argus:index:Workload::argus-api-workload");
        expect(resources.find((r) => r.name === "argus-api-workload")!.parent).to.equal("argus:index:Api::argus-api");
        expect(resources.find((r) => r.name === "argus")!.parent).to.equal("pulumi:pulumi:Stack::argus-production");
    });

    for (const [layout, overrides, secrets] of [
        ["1.x", {}, {}],
        ["2.x", { argusVersion: "2.9.1", versionCheck: "true", adminUsername: "admin" }, { adminPassword: "pw" }],
    ] as [string, Record<string, string>, Record<string, string>][]) {
        describe(`with every optional component of the ${layout} layout`, () => {
            const rendering = renderedBeforeEach("staging", { ...overrides, apiReplicas: "2", createNamespace: "true" }, secrets);

            it("puts every resource under its component: only the stack's read of itself, the cluster's provider and the Instance hang off the stack", () => {
                const r = rendering();
                const stack = r.resources.find((x) => x.type === "pulumi:pulumi:Stack")!;
                const underStack = r.resources.filter((x) => x.parent === `${stack.type}::${stack.name}`).map((x) => x.type);
                expect(underStack).to.deep.equal(["pulumi:pulumi:StackReference", "pulumi:providers:kubernetes", "argus:index:Instance"]);
                const components = new Set(r.resources.filter((x) => x.type.startsWith("argus:index:")).map((x) => `${x.type}::${x.name}`));
                const instance = r.resources.find((x) => x.type === "argus:index:Instance")!;
                const orphans = r.resources
                    .filter((x) => x !== stack && x !== instance && x.type !== "pulumi:providers:kubernetes" && x.type !== "pulumi:pulumi:StackReference" && !components.has(x.parent ?? ""))
                    .map((x) => `${x.type}::${x.name} under ${x.parent}`);
                expect(orphans).to.deep.equal([]);
            });
        });
    }
});

describe("the stack's outputs", () => {
    const production = renderedBeforeEach("production");

    it("are URLs, image digests and Kubernetes names", () => {
        const outputs = production().outputs;
        expect(outputs).to.include({
            layout: "spa",
            argusVersion: "1.37.0",
            url: "https://argus.uninett.no",
            apiUrl: "https://api.argus.uninett.no",
            namespace: "argus",
            apiDeployment: "argus-api",
            webuiDeployment: "argus-webui",
            apiService: "argus-api",
            webuiService: "argus-webui",
        });
        expect(outputs.argusImageDigest).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/argus@sha256:[0-9a-f]{64}$/);
        expect(outputs.migrationJob).to.match(/^argus-migrate-[0-9a-f]{12}$/);
    });
});

describe("review stacks side by side", () => {
    let names: Set<string>[] = [];
    beforeEach(async () => (names = [identifyingNames(await sharedRender("review-123")), identifyingNames(await sharedRender("review-feature-x"))]));

    it("share no object name, namespace or host", () => {
        const [a, b] = names;
        // The one name both make: the review deployer's RoleBinding, named as the policy requires, each in its own namespace.
        expect([...a].filter((n) => b.has(n))).to.deep.equal(["RoleBinding/argus-review-deployer"]);
        expect(a).to.include("namespace/argus-review-123");
        expect(b).to.include("host/argus-review-feature-x.paas2.uninett.no");
    });
});

describe("bad config", () => {
    let error: unknown;
    beforeEach(async () => (error = await renderWith("staging", { apiReplicas: "0", webuiHost: "nope" }).catch((err: unknown) => err)));

    it("stops the program with a ConfigError that lists every problem", () => {
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => p.key)).to.deep.equal(["webuiHost", "apiReplicas"]);
    });
});

describe("secrets in the render", () => {
    const withSentinels = renderedBeforeEach("production", {}, { databaseUrl: "postgresql://argus:Sentinel-8c1f4e@db.example.org/argus", djangoSecretKey: "Sentinel-django-77" });

    it("stay out of ConfigMaps and plain env values", () => {
        const r = withSentinels();
        for (const object of r.objects) {
            const text = JSON.stringify(object);
            expect(text, `${object.kind}/${object.metadata.name}`).not.to.contain("Sentinel");
            if (object.kind === "ConfigMap") {
                expect(text).not.to.contain("[secret]");
            }
        }
        const envValues = r.objects
            .filter((o) => o.kind === "Deployment" || o.kind === "Job")
            .flatMap((o) => podSpecOf(o).containers.flatMap((c: any) => c.env ?? []));
        expect(envValues.filter((e: any) => e.value !== undefined)).to.deep.equal([]);
    });
});
