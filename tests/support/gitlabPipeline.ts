import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { projectRoot } from "../../util/projectRoot";

/** .gitlab-ci.yml read as GitLab reads it: jobs with what they extend merged in, and the rules that pick them. */

/** The project folder. */

export interface Rule {
    if?: string;
    when?: string;
    allow_failure?: boolean;
}

export interface Job {
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

/** .gitlab-ci.yml as committed. */
export const pipeline = yaml.load(fs.readFileSync(path.join(projectRoot, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown> & {
    stages: string[];
    workflow: { rules: Rule[] };
    variables: Record<string, string>;
};
const reserved = new Set(["workflow", "stages", "variables", "default", "include"]);
/** Every job by name, hidden (.name) ones included. */
export const jobs = new Map(Object.entries(pipeline).filter(([name]) => !reserved.has(name)) as [string, Job][]);
/** The jobs GitLab can run: not hidden. */
export const runnable = [...jobs.keys()].filter((name) => !name.startsWith("."));

/** A job with what it extends merged in, as GitLab sees it. */
export function resolved(name: string): Job {
    const job = jobs.get(name)!;
    const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
    return Object.assign({}, ...parents.map(resolved), job);
}

/** Every shell line a job runs, with the script files it calls. */
export function shellLines(name: string): string[] {
    const job = resolved(name);
    const lines = [...(job.before_script ?? []), ...(job.script ?? [])];
    const scripts = lines.flatMap((l) => [...l.matchAll(/(ci\/[\w.-]+\.sh)/g)].map((m) => m[1]));
    return [...lines, ...scripts.flatMap((s) => fs.readFileSync(path.join(projectRoot, s), "utf8").split("\n"))];
}

export type Variables = Record<string, string>;

/**
 * Evaluates the subset of GitLab's `rules:if` expressions this pipeline uses: `&&`, `||`, `==`, `!=`,
 * `=~ /regex/`, and a bare `$VARIABLE` (true when set and not empty).
 */
export function evaluate(expression: string, vars: Variables): boolean {
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
export function firstMatch(rules: Rule[], vars: Variables): Rule | undefined {
    return rules.find((rule) => rule.if === undefined || evaluate(rule.if, vars));
}

/** The jobs a pipeline with these predefined variables runs, each with its `when`. */
export function jobsRun(vars: Variables): Record<string, string> {
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
/** The predefined variables of the pipelines the fast tests still evaluate (the rest: realworld/pipeline). */
export const pipelines = {
    mergeRequest: { ...base, CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: "42", CI_COMMIT_REF_NAME: "feature", CI_COMMIT_REF_PROTECTED: "false" },
    branchWithMergeRequest: { ...base, CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "feature", CI_OPEN_MERGE_REQUESTS: "sikt/argus-deploy!42", CI_COMMIT_REF_PROTECTED: "false" },
};

/** The jobs that run Pulumi, through ci/stack.sh. */
export function pulumiJobs(): string[] {
    return runnable.filter((name) => shellLines(name).some((l) => l.includes("ci/stack.sh")));
}
