// The GitLab project the Pulumi jobs run in, set up as docs/operations.md ("Set up GitLab for this project")
// tells an operator to, on the cluster suite's control plane (realworld/cluster/fixture.ts):
// - a self-managed backend per environment (a folder each, `file://`) with a passphrase of its own, and the
//   staging and production stacks made once by hand (`pulumi stack init`); review stacks CI makes itself;
// - the CI/CD variables, scoped to their environment (`review/*`, `staging`, `production`): the backend and
//   passphrase, KUBECONFIG of type File holding that environment's deployer kubeconfig, ARGUS_DATABASE_URL
//   and ARGUS_REGISTRY_PULL_TOKEN. gitlab-ci-local reads them from `.gitlab-ci-local-variables.yml` in its
//   working directory, an untracked file the jobs' checkouts never see: src/variables-from-files.ts (4.75.1)
//   takes `{type, values: {<environment scope>: <value>}}` per name, a scope's `*` matching anything, and
//   src/utils.ts findEnvMatchedVariables gives a job only the values whose scope matches its environment's
//   name, a File variable as the path of a file holding the value (as GitLab does).
// - GitLab's predefined registry variables (CI_REGISTRY_IMAGE, _USER, _PASSWORD) for the suite's registry.
// And the runner: the machine's shell with the CLI and plugins the engine suite builds on PATH (the job's image
// pulumi/pulumi-nodejs has them), its docker:dind service dropped by `gitlab-ci-local.yml` beside this file
// (merged over .gitlab-ci.yml: src/parser.ts), and each job in a fresh copy of the tracked files
// (--shell-isolation, src/job.ts: rsync of `git ls-files` into .gitlab-ci-local/builds/<job>), as a runner
// clones for each job. The docker stand-in pushes a small image where the real plugin would build and push
// one (ARGUS_STANDIN_PUSH=registry, tools/standins/push.ts), so production finds staging's digests.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import type { Environment } from "../../stacks/stackName";
import { environments } from "../../deployers/identities";
import { ciVariables, cliEnvironment, launchPolicyPackWithoutRunPlugin } from "../engine/harness";
import { Cluster } from "../cluster/controlPlane";
import { deployerKubeconfig } from "../cluster/fixture";
import { imageRepository } from "../cluster/production";
import { ok, Result, runCommand, RunOptions } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { manualJobs } from "../../scripts/pipeline";
import { interpreter, PipelineKind } from "../../scripts/pipelineKinds";
import { Checkout } from "./interpreter";

/** The environment scope of each environment's variables (docs/operations.md, "CI variables"). */
const scopes: Record<Environment, string> = { review: "review/*", staging: "staging", production: "production" };

/** One environment's backend, as its CI variables give it. */
interface Backend {
    readonly url: string;
    readonly passphrase: string;
}

/** A scoped CI/CD variable as gitlab-ci-local's variables file takes it. */
type ScopedVariable = { type: "file" | "variable"; values: Record<string, string> };

export class GitLabProject {
    readonly checkout: Checkout;
    readonly backends: Record<Environment, Backend>;
    private readonly home: string;

    constructor(private readonly cluster: Cluster) {
        this.checkout = new Checkout(interpreter());
        this.home = makeDir("pipeline-runner-home");
        this.backends = Object.fromEntries(
            environments.map((e) => [e, { url: `file://${makeDir(`pipeline-backend-${e}`, 0o700)}`, passphrase: `pipeline-suite-passphrase-${e}` }]),
        ) as Record<Environment, Backend>;
        // The suite's two changes to the project, committed so every job's checkout has them: the policy pack
        // started by the test-only launcher (realworld/engine/harness.ts says why), and no wait for an Ingress
        // address, since no ingress controller runs here (the config allows it off).
        launchPolicyPackWithoutRunPlugin(this.checkout.dir);
        for (const stack of ["review", "staging", "production"]) {
            fs.appendFileSync(path.join(this.checkout.dir, `Pulumi.${stack}.yaml`), '  # The pipeline suite: no ingress controller on its control plane.\n  argus:awaitIngresses: "false"\n');
        }
        this.checkout.commit("the pipeline suite's launcher and no Ingress await");
        fs.copyFileSync(path.join(__dirname, "gitlab-ci-local.yml"), path.join(this.checkout.dir, ".gitlab-ci-local.yml"));
        this.writeVariables();
    }

