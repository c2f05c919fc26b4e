import { expect } from "chai";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfigFile, secretPlaceholder, withCiProvidedSecrets } from "../render/stackConfig";

const root = path.resolve(__dirname, "..");

/** The command `npm run render` runs (package.json), run directly: npm itself adds a third of a second. */
const renderCommand = ["--require", "v8-compile-cache", "--require", "./scripts/register-ts.js", "render/cli.ts"];

/** Runs the render command; `viaNpm` as the README writes it. */
function render(args: string[], env: Record<string, string> = {}, viaNpm = false): SpawnSyncReturns<string> {
    const [command, commandArgs] = viaNpm ? ["npm", ["run", "--silent", "render", "--", ...args]] : [process.execPath, [...renderCommand, ...args]];
    return spawnSync(command, commandArgs, { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
}

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "argus-render-"));
}

function readAll(dir: string): string {
    return ["manifests.yaml", "resources.json"].map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
}

describe("npm run render", () => {
    it("runs exactly the command the tests run directly", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        expect(pkg.scripts.render).to.equal(["node", ...renderCommand].join(" "));
    });

    const dirs: string[] = [];
    const newDir = () => {
        const dir = tempDir();
        dirs.push(dir);
        return dir;
    };
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("writes manifests.yaml and resources.json, and prints the resource tree and counts", () => {
        const out = newDir();
        const result = render(["production", "--out", out], {}, true);
        expect(result.status, result.stderr).to.equal(0);
        const manifests = fs.readFileSync(path.join(out, "manifests.yaml"), "utf8");
        expect(manifests.startsWith("---\napiVersion: v1\nkind: ServiceAccount\n")).to.equal(true);
        expect(manifests.split("\n---\n")).to.have.length(18);
        const resources = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as { type: string; name: string; parent?: string; inputs: any }[];
        const argusImage = resources.find((r) => r.name === "argus-runtime-image")!;
        expect(argusImage.parent).to.equal("argus:index:Runtime::argus-runtime");
        expect(argusImage.type).to.equal("argus:index:Image");
        expect(result.stdout).to.contain(" +   pulumi:pulumi:Stack");
        expect(result.stdout).to.match(/[├└]─ argus:index:Instance/);
        expect(result.stdout).to.match(/[├└]─ pulumi:providers:kubernetes/);
        expect(result.stdout).to.match(/Resources: 32 to create/);
        expect(result.stdout).to.match(/ {6}2 kubernetes:apps\/v1:Deployment/);
    });

    it("renders the same bytes every time, whatever the machine's locale and time zone", () => {
        const [a, b] = [newDir(), newDir()];
        expect(render(["review-7", "--out", a], { LC_ALL: "C", LANG: "C", TZ: "UTC" }).status).to.equal(0);
        expect(render(["review-7", "--out", b], { LC_ALL: "sv_SE.UTF-8", LANG: "sv_SE.UTF-8", TZ: "America/Los_Angeles" }).status).to.equal(0);
        expect(readAll(b)).to.equal(readAll(a));
    });

    it("renders a stack whose secrets an operator's Secret holds, given the way the engine passes config", () => {
        const out = newDir();
        const result = render(["staging", "--out", out], { PULUMI_CONFIG: JSON.stringify({ "argus:existingApiSecret": "argus-api", "argus:dataportenKey": "feide-client" }) });
        expect(result.status, result.stderr).to.equal(0);
        const manifests = fs.readFileSync(path.join(out, "manifests.yaml"), "utf8");
        expect(manifests).not.to.match(/name: argus-staging-runtime-secrets/);
        expect(manifests).to.contain("key: ARGUS_DATAPORTEN_SECRET\n                  name: argus-api");
        expect(result.stdout).to.contain("Rendering stack staging");
    });

    it("never shows a secret value, in files or on the terminal", () => {
        const out = newDir();
        const sentinels = {
            "argus:databaseUrl": "postgresql://argus:SENTINEL-db-5b2e@db.example.org:5432/argus",
            "argus:djangoSecretKey": "SENTINEL-django-0c9a",
            "argus:registryUsername": "deployer",
            "argus:registryPassword": "SENTINEL-registry-77d1",
            "argus:dataportenKey": "argus-client",
            "argus:dataportenSecret": "SENTINEL-dataporten-e4f0",
        };
        const result = render(["staging", "--out", out], {
            PULUMI_CONFIG: JSON.stringify(sentinels),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["argus:databaseUrl", "argus:djangoSecretKey", "argus:registryPassword", "argus:dataportenSecret"]),
        });
        expect(result.status, result.stderr).to.equal(0);
        const everything = readAll(out) + result.stdout + result.stderr;
        expect(everything).not.to.contain("SENTINEL");
        expect(everything).to.contain("ARGUS_DATAPORTEN_SECRET: '[secret]'");
    });

    it("fails with every config problem and exit status 1, writing nothing", () => {
        const out = path.join(newDir(), "bad");
        const result = render(["staging", "--out", out], { PULUMI_CONFIG: JSON.stringify({ "argus:apiReplicas": "0", "argus:webuiReplicas": "99" }) });
        expect(result.status).to.equal(1);
        expect(result.stderr).to.contain('The configuration of stack "staging" has 2 problems; nothing was created.');
        expect(result.stderr).to.contain("argus:apiReplicas: 0 is outside 1..20.");
        expect(result.stderr).to.contain("argus:webuiReplicas: 99 is outside 1..20.");
        expect(result.stderr).not.to.match(/\n\s+at /);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("fails as the CLI fails on a value of the wrong type, before the program runs", () => {
        const out = path.join(newDir(), "bad");
        const result = render(["staging", "--out", out], { PULUMI_CONFIG: JSON.stringify({ "argus:apiReplicas": "0", "argus:tls": "maybe" }) });
        expect(result.status).to.equal(1);
        expect(result.stderr).to.match(/^error: validating stack config: Stack 'staging' with configuration key 'tls' must be of type 'boolean'\n/);
        expect(result.stderr).not.to.contain("apiReplicas");
        expect(result.stderr).not.to.match(/\n\s+at /);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it("refuses an output folder it cannot create, at once, instead of retrying forever", () => {
        const started = Date.now();
        const result = render(["staging", "--out", "/proc/argus-render/out"]);
        expect(result.status).to.equal(1);
        expect(result.stderr.trim()).to.equal("render: cannot create the output folder /proc/argus-render/out: ENOENT at /proc/argus-render. Give --out a folder you can write.");
        expect(Date.now() - started).to.be.below(20000);
    });

    it("refuses an unknown stack", () => {
        const result = render(["qa"]);
        expect(result.status).to.equal(1);
        expect(result.stderr).to.contain('unknown stack "qa".');
    });
});

describe("stack config files offline", () => {
    it("turns a secure value it cannot decrypt into a secret stand-in", () => {
        const dir = tempDir();
        const file = path.join(dir, "Pulumi.staging.yaml");
        fs.writeFileSync(file, "config:\n  argus:domain: paas2.uninett.no\n  argus:apiReplicas: 2\n  argus:databaseUrl:\n    secure: v1:AAAA:BBBB\n");
        const config = readStackConfigFile(file);
        fs.rmSync(dir, { recursive: true, force: true });
        expect(config.values).to.deep.equal({
            "argus:domain": "paas2.uninett.no",
            "argus:apiReplicas": "2",
            "argus:databaseUrl": "postgresql://argus:PASSWORD@db.example.org:5432/argus",
        });
        expect(config.secretKeys).to.deep.equal(["argus:databaseUrl"]);
    });

    it("stands in for the secrets CI sets, unless an existing Secret or the stack's own database provides them", () => {
        const filled = withCiProvidedSecrets({ values: {}, secretKeys: [] }, "staging");
        expect(filled.secretKeys).to.deep.equal(["argus:databaseUrl"]);
        const existing = withCiProvidedSecrets({ values: { "argus:existingApiSecret": "argus-db" }, secretKeys: [] }, "staging");
        expect(existing.values).to.deep.equal({ "argus:existingApiSecret": "argus-db" });
        // Review apps run their own PostgreSQL unless they say otherwise; staging may opt in.
        expect(withCiProvidedSecrets({ values: {}, secretKeys: [] }, "review").secretKeys).to.deep.equal([]);
        expect(withCiProvidedSecrets({ values: { "argus:database": "external" }, secretKeys: [] }, "review").secretKeys).to.deep.equal(["argus:databaseUrl"]);
        expect(withCiProvidedSecrets({ values: { "argus:database": "inCluster" }, secretKeys: [] }, "staging").secretKeys).to.deep.equal([]);
        expect(secretPlaceholder).to.equal("[secret]");
    });
});
