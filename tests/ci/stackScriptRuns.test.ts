import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot as root } from "../../util/projectRoot";

/** ci/stack.sh run as a CI job runs it, against a stand-in pulumi (tests/support/pulumi-stand-in.js) that checks config as the CLI does. */

/** A checkout as a CI job has it: the committed files, no Pulumi.review-*.yaml, an empty backend unless given. */
function checkout(existingStacks: string[] = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-checkout-"));
    fs.cpSync(path.join(root, "ci"), path.join(dir, "ci"), { recursive: true });
    for (const file of ["Pulumi.yaml", "Pulumi.review.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"]) {
        fs.copyFileSync(path.join(root, file), path.join(dir, file));
    }
    // What the job's `npm ci` leaves (package.json prepare, npm run build); the stand-in never runs them.
    fs.mkdirSync(path.join(dir, "dist", "policy"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "index.js"), "");
    fs.writeFileSync(path.join(dir, "dist", "policy", "index.js"), "");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(path.join(root, "tests", "support", "pulumi-stand-in.js"), path.join(bin, "pulumi"));
    const backend = path.join(dir, "backend");
    fs.mkdirSync(backend);
    existingStacks.forEach((stack) => fs.writeFileSync(path.join(backend, stack), ""));
    // The environment's File variable KUBECONFIG, as the runner writes it (a path relative to the checkout, where ci/stack.sh runs).
    fs.mkdirSync(path.join(dir, "job.tmp"));
    fs.writeFileSync(path.join(dir, "job.tmp", "KUBECONFIG"), "apiVersion: v1\nkind: Config\n");
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
const ciVariables = { KUBECONFIG: "job.tmp/KUBECONFIG", CI_REGISTRY_IMAGE: "registry.example.org/sikt/argus", CI_REGISTRY_USER: "gitlab-ci-token", CI_REGISTRY_PASSWORD: "Sentinel-registry", ARGUS_DATABASE_URL: "postgresql://argus:Sentinel-db@db.example.org:5432/argus" };

type Checkout = ReturnType<typeof checkout>;

/**
 * Called inside a `describe`: before its tests, a fresh checkout with `existingStacks` in its backend (changed by
 * `prepare`), in which ci/stack.sh runs `action` on `stack` with `env`; the checkout is removed after them.
 */
function ranBefore(existingStacks: string[], stack: string, action: string, env: Record<string, string> = {}, prepare: (dir: string) => void = () => undefined) {
    let ci: Checkout | undefined;
    let result: ReturnType<Checkout["run"]> | undefined;
    before(() => {
        ci = checkout(existingStacks);
        prepare(ci.dir);
        result = ci.run(stack, action, env);
    });
    after(() => ci?.cleanup());
    return () => ({ ...result!, backend: ci!.backend });
}

const { ARGUS_DATABASE_URL: _, ...withoutDatabaseUrl } = ciVariables;

/** A `prepare` that gives `stack` a resource in the stand-in's backend, as a deploy leaves it. */
const deployed = (stack: string) => (dir: string) => fs.writeFileSync(path.join(dir, "backend", stack), JSON.stringify([{ urn: `urn:pulumi:${stack}::argus::pulumi:pulumi:Stack::argus-${stack}` }]));

describe("ci/stack.sh run from a fresh checkout", () => {
    describe("destroying a deployed review stack, with only the stop job's variables and no stack file", () => {
        const run = ranBefore(["review-7"], "review-7", "destroy", ciVariables, deployed("review-7"));

        it("destroys the stack, running the program for this job's provider config, and removes it", () => {
            const result = run();
            expect(result.stderr).not.to.contain("missing configuration");
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[result.calls.length - 1]).to.equal("destroy --yes --non-interactive --remove --run-program --stack review-7");
            expect(result.calls).to.include("config set --stack review-7 domain paas2.uninett.no");
            expect(fs.existsSync(path.join(result.backend, "review-7"))).to.equal(false);
        });
    });

    describe("destroying a review stack that was only previewed", () => {
        const run = ranBefore(["review-8"], "review-8", "destroy", ciVariables);

        it("removes the stack without running the program: there is nothing to delete", () => {
            expect(run().status, run().stderr).to.equal(0);
            expect(run().calls.filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
            expect(run().calls[run().calls.length - 1]).to.equal("stack rm --yes --non-interactive --stack review-8");
            expect(fs.existsSync(path.join(run().backend, "review-8"))).to.equal(false);
        });
    });

    describe("destroying a review stack that is gone", () => {
        const run = ranBefore(["staging"], "review-8", "destroy");

        it("says there is nothing to destroy", () => {
            expect([run().status, run().stdout.trim()]).to.deep.equal([0, "Stack review-8 does not exist (already removed); nothing to destroy."]);
        });
    });

    describe("destroying staging", () => {
        const run = ranBefore(["staging"], "staging", "destroy");

        it("is refused: the pipeline destroys no staging or production", () => {
            expect(run().status).to.equal(1);
            expect(run().stderr).to.contain("only review stacks are destroyed by the pipeline");
            expect(run().calls.filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
        });
    });

    describe("previewing a new review stack", () => {
        const run = ranBefore([], "review-9", "preview", ciVariables);

        it("uses the template, CI's values and secrets on standard input, and the policy pack", () => {
            const result = run();
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[1]).to.equal("stack select --create review-9");
            expect(result.calls).to.include.members(["config set --stack review-9 imageRepository registry.example.org/sikt/argus", "config set --secret --stack review-9 registryPassword"]);
            // A review app runs its own PostgreSQL: no database URL, and none needed from CI.
            expect(result.calls.filter((c) => c.includes("databaseUrl"))).to.deep.equal([]);
            expect(result.calls[result.calls.length - 1]).to.equal("preview --diff --non-interactive --policy-pack policy --stack review-9");
            expect(result.calls.join("\n") + result.stdout + result.stderr).not.to.contain("Sentinel");
        });
    });

    describe("the environment's kubeconfig, a File variable", () => {
        const run = ranBefore(["staging"], "staging", "preview", ciVariables);
        const missing = ranBefore(["staging"], "staging", "preview", { ...ciVariables, KUBECONFIG: "/nonexistent/KUBECONFIG" });
        const { KUBECONFIG: _unset, ...withoutKubeconfig } = ciVariables;
        const unset = ranBefore(["review-4"], "review-4", "destroy", withoutKubeconfig, deployed("review-4"));

        it("goes into the stack's config as a secret, its content on standard input, not its path", () => {
            expect(run().status, run().stderr).to.equal(0);
            expect(run().calls).to.include("config set --secret --stack staging kubeconfig");
        });

        it("is refused, before any preview, when KUBECONFIG names no file", () => {
            expect(missing().status).to.equal(1);
            expect(missing().stderr).to.contain("KUBECONFIG names /nonexistent/KUBECONFIG, which is not a file: set it as a File variable for this environment");
            expect(missing().calls.filter((c) => c.startsWith("preview"))).to.deep.equal([]);
        });

        it("is required: without one (nor one in the stack's config) a deployed review stack's destroy is refused before it starts", () => {
            expect(unset().status).to.equal(1);
            expect(unset().stderr).to.contain("no kubeconfig for review-4: set the File variable KUBECONFIG for this environment");
            expect(unset().calls.filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
        });
    });

    describe("deploying staging", () => {
        const first = ranBefore(["staging"], "staging", "up", ciVariables);
        const next = ranBefore(["staging"], "staging", "up", ciVariables, deployed("staging"));

        it("runs the program once: the update with the policy pack, no preview of its own, no refresh", () => {
            for (const run of [first, next]) {
                expect(run().status, run().stderr).to.equal(0);
                expect(run().calls.filter((c) => /^(refresh|preview|up)\b/.test(c))).to.deep.equal(["up --yes --skip-preview --diff --non-interactive --policy-pack policy --stack staging"]);
            }
        });
    });

    describe("previewing a deployed staging", () => {
        const run = ranBefore(["staging"], "staging", "preview", ciVariables, deployed("staging"));

        it("reads the cluster into the state first, with this job's kubeconfig, so that the preview and the deploy after it put a hand edit back", () => {
            expect(run().status, run().stderr).to.equal(0);
            expect(run().calls.slice(-2)).to.deep.equal(["refresh --yes --skip-preview --run-program --non-interactive --stack staging", "preview --diff --non-interactive --policy-pack policy --stack staging"]);
        });
    });

    describe("without the compiled program", () => {
        const run = ranBefore(["staging"], "staging", "up", ciVariables, (dir) => fs.rmSync(path.join(dir, "dist"), { recursive: true }));

        it("is refused before it logs in, saying how to build it", () => {
            expect(run().status).to.equal(1);
            expect(run().stderr).to.contain("the program is not compiled (no dist/index.js or dist/policy/index.js): run `npm ci`, whose prepare step runs `npm run build`, or `npm run build`.");
            expect(run().calls).to.deep.equal([]);
        });
    });

    describe("previewing staging", () => {
        const run = ranBefore(["staging"], "staging", "preview", ciVariables);

        it("sets the hosted database's URL from CI", () => {
            expect(run().status, run().stderr).to.equal(0);
            expect(run().calls).to.include("config set --secret --stack staging databaseUrl");
        });
    });

    /** ci/stack.sh's refusal when CI gives no database URL to a stack that uses the hosted database. */
    const expectDatabaseUrlAskedFor = (result: { status: number | null; stderr: string }) => {
        expect(result.status).to.equal(1);
        expect(result.stderr).to.contain("ARGUS_DATABASE_URL is not set for this environment");
    };

    describe("previewing staging without the hosted database's URL", () => {
        const run = ranBefore(["staging"], "staging", "preview", withoutDatabaseUrl);

        it("asks for it", () => expectDatabaseUrlAskedFor(run()));
    });

    describe("previewing a review app that chose the hosted database, without its URL", () => {
        const run = ranBefore([], "review-4", "preview", withoutDatabaseUrl, (dir) => fs.writeFileSync(path.join(dir, "Pulumi.review-4.yaml"), "config:\n  argus:database: external\n"));

        it("asks for it", () => expectDatabaseUrlAskedFor(run()));
    });

    /** The stand-in's preview prints this fixture (tests/ci/fixtures) and exits with this code, as the CLI would. */
    const previewPrints = (fixture: string, exitCode: number) => ({ PULUMI_STAND_IN_PREVIEW_JSON: path.join(root, "tests", "ci", "fixtures", fixture), PULUMI_STAND_IN_PREVIEW_EXIT: String(exitCode) });
    /** What a drift run left: drift.txt, and every file of the checkout and of its own temp folder (TMPDIR). */
    const driftRun = (existing: string[], stack: string, preview: Record<string, string>) => {
        let tmp = "";
        const run = ranBefore(existing, stack, "drift", { ...ciVariables, ...preview, TMPDIR: (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "argus-drift-tmp-"))) });
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));
        return () => {
            const result = run();
            const dir = path.dirname(result.backend);
            const report = path.join(dir, "drift.txt");
            return { ...result, report: fs.existsSync(report) ? fs.readFileSync(report, "utf8") : undefined, files: fs.readdirSync(dir), tmpFiles: fs.readdirSync(tmp) };
        };
    };

    describe("checking staging for drift, after hand edits", () => {
        const run = driftRun(["staging"], "staging", previewPrints("preview-refresh-kubectl-edits.json", 1));

        it("configures the stack as for a preview, then runs only a refreshing preview, with no policy pack", () => {
            const result = run();
            expect(result.calls[1]).to.equal("stack select staging");
            expect(result.calls).to.include("config set --secret --stack staging databaseUrl");
            expect(result.calls.filter((c) => !c.startsWith("config ") && !c.startsWith("login") && !c.startsWith("stack select"))).to.deep.equal([
                "preview --refresh --expect-no-changes --show-sames --json --non-interactive --stack staging",
            ]);
        });

        it("fails naming drift.txt, which names each object and ends with drifted", () => {
            const result = run();
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("ci/stack.sh: staging has drifted from its stack: drift.txt names each object and field");
            expect(result.report).to.contain("Deployment argus-staging-api (namespace argus-staging): the program would change it back\n  spec.replicas: 3 -> 1\n");
            expect(result.report!.trimEnd().split("\n").pop()).to.equal("staging: drifted: 3 objects differ from the stack.");
            expect(result.stdout).to.contain(result.report);
        });

        it("keeps no JSON, here or in its temp folder: the refreshed state may hold values typed by hand", () => {
            const result = run();
            expect(result.files.filter((f) => f.endsWith(".json"))).to.deep.equal([]);
            expect(result.tmpFiles).to.deep.equal([]);
        });
    });

    describe("checking staging for drift, with none", () => {
        const run = driftRun(["staging"], "staging", previewPrints("preview-refresh-no-drift.json", 0));

        it("succeeds, drift.txt saying no drift", () => {
            expect(run().status, run().stderr).to.equal(0);
            expect(run().report).to.equal("staging: no drift: the cluster matches the stack.\n");
        });
    });

    describe("checking production for drift when the preview fails before any JSON", () => {
        const run = driftRun(["production"], "production", { PULUMI_STAND_IN_PREVIEW_JSON: "/dev/null", PULUMI_STAND_IN_PREVIEW_EXIT: "255" });

        it("fails saying it could not compare, drift.txt saying not compared", () => {
            expect(run().status).to.equal(1);
            expect(run().stderr).to.contain("could not compare production with the cluster (pulumi preview exited 255)");
            expect(run().report).to.contain("production: not compared: the preview failed");
        });
    });

    describe("checking a review stack that does not exist for drift", () => {
        const run = driftRun(["staging"], "review-5", previewPrints("preview-refresh-no-drift.json", 0));

        it("stops before the preview, rather than create the stack", () => {
            expect(run().status).to.equal(1);
            expect(run().calls).to.deep.equal(["login file://" + run().backend, "stack select review-5"]);
        });
    });

    describe("previewing a staging stack that does not exist", () => {
        const run = ranBefore([], "staging", "preview", ciVariables);

        it("stops before the preview, rather than create the stack", () => {
            expect(run().status).to.equal(1);
            expect(run().stderr).to.contain("stack staging does not exist in this backend");
            expect(run().calls).to.deep.equal(["login file://" + run().backend, "stack select staging"]);
        });
    });
});
