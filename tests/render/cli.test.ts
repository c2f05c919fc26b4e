import { expect } from "chai";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack, stackProgramConfig } from "../../render";
import { shared } from "../support/shared";
import { projectRoot } from "../../util/projectRoot";


/** The command `npm run render` runs (package.json), run directly: npm itself adds a third of a second. */
const renderCommand = ["--require", "v8-compile-cache", "--require", "./scripts/register-ts.js", "render/cli.ts"];

/** Runs the render command; `viaNpm` as the README writes it. */
function render(args: string[], env: Record<string, string> = {}, viaNpm = false): SpawnSyncReturns<string> {
    const [command, commandArgs] = viaNpm ? ["npm", ["run", "--silent", "render", "--", ...args]] : [process.execPath, [...renderCommand, ...args]];
    return spawnSync(command, commandArgs, { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ...env } });
}

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "argus-render-"));
}

function readAll(dir: string): string {
    return ["manifests.yaml", "resources.json"].map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
}

/** The terminal output of a render with the folder it wrote to replaced, so renders into two folders compare. */
const withoutFolder = (stdout: string, dir: string) => stdout.split(path.relative(projectRoot, dir)).join("<out>");

interface Run {
    /** The folder given to --out. */
    readonly out: string;
    readonly result: SpawnSyncReturns<string>;
}

/**
 * Called inside a `describe`: runs the render before its tests with `args` and `env`, writing into a new
 * folder (or into `sub` below it, which the render must make), and removes the folder after them.
 */
