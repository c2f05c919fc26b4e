import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { root } from "../support/gitlabPipeline";

/** ci/stack.sh run as a CI job runs it, against a stand-in pulumi (tests/support/pulumi-stand-in.js) that checks config as the CLI does. */

/** A checkout as a CI job has it: the committed files, no Pulumi.review-*.yaml, an empty backend unless given. */
function checkout(existingStacks: string[] = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-checkout-"));
    fs.cpSync(path.join(root, "ci"), path.join(dir, "ci"), { recursive: true });
    for (const file of ["Pulumi.yaml", "Pulumi.review.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"]) {
        fs.copyFileSync(path.join(root, file), path.join(dir, file));
    }
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(path.join(root, "tests", "support", "pulumi-stand-in.js"), path.join(bin, "pulumi"));
    const backend = path.join(dir, "backend");
    fs.mkdirSync(backend);
    existingStacks.forEach((stack) => fs.writeFileSync(path.join(backend, stack), ""));
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(log, "");
    const run = (stack: string, action: string, env: Record<string, string> = {}) => {
        const result = spawnSync("bash", [path.join(dir, "ci", "stack.sh"), stack, action], {
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH}`,
                NODE_PATH: path.join(root, "node_modules"),
                PULUMI_BACKEND_URL: `file://${backend}`,
                PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
                PULUMI_STAND_IN_BACKEND: backend,
                PULUMI_STAND_IN_LOG: log,
                ...env,
            },
        });
        return { ...result, calls: fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) };
    };
    return { dir, backend, run, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
const ciVariables = { CI_REGISTRY_IMAGE: "registry.example.org/sikt/argus", CI_REGISTRY_USER: "gitlab-ci-token", CI_REGISTRY_PASSWORD: "Sentinel-registry", ARGUS_DATABASE_URL: "postgresql://argus:Sentinel-db@db.example.org:5432/argus" };

type Checkout = ReturnType<typeof checkout>;
type Run = ReturnType<Checkout["run"]>;

/** Called inside a `describe`: a fresh checkout made before its tests and removed after them. */
function freshCheckout(existingStacks: string[] = []): () => Checkout {
    let ci: Checkout | undefined;
    before(() => (ci = checkout(existingStacks)));
    after(() => ci?.cleanup());
    return () => ci!;
}

const { ARGUS_DATABASE_URL: _, ...withoutDatabaseUrl } = ciVariables;

describe("ci/stack.sh run from a fresh checkout", () => {
    describe("destroying a review stack, with only the stop job's variables and no stack file", () => {
        const ci = freshCheckout(["review-7"]);
        let result: Run;
        before(() => (result = ci().run("review-7", "destroy")));

        it("destroys the stack and removes it", () => {
            expect(result.stderr).not.to.contain("missing configuration");
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[result.calls.length - 1]).to.equal("destroy --yes --non-interactive --remove --stack review-7");
            expect(result.calls).to.include("config set --stack review-7 domain paas2.uninett.no");
            expect(fs.existsSync(path.join(ci().backend, "review-7"))).to.equal(false);
        });
    });

    describe("destroying stacks that are not there or not review stacks", () => {
        const ci = freshCheckout(["staging"]);
        let gone: Run;
        let staging: Run;
        before(() => {
            gone = ci().run("review-8", "destroy");
            staging = ci().run("staging", "destroy");
        });

        it("says there is nothing to destroy for a stack that is gone", () => {
            expect([gone.status, gone.stdout.trim()]).to.deep.equal([0, "Stack review-8 does not exist (already removed); nothing to destroy."]);
        });

        it("destroys no staging or production", () => {
            expect(staging.status).to.equal(1);
            expect(staging.stderr).to.contain("only review stacks are destroyed by the pipeline");
            expect(staging.calls.filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
        });
    });

    describe("previewing a new review stack", () => {
        const ci = freshCheckout();
        let result: Run;
        before(() => (result = ci().run("review-9", "preview", ciVariables)));

        it("uses the template, CI's values and secrets on standard input, and the policy pack", () => {
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[1]).to.equal("stack select --create review-9");
            expect(result.calls).to.include.members(["config set --stack review-9 imageRepository registry.example.org/sikt/argus", "config set --secret --stack review-9 registryPassword"]);
            // A review app runs its own PostgreSQL: no database URL, and none needed from CI.
            expect(result.calls.filter((c) => c.includes("databaseUrl"))).to.deep.equal([]);
            expect(result.calls[result.calls.length - 1]).to.equal("preview --diff --non-interactive --policy-pack policy --stack review-9");
            expect(result.calls.join("\n") + result.stdout + result.stderr).not.to.contain("Sentinel");
        });
    });

    describe("previewing staging", () => {
        const ci = freshCheckout(["staging"]);
        let withUrl: Run;
        let withoutUrl: Run;
        before(() => {
            withUrl = ci().run("staging", "preview", ciVariables);
            withoutUrl = ci().run("staging", "preview", withoutDatabaseUrl);
        });

        it("sets the hosted database's URL from CI", () => {
            expect(withUrl.status, withUrl.stderr).to.equal(0);
            expect(withUrl.calls).to.include("config set --secret --stack staging databaseUrl");
        });

        it("requires that URL", () => {
            expect(withoutUrl.status).to.equal(1);
            expect(withoutUrl.stderr).to.contain("ARGUS_DATABASE_URL is not set for this environment");
        });
    });

    describe("previewing a review app that chose the hosted database", () => {
        const ci = freshCheckout();
        let result: Run;
        before(() => {
            fs.writeFileSync(path.join(ci().dir, "Pulumi.review-4.yaml"), "config:\n  argus:database: external\n");
            result = ci().run("review-4", "preview", withoutDatabaseUrl);
        });

        it("asks for the hosted database's URL", () => {
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("ARGUS_DATABASE_URL is not set for this environment");
        });
    });

    describe("previewing a staging stack that does not exist", () => {
        const ci = freshCheckout();
        let result: Run;
        before(() => (result = ci().run("staging", "preview", ciVariables)));

        it("stops before the preview, rather than create the stack", () => {
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("stack staging does not exist in this backend");
            expect(result.calls).to.deep.equal(["login file://" + ci().backend, "stack select staging"]);
        });
    });
});
