import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");

interface Rule {
    if?: string;
    when?: string;
    allow_failure?: boolean;
}

interface Job {
    stage?: string;
    image?: string;
    extends?: string | string[];
    needs?: (string | { job: string })[];
    rules?: Rule[];
    environment?: { name: string; url?: string; on_stop?: string; action?: string; auto_stop_in?: string };
    resource_group?: string;
    id_tokens?: Record<string, { aud: string }>;
    cache?: { key: unknown; paths: string[] }[];
    before_script?: string[];
    script?: string[];
}

const pipeline = yaml.load(fs.readFileSync(path.join(root, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown> & {
    stages: string[];
    workflow: { rules: Rule[] };
    variables: Record<string, string>;
};
const reserved = new Set(["workflow", "stages", "variables", "default", "include"]);
const jobs = new Map(Object.entries(pipeline).filter(([name]) => !reserved.has(name)) as [string, Job][]);
const runnable = [...jobs.keys()].filter((name) => !name.startsWith("."));

/** A job with what it extends merged in, as GitLab sees it. */
function resolved(name: string): Job {
    const job = jobs.get(name)!;
    const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
    return Object.assign({}, ...parents.map(resolved), job);
}

/** Every shell line a job runs, with the script files it calls. */
function shellLines(name: string): string[] {
    const job = resolved(name);
    const lines = [...(job.before_script ?? []), ...(job.script ?? [])];
    const scripts = lines.flatMap((l) => [...l.matchAll(/(ci\/[\w.-]+\.sh)/g)].map((m) => m[1]));
    return [...lines, ...scripts.flatMap((s) => fs.readFileSync(path.join(root, s), "utf8").split("\n"))];
}

type Variables = Record<string, string>;

/**
 * Evaluates the subset of GitLab's `rules:if` expressions this pipeline uses: `&&`, `||`, `==`, `!=`,
 * `=~ /regex/`, and a bare `$VARIABLE` (true when set and not empty).
 */
function evaluate(expression: string, vars: Variables): boolean {
    const value = (token: string): string | undefined => {
        const t = token.trim();
        if (t.startsWith("$")) return vars[t.slice(1)];
        if (/^".*"$/.test(t)) return t.slice(1, -1);
        throw new Error(`cannot evaluate "${t}" in: ${expression}`);
    };
    return expression.split("||").some((any) =>
        any.split("&&").every((atom) => {
            const regex = /^(.+?)\s*=~\s*\/(.*)\/$/.exec(atom.trim());
            if (regex) return new RegExp(regex[2]).test(value(regex[1]) ?? "");
            const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(atom.trim());
            if (comparison) return (value(comparison[1]) === value(comparison[3])) === (comparison[2] === "==");
            return Boolean(value(atom));
        }),
    );
}

/** The first rule that matches, or undefined; GitLab's rules semantics. */
function firstMatch(rules: Rule[], vars: Variables): Rule | undefined {
    return rules.find((rule) => rule.if === undefined || evaluate(rule.if, vars));
}

/** The jobs a pipeline with these predefined variables runs, each with its `when`. */
function jobsRun(vars: Variables): Record<string, string> {
    const workflow = firstMatch(pipeline.workflow.rules, vars);
    if (!workflow || workflow.when === "never") return {};
    const run: Record<string, string> = {};
    for (const name of runnable) {
        const rules = resolved(name).rules;
        const rule = rules ? firstMatch(rules, vars) : {};
        if (rule && rule.when !== "never") run[name] = rule.when ?? "on_success";
    }
    return run;
}

const base = { CI_DEFAULT_BRANCH: "main", CI_PROJECT_PATH: "sikt/argus-deploy" };
const pipelines = {
    mergeRequest: { ...base, CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: "42", CI_COMMIT_REF_NAME: "feature", CI_COMMIT_REF_PROTECTED: "false" },
    branchWithMergeRequest: { ...base, CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "feature", CI_OPEN_MERGE_REQUESTS: "sikt/argus-deploy!42", CI_COMMIT_REF_PROTECTED: "false" },
    defaultBranch: { ...base, CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "main", CI_COMMIT_REF_PROTECTED: "true" },
    releaseTag: { ...base, CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "v1.4.0", CI_COMMIT_REF_PROTECTED: "true" },
    unprotectedTag: { ...base, CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "v1.4.0", CI_COMMIT_REF_PROTECTED: "false" },
};

describe(".gitlab-ci.yml, as GitLab would run it", () => {
    it("evaluates rule expressions as GitLab does", () => {
        expect(evaluate('$A == "x" && $B', { A: "x", B: "1" })).to.equal(true);
        expect(evaluate('$A == "x" && $B', { A: "x" })).to.equal(false);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3" })).to.equal(true);
        expect(evaluate("$T =~ /^v\\d+\\.\\d+\\.\\d+$/", { T: "v1.2.3-rc1" })).to.equal(false);
        expect(evaluate("$A == $B || $C", { A: "1", B: "2", C: "yes" })).to.equal(true);
    });

    it("a merge request tests, renders, and previews, deploys and stops its own review stack only", () => {
        expect(jobsRun(pipelines.mergeRequest)).to.deep.equal({ test: "on_success", "review:preview": "on_success", "review:deploy": "on_success", "review:stop": "manual" });
    });

    it("no merge-request job that holds credentials names staging or production, their stacks or their environments", () => {
        // The test job renders every stack offline, with no credentials; every other job runs Pulumi.
        const withCredentials = Object.keys(jobsRun(pipelines.mergeRequest)).filter((name) => name !== "test");
        expect(withCredentials.every((name) => shellLines(name).some((l) => l.includes("ci/stack.sh")))).to.equal(true);
        for (const name of withCredentials) {
            const job = resolved(name);
            if (job.environment) expect(job.environment.name, name).to.match(/^review\//);
            for (const line of job.script ?? []) {
                expect(line, `${name}: ${line}`).not.to.match(/\b(staging|production)\b/);
            }
        }
    });

    it("a branch with an open merge request runs no second pipeline", () => {
        expect(jobsRun(pipelines.branchWithMergeRequest)).to.deep.equal({});
    });

    it("the protected default branch tests, previews staging, then deploys it", () => {
        expect(jobsRun(pipelines.defaultBranch)).to.deep.equal({ test: "on_success", "staging:preview": "on_success", "staging:deploy": "on_success" });
        expect(resolved("staging:deploy").needs).to.deep.equal(["staging:preview"]);
    });

    it("a protected release tag previews production; the deploy waits for a person and blocks nothing", () => {
        expect(jobsRun(pipelines.releaseTag)).to.deep.equal({ test: "on_success", "production:preview": "on_success", "production:deploy": "manual" });
        expect(resolved("production:deploy").needs).to.deep.equal(["production:preview"]);
        const rule = firstMatch(resolved("production:deploy").rules!, pipelines.releaseTag)!;
        expect(rule.allow_failure).to.equal(true);
    });

    it("an unprotected tag reaches no environment", () => {
        expect(jobsRun(pipelines.unprotectedTag)).to.deep.equal({ test: "on_success" });
    });

    it("every job that names staging or production runs only on protected refs", () => {
        for (const name of runnable) {
            const environment = resolved(name).environment?.name ?? "";
            if (!/^(staging|production)$/.test(environment)) continue;
            for (const rule of resolved(name).rules ?? []) {
                expect(rule.if, name).to.contain('$CI_COMMIT_REF_PROTECTED == "true"');
            }
        }
    });
});

describe(".gitlab-ci.yml, structure", () => {
    it("puts every job in a stage that exists, and extends and needs only jobs that exist", () => {
        for (const [name, job] of jobs) {
            if (!name.startsWith(".")) expect(pipeline.stages, name).to.include(resolved(name).stage);
            const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
            parents.forEach((p) => expect(jobs.has(p), `${name} extends ${p}`).to.equal(true));
            (job.needs ?? []).forEach((n) => expect(jobs.has(typeof n === "string" ? n : n.job), `${name} needs ${JSON.stringify(n)}`).to.equal(true));
        }
    });

    it("runs Pulumi in Pulumi's image at the version of the SDK in package-lock.json", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
        const sdk = lock.packages["node_modules/@pulumi/pulumi"].version;
        expect(pipeline.variables.PULUMI_VERSION).to.equal(sdk);
        expect(pipeline.variables.PULUMI_IMAGE).to.equal("docker.io/pulumi/pulumi-nodejs:$PULUMI_VERSION");
        for (const name of runnable.filter((n) => shellLines(n).some((l) => l.includes("ci/stack.sh")))) {
            expect(resolved(name).image, name).to.equal("$PULUMI_IMAGE");
            expect(shellLines(name).join("\n"), name).not.to.match(/get\.pulumi\.com|curl .*pulumi/);
        }
    });

    it("installs ts-node and TypeScript 5 as runtime dependencies, since pulumi runs the program with them", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        expect(pkg.dependencies).to.have.property("ts-node");
        expect(pkg.dependencies.typescript).to.match(/^\^?5\./);
        expect(pkg.devDependencies ?? {}).not.to.have.any.keys("ts-node", "typescript");
    });

    it("caches npm by lockfile and Pulumi's plugins, and gives Pulumi Cloud a GitLab OIDC token", () => {
        const pulumiJob = resolved(".pulumi");
        expect(pulumiJob.cache!.map((c) => c.paths[0])).to.deep.equal([".npm/", ".pulumi-home/plugins/"]);
        expect(pulumiJob.cache![0].key).to.deep.equal({ files: ["package-lock.json"] });
        expect(pulumiJob.cache![1].key).to.equal("pulumi-plugins-$PULUMI_VERSION");
        expect(pulumiJob.id_tokens).to.deep.equal({ PULUMI_OIDC_TOKEN: { aud: "urn:pulumi:org:$PULUMI_ORG" } });
    });

    it("names no cache with a key GitLab Runner refuses: no / once the variables are expanded", () => {
        const variables = pipeline.variables as Record<string, string>;
        const expand = (text: string): string => text.replace(/\$(\w+)/g, (_, name: string) => (name in variables ? expand(variables[name]) : `$${name}`));
        const keys = [".pulumi", ".npm-cache", ...runnable].flatMap((name) => (resolved(name).cache ?? []).map((c) => c.key)).filter((k): k is string => typeof k === "string");
        expect(keys.length).to.be.greaterThan(0);
        for (const key of keys) expect(expand(key), key).not.to.match(/\/|%2F/i);
    });

    it("lets every Pulumi job outlast the longest migration Job and rollout the config allows, with half an hour for the builds", () => {
        const { awaitTimeoutBounds, migrationTimeoutBounds } = require("../stacks/sections/rollout") as typeof import("../stacks/sections/rollout");
        const seconds = (text: string) => text.split(/\s+/).reduce((sum, part) => sum + Number(part.slice(0, -1)) * { h: 3600, m: 60, s: 1 }[part.slice(-1) as "h" | "m" | "s"], 0);
        for (const name of runnable.filter((n) => shellLines(n).some((l) => l.includes("ci/stack.sh")))) {
            const timeout = (resolved(name) as Job & { timeout?: string }).timeout;
            expect(timeout, name).to.be.a("string");
            // The Job is awaited 60 s past its own deadline (components/workload/spec.ts, migrationJobAwait).
            expect(seconds(timeout!), name).to.be.at.least(migrationTimeoutBounds.max + 60 + awaitTimeoutBounds.max + 1800);
        }
    });

    it("gives the review environment a stop job that destroys the same stack, and stops it after a week", () => {
        const env = resolved("review:deploy").environment!;
        expect(env).to.deep.include({ name: "review/$CI_MERGE_REQUEST_IID", on_stop: "review:stop", auto_stop_in: "1 week" });
        expect(env.url).to.equal("https://argus-review-$CI_MERGE_REQUEST_IID.paas2.uninett.no");
        expect(resolved("review:stop").environment).to.deep.include({ name: env.name, action: "stop" });
        expect(resolved("review:stop").script).to.deep.equal(["ci/stack.sh review-$CI_MERGE_REQUEST_IID destroy"]);
        expect(resolved("review:deploy").script).to.deep.equal(["ci/stack.sh review-$CI_MERGE_REQUEST_IID up"]);
    });

    it("serialises every job of one stack with a resource_group named after its environment", () => {
        for (const name of runnable.filter((n) => resolved(n).environment)) {
            expect(resolved(name).resource_group, name).to.equal(resolved(name).environment!.name);
        }
    });

    it("keeps artifacts only where someone reads them: renders and previews", () => {
        const withArtifacts = runnable.filter((n) => (jobs.get(n) as { artifacts?: unknown }).artifacts).sort();
        expect(withArtifacts).to.deep.equal(["production:preview", "review:preview", "staging:preview", "test"]);
    });
});

describe("ci/stack.sh", () => {
    const script = fs.readFileSync(path.join(root, "ci", "stack.sh"), "utf8");

    it("creates review stacks only; staging and production must exist", () => {
        const creates = script.split("\n").filter((l) => l.includes("--create") && !l.trim().startsWith("#"));
        expect(creates.map((l) => l.trim())).to.deep.equal(['pulumi stack select --create "$stack"']);
        expect(script).to.match(/if \[ "\$review" = true \]; then\n\s+pulumi stack select --create "\$stack"\n\s+else/);
    });

    it("passes secrets on standard input only, and never traces or prints them", () => {
        expect(script).to.contain(`printf '%s' "$value" | pulumi config set --secret --stack "$stack" "$key"`);
        expect(script).not.to.match(/set -[a-z]*x|bash -x/);
        for (const line of script.split("\n").filter((l) => /ARGUS_\w*(URL|SECRET|KEY|TOKEN)|CI_REGISTRY_PASSWORD|PULUMI_OIDC_TOKEN/.test(l))) {
            expect(line.trim(), line).to.match(/^(set_secret \w+ "\$\{?\w+|elif \[|printf '%s' "\$PULUMI_OIDC_TOKEN" >)/);
        }
    });

    it("runs every preview and up with the policy pack, which is the render's checks", () => {
        const runs = script.split("\n").filter((l) => /pulumi (preview|up)\b/.test(l));
        expect(runs).to.have.length(2);
        runs.forEach((l) => expect(l).to.contain("--policy-pack policy"));
        expect(fs.readFileSync(path.join(root, "policy", "rules.ts"), "utf8")).to.match(/^import \{ checkObjects \} from "..\/rules";$/m);
    });

    it("gives a review stack its own config file from the template, and destroys only review stacks", () => {
        expect(script).to.contain("node ci/template-config.js Pulumi.review.yaml");
        expect(script).not.to.contain("--config-file");
        expect(script).to.contain("pulumi destroy --yes --non-interactive --remove --stack");
        expect(script).to.match(/destroy\)\n\s+\[ "\$review" = true \] \|\| fail/);
    });

    it("passes shellcheck", function () {
        if (spawnSync("shellcheck", ["--version"]).status !== 0) {
            console.log("      (skipped: shellcheck is not installed; scripts/install-system-packages.sh installs it)");
            this.skip();
        }
        const check = spawnSync("shellcheck", ["ci/stack.sh", "scripts/install-system-packages.sh", ".ci/run"], { cwd: root, encoding: "utf8" });
        expect(check.status, check.stdout).to.equal(0);
    });
});

describe("ci/stack.sh run from a fresh checkout, against a stand-in pulumi that checks config as the CLI does", () => {
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

    it("destroys a review stack and removes it, with only the stop job's variables and no stack file", () => {
        const ci = checkout(["review-7"]);
        try {
            const result = ci.run("review-7", "destroy");
            expect(result.stderr).not.to.contain("missing configuration");
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[result.calls.length - 1]).to.equal("destroy --yes --non-interactive --remove --stack review-7");
            expect(result.calls).to.include("config set --stack review-7 domain paas2.uninett.no");
            expect(fs.existsSync(path.join(ci.backend, "review-7"))).to.equal(false);
        } finally {
            ci.cleanup();
        }
    });

    it("says there is nothing to destroy for a stack that is gone, and destroys no staging or production", () => {
        const ci = checkout(["staging"]);
        try {
            const gone = ci.run("review-8", "destroy");
            expect([gone.status, gone.stdout.trim()]).to.deep.equal([0, "Stack review-8 does not exist (already removed); nothing to destroy."]);
            const staging = ci.run("staging", "destroy");
            expect(staging.status).to.equal(1);
            expect(staging.stderr).to.contain("only review stacks are destroyed by the pipeline");
            expect(staging.calls.filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
        } finally {
            ci.cleanup();
        }
    });

    it("previews a new review stack with the template, CI's values and secrets on standard input, and the policy pack", () => {
        const ci = checkout();
        try {
            const result = ci.run("review-9", "preview", ciVariables);
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls[1]).to.equal("stack select --create review-9");
            expect(result.calls).to.include.members(["config set --stack review-9 imageRepository registry.example.org/sikt/argus", "config set --secret --stack review-9 registryPassword"]);
            // A review app runs its own PostgreSQL: no database URL, and none needed from CI.
            expect(result.calls.filter((c) => c.includes("databaseUrl"))).to.deep.equal([]);
            expect(result.calls[result.calls.length - 1]).to.equal("preview --diff --non-interactive --policy-pack policy --stack review-9");
            expect(result.calls.join("\n") + result.stdout + result.stderr).not.to.contain("Sentinel");
        } finally {
            ci.cleanup();
        }
    });

    it("sets the hosted database's URL from CI for staging, and requires it there", () => {
        const ci = checkout(["staging"]);
        try {
            const result = ci.run("staging", "preview", ciVariables);
            expect(result.status, result.stderr).to.equal(0);
            expect(result.calls).to.include("config set --secret --stack staging databaseUrl");
            const { ARGUS_DATABASE_URL: _, ...withoutUrl } = ciVariables;
            const missing = ci.run("staging", "preview", withoutUrl);
            expect(missing.status).to.equal(1);
            expect(missing.stderr).to.contain("ARGUS_DATABASE_URL is not set for this environment");
        } finally {
            ci.cleanup();
        }
    });

    it("asks for the hosted database's URL for a review app that chose the hosted database", () => {
        const ci = checkout();
        try {
            fs.writeFileSync(path.join(ci.dir, "Pulumi.review-4.yaml"), "config:\n  argus:database: external\n");
            const { ARGUS_DATABASE_URL: _, ...withoutUrl } = ciVariables;
            const result = ci.run("review-4", "preview", withoutUrl);
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("ARGUS_DATABASE_URL is not set for this environment");
        } finally {
            ci.cleanup();
        }
    });

    it("stops before a staging preview when the stack does not exist, rather than create it", () => {
        const ci = checkout();
        try {
            const result = ci.run("staging", "preview", ciVariables);
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("stack staging does not exist in this backend");
            expect(result.calls).to.deep.equal(["login file://" + ci.backend, "stack select staging"]);
        } finally {
            ci.cleanup();
        }
    });
});

describe("ci/template-config.js", () => {
    const run = (text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-template-"));
        const file = path.join(dir, "Pulumi.review.yaml");
        fs.writeFileSync(file, text);
        const result = spawnSync("node", [path.join(root, "ci", "template-config.js"), file], { encoding: "utf8" });
        fs.rmSync(dir, { recursive: true, force: true });
        return result;
    };

    it("lists the template's plain keys without the namespace", () => {
        const result = run("config:\n  argus:domain: paas2.uninett.no\n  argus:createNamespace: true\n");
        expect(result.status).to.equal(0);
        expect(result.stdout).to.equal("domain\tpaas2.uninett.no\ncreateNamespace\ttrue\n");
    });

    it("refuses a secure value, without printing it", () => {
        const result = run("config:\n  argus:databaseUrl:\n    secure: v1:Sentinel-cipher\n");
        expect(result.status).to.equal(1);
        expect(result.stderr).to.contain("argus:databaseUrl is not a plain value").and.not.to.contain("Sentinel");
    });

    it("turns the committed template into plain keys the schema knows", () => {
        const result = spawnSync("node", [path.join(root, "ci", "template-config.js"), path.join(root, "Pulumi.review.yaml")], { encoding: "utf8" });
        expect(result.status).to.equal(0);
        expect(result.stdout.trim().split("\n").map((l) => l.split("\t")[0])).to.include.members(["domain", "createNamespace", "imageRepository"]);
    });
});