    /**
     * Writes the CI/CD variables file: KUBECONFIG of each environment its deployer identity's kubeconfig, unless
     * `kubeconfigs` gives another (a variable set wrong by mistake).
     */
    writeVariables(kubeconfigs: Partial<Record<Environment, string>> = {}): void {
        const kubeconfig = (e: Environment) => kubeconfigs[e] ?? deployerKubeconfig(e);
        const ci = ciVariables();
        const scoped = (type: "file" | "variable", value: (e: Environment) => string | undefined): ScopedVariable => ({
            type,
            values: Object.fromEntries(environments.flatMap((e) => (value(e) === undefined ? [] : [[scopes[e], value(e)!]]))),
        });
        const variables: Record<string, ScopedVariable> = {
            PULUMI_BACKEND_URL: scoped("variable", (e) => this.backends[e].url),
            PULUMI_CONFIG_PASSPHRASE: scoped("variable", (e) => this.backends[e].passphrase),
            KUBECONFIG: scoped("file", kubeconfig),
            ARGUS_DATABASE_URL: scoped("variable", (e) => (e === "review" ? undefined : ci.ARGUS_DATABASE_URL)),
            ARGUS_REGISTRY_PULL_TOKEN: scoped("variable", () => ci.ARGUS_REGISTRY_PULL_TOKEN),
        };
        fs.writeFileSync(path.join(this.checkout.dir, ".gitlab-ci-local-variables.yml"), yaml.dump(variables), { mode: 0o600 });
    }

    /** What the runner's shell has: the built CLI and plugins on PATH, the suite's CA, no plugin downloads. */
    private runnerEnvironment(): NodeJS.ProcessEnv {
        return { ...cliEnvironment(this.home), NODE_EXTRA_CA_CERTS: this.cluster.caFile, ARGUS_STANDIN_PUSH: "registry" };
    }

    /** GitLab's predefined variables for the project's registry, and the runner's npm cache. */
    private predefined(): Record<string, string> {
        const ci = ciVariables();
        return {
            CI_REGISTRY_IMAGE: imageRepository(this.cluster),
            CI_REGISTRY_USER: ci.CI_REGISTRY_USER,
            CI_REGISTRY_PASSWORD: ci.CI_REGISTRY_PASSWORD,
            // The GitLab cache of .npm/ (keyed by package-lock.json): this machine's npm cache.
            npm_config_cache: path.join(os.homedir(), ".npm"),
        };
    }

    /** What an operator does once per environment before CI deploys it: `pulumi stack init <stack>` in its backend. */
    async initStack(environment: "staging" | "production"): Promise<void> {
        ok(await this.pulumi(environment, ["stack", "init", environment, "--secrets-provider", "passphrase", "--non-interactive"]), `pulumi stack init ${environment}`);
    }

    /** The CLI with one environment's backend, as an operator runs it by hand (in a folder of its own). */
    pulumi(environment: Environment, args: string[], opts: RunOptions = {}): Promise<Result> {
        const backend = this.backends[environment];
        return runCommand("pulumi", args, {
            cwd: this.checkout.dir,
            timeoutMs: 120_000,
            ...opts,
            env: { ...this.runnerEnvironment(), PULUMI_HOME: path.join(this.home, ".pulumi"), PULUMI_BACKEND_URL: backend.url, PULUMI_CONFIG_PASSPHRASE: backend.passphrase, ...opts.env },
        });
    }

    /**
     * Runs `jobs` of a pipeline of `kind`, each in the shell in a fresh copy of the tracked files; `manual` are
     * those started by hand. Only jobs the interpreter says `kind` creates may be named, each with its `when`:
     * naming a job runs it whatever its rules say (src/commander.ts runJobs), so the rules are checked first.
     */
    async run(kind: PipelineKind, jobs: string[], manual: string[] = []): Promise<Result> {
        const manualInKind = manualJobs(await this.checkout.jobs(kind), jobs, kind);
        if ([...manualInKind].sort().join() !== [...manual].sort().join()) throw new Error(`${kind.name} has ${manualInKind.join(", ") || "none"} of ${jobs.join(", ")} as manual jobs; name exactly those in \`manual\``);
        const withPredefined = { ...kind, variables: { ...kind.variables, ...this.predefined() } };
        return this.checkout.run(withPredefined, ["--force-shell-executor", "--shell-isolation", ...manual.flatMap((m) => ["--manual", m]), ...jobs], 900_000, this.runnerEnvironment());
    }

    /**
     * A job's artifact file, as the interpreter exported it: .gitlab-ci-local/artifacts/<safe name>/ (src/job.ts),
     * the safe name with each run of other characters than [A-Za-z0-9_-] base64url-encoded (src/utils.ts safeDockerString).
     */
    artifact(job: string, file: string): string {
        return fs.readFileSync(path.join(this.checkout.dir, ".gitlab-ci-local", "artifacts", job.replace(/[^\w-]+/g, (m) => Buffer.from(m).toString("base64url")), file), "utf8");
    }
}
