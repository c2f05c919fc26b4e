import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { configSchema } from "../stacks/schema";

const root = path.resolve(__dirname, "..");

describe("Pulumi.yaml", () => {
    const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: { name: string; options: { typescript: boolean } };
        config: Record<string, { type: string; description: string; default?: unknown }>;
    };

    it("is the TypeScript project argus", () => {
        expect(project.name).to.equal("argus");
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
    });

    it("declares exactly the keys of the schema, with the same type, description and default", () => {
        const expected = Object.fromEntries(
            Object.entries(configSchema).map(([key, spec]) => {
                const declared: Record<string, unknown> = { type: spec.type, description: spec.description };
                if ("default" in spec) declared.default = spec.default;
                return [key, declared];
            }),
        );
        expect(project.config).to.deep.equal(expected);
    });
});

describe("stack config files", () => {
    for (const file of ["Pulumi.production.yaml", "Pulumi.staging.yaml", "Pulumi.review.yaml"]) {
        it(`${file} holds no secret in plain text and only known keys`, () => {
            const stack = yaml.load(fs.readFileSync(path.join(root, file), "utf8")) as { config: Record<string, unknown> };
            for (const [fullKey, value] of Object.entries(stack.config)) {
                const [namespace, key] = fullKey.split(":");
                expect(namespace, fullKey).to.equal("argus");
                expect(configSchema, fullKey).to.have.property(key);
                if ((configSchema as Record<string, { secret?: boolean }>)[key].secret) {
                    expect(value, `${fullKey} must be a secure value`).to.have.property("secure");
                }
            }
        });
    }
});

describe("README", () => {
    it("documents every config key", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        for (const key of Object.keys(configSchema)) {
            expect(readme, key).to.contain(`| \`${key}\` |`);
        }
    });
});

describe("docs/operations.md", () => {
    it("docs/argus-releases.md says what every config key becomes, naming only keys that exist", () => {
        const doc = fs.readFileSync(path.join(root, "docs", "argus-releases.md"), "utf8");
        const table = doc.slice(doc.indexOf("## What each config key becomes inside Argus"));
        const firstColumn = table.split("\n").filter((line) => line.startsWith("| `")).map((line) => line.split("|")[1]);
        const named = new Set(firstColumn.flatMap((cell) => [...cell.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1])));
        for (const key of named) {
            expect(configSchema, key).to.have.property(key);
        }
        // Keys about the cluster, images and rollout have no meaning inside Argus.
        const outsideArgus = ["domain", "namespace", "createNamespace", "imageRepository", "registryUsername", "registryPassword", "buildOnPreview", "imagePullSecret", "registryPullUsername", "registryPullToken", "kubeconfig", "kubeContext", "nginxImage", "redisImage", "resourceProfile", "resourceOverrides", "webuiReplicas", "existingApiSecret", "webuiIngress", "apiIngress", "ingressClassName", "tlsSecretName", "certIssuer", "networkPolicies", "ingressControllerNamespace", "databaseCidr", "databasePort", "emailCidr", "awaitDeployments", "awaitIngresses", "awaitTimeoutSeconds"];
        expect(Object.keys(configSchema).filter((k) => !named.has(k) && !outsideArgus.includes(k))).to.deep.equal([]);
    });

    it("maps the old template variables only to config keys that exist", () => {
        const guide = fs.readFileSync(path.join(root, "docs", "operations.md"), "utf8");
        const mapping = guide.slice(guide.indexOf("## From the old YAML templates to stack config"));
        const named = [...mapping.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1]);
        expect(named.length).to.be.greaterThan(20);
        for (const key of named) {
            expect(configSchema, key).to.have.property(key);
        }
    });
});
