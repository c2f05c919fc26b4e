import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { keyTableHeader, keyTableRows } from "../../scripts/sync-schema";
import { ConfigKeySpec, configSchema } from "../../stacks/schema";
import { renderWith } from "../helpers";
import { layoutOnlyKeys } from "../../stacks/sections/layout";
import { projectRoot } from "../../util/projectRoot";


describe("Pulumi.yaml", () => {
    const project = yaml.load(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: { name: string; options: { typescript: boolean } };
        config: Record<string, { type: string; description: string; default?: unknown }>;
    };

    it("is the project argus, run as the JavaScript `npm run build` compiles, as is its policy pack", () => {
        expect(project.name).to.equal("argus");
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: false } });
        const main = (dir: string) => path.join(dir, JSON.parse(fs.readFileSync(path.join(projectRoot, dir, "package.json"), "utf8")).main);
        const build = JSON.parse(fs.readFileSync(path.join(projectRoot, "tsconfig.build.json"), "utf8")).compilerOptions;
        expect(main(".")).to.equal(path.join(build.outDir, "index.js"));
        expect(main("policy")).to.equal(path.join(build.outDir, "policy", "index.js"));
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

describe("secret keys", () => {
    const specs = Object.entries(configSchema as Record<string, ConfigKeySpec>);

    it("are exactly the credentials and keys: everything else is written into manifests in plain text", () => {
        expect(specs.filter(([, spec]) => spec.secret).map(([key]) => key)).to.have.members([
            "registryPassword",
            "registryPullToken",
            "kubeconfig",
            "adminPassword",
            "databaseUrl",
            "djangoSecretKey",
            "ticketAuthenticationSecret",
            "dataportenSecret",
            "oidcClientSecret",
            "emailHostPassword",
            "extraSecretSettings",
        ]);
    });

    it("include every key ci/stack.sh sets with --secret, and name the CI variable it sets each from", () => {
        const script = fs.readFileSync(path.join(projectRoot, "ci", "stack.sh"), "utf8");
        const setFrom = Object.fromEntries([...script.matchAll(/set_secret (\w+) "\$\{?(\w+)/g)].map((m) => [m[1], m[2]]));
        expect(Object.keys(setFrom).filter((key) => !(configSchema as Record<string, ConfigKeySpec>)[key]?.secret)).to.deep.equal([]);
        for (const [key, spec] of specs.filter(([, spec]) => spec.ciVariable)) {
            expect(setFrom[key], key).to.equal(spec.ciVariable);
        }
    });
});

describe("stack config files", () => {
    for (const file of ["Pulumi.production.yaml", "Pulumi.staging.yaml", "Pulumi.review.yaml"]) {
        it(`${file} holds no secret in plain text and only known keys`, () => {
            const stack = yaml.load(fs.readFileSync(path.join(projectRoot, file), "utf8")) as { config: Record<string, unknown> };
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

describe("docs/configuration.md, the configuration reference", () => {
    let reference: string;
    beforeEach(() => {
        reference = fs.readFileSync(path.join(projectRoot, "docs", "configuration.md"), "utf8");
    });

    it("lists exactly the keys only one layout understands", () => {
        const row = (layout: string) => [...(reference.split("\n").find((l) => l.startsWith(`| ${layout} | \``)) ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]);
        expect(row("1.x")).to.deep.equal([...layoutOnlyKeys.spa.keys]);
        expect(row("2.x")).to.deep.equal([...layoutOnlyKeys.server.keys]);
    });

    it("documents every config key", () => {
        for (const key of Object.keys(configSchema)) {
            expect(reference, key).to.contain(`| \`${key}\` |`);
        }
    });

    it("ends with the key table npm run sync-schema writes from the schema, row for row", () => {
        const table = reference.slice(reference.indexOf(keyTableHeader)).trimEnd().split("\n");
        expect(table).to.deep.equal([keyTableHeader, ...keyTableRows()]);
    });
});

describe("docs/argus-releases.md", () => {
    it("says what every config key becomes inside Argus, naming only keys that exist", () => {
        const doc = fs.readFileSync(path.join(projectRoot, "docs", "argus-releases.md"), "utf8");
        const table = doc.slice(doc.indexOf("## What each config key becomes inside Argus"));
        const firstColumn = table.split("\n").filter((line) => line.startsWith("| `")).map((line) => line.split("|")[1]);
        const named = new Set(firstColumn.flatMap((cell) => [...cell.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1])));
        for (const key of named) {
            expect(configSchema, key).to.have.property(key);
        }
        // Keys about the cluster, images and rollout have no meaning inside Argus.
        const outsideArgus = ["domain", "namespace", "createNamespace", "imageRepository", "registryUsername", "registryPassword", "buildOnPreview", "imagePullSecret", "registryPullUsername", "registryPullToken", "kubeconfig", "kubeContext", "adoptExistingObjects", "nginxImage", "redisImage", "resourceProfile", "resourceOverrides", "webuiReplicas", "webMaxReplicas", "webTargetCpuPercent", "existingApiSecret", "webuiIngress", "apiIngress", "ingressClassName", "tlsSecretName", "certIssuer", "networkPolicies", "ingressControllerNamespace", "dnsEgress", "databaseCidr", "databasePort", "postgresImage", "databaseStorageGi", "heartbeatSchedule", "emailCidr", "awaitDeployments", "awaitIngresses", "awaitTimeoutSeconds", "migrationTimeoutSeconds"];
        expect(Object.keys(configSchema).filter((k) => !named.has(k) && !outsideArgus.includes(k))).to.deep.equal([]);
    });
});

describe("docs/operations.md", () => {
    it("maps the old template variables only to config keys that exist", () => {
        const guide = fs.readFileSync(path.join(projectRoot, "docs", "operations.md"), "utf8");
        const mapping = guide.slice(guide.indexOf("## From the old YAML templates to stack config"));
        const named = [...mapping.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1]);
        expect(named.length).to.be.greaterThan(20);
        for (const key of named) {
            expect(configSchema, key).to.have.property(key);
        }
    });
});

describe("moving from the old YAML deployment", () => {
    it("docs/operations.md lists exactly the objects a production render names itself", async () => {
        const rendering = await renderWith("production", { apiReplicas: "2" });
        // Named by Pulumi (a hash suffix) or after the image's content: these never collide.
        const fixed = rendering.objects.filter((o) => !/-[0-9a-f]{8}$|-(migrate|backup)-[0-9a-f]{12}$/.test(o.metadata.name));
        const guide = fs.readFileSync(path.join(projectRoot, "docs", "operations.md"), "utf8");
        const section = guide.slice(guide.indexOf("## Move from the old YAML deployment"), guide.indexOf("## Rotate the database password"));
        const listed = section
            .split("\n")
            .filter((line) => /^\| [A-Z]\w+ \| `/.test(line))
            .flatMap((line) => {
                const [, kind, names] = line.split("|").map((c) => c.trim());
                return [...names.matchAll(/`([a-z0-9-]+)`/g)].map((m) => `${kind} ${m[1]}`);
            });
        expect(listed.sort()).to.deep.equal(fixed.map((o) => `${o.kind} ${o.metadata.name}`).sort());
    });
});

describe("staging and production stack files", () => {
    it("agree on everything that decides an image's content, since production runs what staging built", () => {
        const read = (file: string) => (yaml.load(fs.readFileSync(path.join(projectRoot, file), "utf8")) as { config: Record<string, unknown> }).config;
        const [staging, production] = [read("Pulumi.staging.yaml"), read("Pulumi.production.yaml")];
        for (const key of ["argus:argusVersion", "argus:frontendVersion", "argus:extraPythonPackages", "argus:imageRepository"]) {
            expect(production[key], key).to.deep.equal(staging[key]);
        }
    });
});
