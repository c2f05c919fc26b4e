import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { parseStackName } from "../stacks/stackName";

const root = path.resolve(__dirname, "..");

interface Job {
    stage?: string;
    extends?: string | string[];
    needs?: (string | { job: string })[];
    rules?: { if?: string; when?: string }[];
    environment?: { name: string; url?: string; on_stop?: string; action?: string; auto_stop_in?: string };
    resource_group?: string;
    before_script?: string[];
    script?: string[];
}

const pipeline = yaml.load(fs.readFileSync(path.join(root, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown> & { stages: string[] };
const reserved = new Set(["workflow", "stages", "variables", "default", "include"]);
const jobs = new Map(Object.entries(pipeline).filter(([name]) => !reserved.has(name)) as [string, Job][]);
const runnable = [...jobs.entries()].filter(([name]) => !name.startsWith("."));

/** A job with what it extends merged in, as GitLab sees it. */
function resolved(name: string): Job {
    const job = jobs.get(name)!;
    const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
    return Object.assign({}, ...parents.map(resolved), job);
}

/** Every shell line a job runs, its own script and the scripts it runs. */
function shellLines(name: string): string[] {
    const job = resolved(name);
    const lines = [...(job.before_script ?? []), ...(job.script ?? [])];
    const scripts = lines.flatMap((l) => [...l.matchAll(/(ci\/[\w.-]+\.sh)/g)].map((m) => m[1]));
    return [...lines, ...scripts.flatMap((s) => fs.readFileSync(path.join(root, s), "utf8").split("\n"))];
}

/** CI variables whose values must never reach the log. */
const secretVariables = ["ARGUS_DATABASE_URL", "ARGUS_DJANGO_SECRET_KEY", "ARGUS_DATAPORTEN_SECRET", "CI_REGISTRY_PASSWORD", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];

const deployJobs = runnable.filter(([name]) => shellLines(name).some((l) => /pulumi (up|destroy)\b/.test(l)));

describe(".gitlab-ci.yml", () => {
    it("puts every job in a stage that exists", () => {
        for (const [name] of runnable) {
            expect(pipeline.stages, name).to.include(resolved(name).stage);
        }
    });

    it("extends and needs only jobs that exist", () => {
        for (const [name, job] of jobs) {
            const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
            parents.forEach((p) => expect(jobs.has(p), `${name} extends ${p}`).to.equal(true));
            (job.needs ?? []).forEach((n) => expect(jobs.has(typeof n === "string" ? n : n.job), `${name} needs ${JSON.stringify(n)}`).to.equal(true));
        }
    });

    it("runs previews only in merge requests, and they never build images", () => {
        const previews = runnable.filter(([name]) => shellLines(name).some((l) => /pulumi preview\b/.test(l)));
        expect(previews.map(([n]) => n).sort()).to.deep.equal(["preview:review", "preview:staging"]);
        for (const [name] of previews) {
            const rules = resolved(name).rules ?? [];
            expect(rules.length, name).to.be.greaterThan(0);
            rules.forEach((r) => expect(r.if, name).to.equal('$CI_PIPELINE_SOURCE == "merge_request_event"'));
            expect(shellLines(name).join("\n"), name).not.to.match(/buildOnPreview/);
        }
    });

    it("deploys production only from protected tags or protected branches by hand", () => {
        const rules = resolved("production:deploy").rules ?? [];
        expect(rules.length).to.be.greaterThan(0);
        for (const rule of rules) {
            expect(rule.if).to.contain('$CI_COMMIT_REF_PROTECTED == "true"');
            expect(rule.if!.includes("$CI_COMMIT_TAG") || rule.when === "manual", rule.if).to.equal(true);
        }
    });

    it("gives each environment with on_stop a stop job that destroys the same stack", () => {
        const withStop = runnable.filter(([name]) => resolved(name).environment?.on_stop);
        expect(withStop).to.have.length(1);
        for (const [name] of withStop) {
            const env = resolved(name).environment!;
            const stop = resolved(env.on_stop!);
            expect(stop.environment).to.deep.include({ name: env.name, action: "stop" });
            const stack = /--stack (\S+)/.exec(shellLines(name).find((l) => /pulumi up\b/.test(l))!)![1];
            expect(shellLines(env.on_stop!).some((l) => /pulumi destroy\b.*--remove/.test(l) && l.includes(`--stack ${stack}`)), env.on_stop).to.equal(true);
            expect(env.auto_stop_in).to.be.a("string");
        }
    });

    it("serialises updates of one stack with a resource_group per environment", () => {
        expect(deployJobs.length).to.equal(4);
        for (const [name] of deployJobs) {
            const job = resolved(name);
            expect(job.resource_group, name).to.equal(job.environment?.name);
        }
    });

    it("never prints a secret variable, nor traces commands", () => {
        for (const [name] of runnable) {
            for (const line of shellLines(name)) {
                expect(line, `${name}: ${line}`).not.to.match(/\bset -[a-z]*x|bash -x/);
                for (const variable of secretVariables) {
                    if (!line.includes(variable)) continue;
                    expect(line, `${name}: ${line}`).not.to.match(/\b(echo|cat|env|printenv)\b/);
                    // The only place a secret value is expanded: piped into pulumi config set --secret, or a default check.
                    expect(/^set_secret \w+ "\$\{?\w+/.test(line.trim()), `${name}: ${line}`).to.equal(true);
                }
            }
        }
        const helper = fs.readFileSync(path.join(root, "ci/configure-stack.sh"), "utf8");
        expect(helper).to.contain(`printf '%s' "$value" | pulumi config set --secret`);
    });

    it("deploys only stacks that have their config file", () => {
        for (const [name] of deployJobs) {
            for (const line of shellLines(name).filter((l) => /pulumi (up|destroy)\b/.test(l))) {
                const stack = /--stack (\S+)/.exec(line)![1].replace("$CI_MERGE_REQUEST_IID", "1");
                const identity = parseStackName(stack);
                expect(identity, stack).to.be.an("object");
                const configFile = (identity as { configFile: string }).configFile;
                expect(fs.existsSync(path.join(root, configFile)), configFile).to.equal(true);
                if (configFile === "Pulumi.review.yaml") {
                    expect(line, line).to.contain("--config-file Pulumi.review.yaml");
                }
            }
        }
    });

    it("points each review environment at the webui host its stack derives", () => {
        const env = resolved("review:deploy").environment!;
        expect(env.url).to.equal("https://argus-review-$CI_MERGE_REQUEST_IID.paas2.uninett.no");
    });
});