function renderedBefore(args: string[], env: Record<string, string> = {}, options: { viaNpm?: boolean; sub?: string } = {}): () => Run {
    let dir = "";
    let run: Run | undefined;
    before(() => {
        dir = tempDir();
        const out = options.sub ? path.join(dir, options.sub) : dir;
        run = { out, result: render([...args, "--out", out], env, options.viaNpm) };
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    return () => run!;
}

describe("npm run render", () => {

    describe("against the command the tests run directly, and the render in the tests' own process", () => {
        /** Config as the engine passes it, so the test sees that npm hands it on too. */
        const env = { PULUMI_CONFIG: JSON.stringify({ "argus:apiReplicas": "2", "argus:timeZone": "UTC" }) };
        const viaNpm = renderedBefore(["staging"], env, { viaNpm: true });
        const direct = renderedBefore(["staging"], env);
        let inProcess = "";
        // In a beforeEach, through shared: it runs the program in this process (see support/shared).
        const renderInProcess = shared(() => renderStack("staging", stackProgramConfig("staging", env)));
        beforeEach(async () => {
            const rendering = await renderInProcess();
            inProcess = `${rendering.manifestsYaml}\n${rendering.resourcesJson}`;
        });

        it("writes the same files and prints the same, so what the tests check is what an operator gets", () => {
            expect(viaNpm().result.status, viaNpm().result.stderr).to.equal(0);
            expect(direct().result.status, direct().result.stderr).to.equal(0);
            expect(readAll(viaNpm().out)).to.equal(readAll(direct().out));
            expect(readAll(viaNpm().out)).to.equal(inProcess);
            expect(readAll(viaNpm().out)).to.contain("TIME_ZONE: UTC");
            expect(withoutFolder(viaNpm().result.stdout, viaNpm().out)).to.equal(withoutFolder(direct().result.stdout, direct().out));
            expect(viaNpm().result.stderr).to.equal(direct().result.stderr);
        });
    });

    describe("of production, as the README writes it", () => {
        const run = renderedBefore(["production"], {}, { viaNpm: true });

        it("writes manifests.yaml and resources.json, and prints the resource tree and counts", () => {
            const { out, result } = run();
            expect(result.status, result.stderr).to.equal(0);
            const manifests = fs.readFileSync(path.join(out, "manifests.yaml"), "utf8");
            expect(manifests.startsWith("---\napiVersion: v1\nkind: ServiceAccount\n")).to.equal(true);
            expect(manifests.split("\n---\n")).to.have.length(21);
            const resources = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as { type: string; name: string; parent?: string; inputs: any }[];
            const argusImage = resources.find((r) => r.name === "argus-runtime-image")!;
            expect(argusImage.parent).to.equal("argus:index:Runtime::argus-runtime");
            expect(argusImage.type).to.equal("argus:index:Image");
            expect(result.stdout).to.contain(" +   pulumi:pulumi:Stack");
            expect(result.stdout).to.match(/[├└]─ argus:index:Instance/);
            expect(result.stdout).to.match(/[├└]─ pulumi:providers:kubernetes/);
            expect(result.stdout).to.match(/Resources: 36 to create/);
            expect(result.stdout).to.match(/ {6}2 kubernetes:apps\/v1:Deployment/);
        });
    });

    describe("on machines with another locale and time zone", () => {
        const plain = renderedBefore(["review-7"], { LC_ALL: "C", LANG: "C", TZ: "UTC" });
        const swedish = renderedBefore(["review-7"], { LC_ALL: "sv_SE.UTF-8", LANG: "sv_SE.UTF-8", TZ: "America/Los_Angeles" });

        it("renders the same bytes every time", () => {
            expect([plain().result.status, swedish().result.status]).to.deep.equal([0, 0]);
            expect(readAll(swedish().out)).to.equal(readAll(plain().out));
        });
    });

    describe("of a stack whose secrets an operator's Secret holds, given the way the engine passes config", () => {
        const run = renderedBefore(["staging"], { PULUMI_CONFIG: JSON.stringify({ "argus:existingApiSecret": "argus-api", "argus:dataportenKey": "feide-client" }) });

        it("renders, referring to that Secret", () => {
            const { out, result } = run();
            expect(result.status, result.stderr).to.equal(0);
            const manifests = fs.readFileSync(path.join(out, "manifests.yaml"), "utf8");
            expect(manifests).not.to.match(/name: argus-staging-runtime-secrets/);
            expect(manifests).to.contain("key: ARGUS_DATAPORTEN_SECRET\n                  name: argus-api");
            expect(result.stdout).to.contain("Rendering stack staging");
        });
    });

    describe("with secrets in the config", () => {
        const sentinels = {
            "argus:databaseUrl": "postgresql://argus:SENTINEL-db-5b2e@db.example.org:5432/argus",
            "argus:djangoSecretKey": "SENTINEL-django-0c9a",
            "argus:registryUsername": "deployer",
            "argus:registryPassword": "SENTINEL-registry-77d1",
            "argus:dataportenKey": "argus-client",
            "argus:dataportenSecret": "SENTINEL-dataporten-e4f0",
        };
        const run = renderedBefore(["staging"], {
            PULUMI_CONFIG: JSON.stringify(sentinels),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["argus:databaseUrl", "argus:djangoSecretKey", "argus:registryPassword", "argus:dataportenSecret"]),
        });

        it("never shows a secret value, in files or on the terminal", () => {
            const { out, result } = run();
            expect(result.status, result.stderr).to.equal(0);
            const everything = readAll(out) + result.stdout + result.stderr;
            expect(everything).not.to.contain("SENTINEL");
            expect(everything).to.contain("ARGUS_DATAPORTEN_SECRET: '[secret]'");
        });
    });

    /** A refused render: exit status 1, no stack trace, and no output folder made. */
    const expectRefusedWithoutWriting = ({ out, result }: Run) => {
        expect(result.status).to.equal(1);
        expect(result.stderr).not.to.match(/\n\s+at /);
        expect(fs.existsSync(out)).to.equal(false);
    };

    describe("with config the program refuses", () => {
        const run = renderedBefore(["staging"], { PULUMI_CONFIG: JSON.stringify({ "argus:apiReplicas": "0", "argus:webuiReplicas": "99" }) }, { sub: "bad" });

        it("fails with every config problem and exit status 1, writing nothing", () => {
            expectRefusedWithoutWriting(run());
            expect(run().result.stderr).to.contain('The configuration of stack "staging" has 2 problems; nothing was created.');
            expect(run().result.stderr).to.contain("argus:apiReplicas: 0 is outside 1..20.");
            expect(run().result.stderr).to.contain("argus:webuiReplicas: 99 is outside 1..20.");
        });
    });

    describe("with a value of the wrong type", () => {
        const run = renderedBefore(["staging"], { PULUMI_CONFIG: JSON.stringify({ "argus:apiReplicas": "0", "argus:tls": "maybe" }) }, { sub: "bad" });

        it("fails as the CLI fails, before the program runs", () => {
            expectRefusedWithoutWriting(run());
            expect(run().result.stderr).to.match(/^error: validating stack config: Stack 'staging' with configuration key 'tls' must be of type 'boolean'\n/);
            expect(run().result.stderr).not.to.contain("apiReplicas");
        });
    });

    describe("with an output folder it cannot create", () => {
        let result = {} as SpawnSyncReturns<string>;
        let took = 0;
        before(() => {
            const started = Date.now();
            result = render(["staging", "--out", "/proc/argus-render/out"]);
            took = Date.now() - started;
        });

        it("refuses it at once, instead of retrying forever", () => {
            expect(result.status).to.equal(1);
            expect(result.stderr.trim()).to.equal("render: cannot create the output folder /proc/argus-render/out: ENOENT at /proc/argus-render. Give --out a folder you can write.");
            expect(took).to.be.below(20000);
        });
    });

    describe("with an unknown stack", () => {
        let result = {} as SpawnSyncReturns<string>;
        before(() => (result = render(["qa"])));

        it("refuses it", () => {
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain('unknown stack "qa".');
        });
    });
});
