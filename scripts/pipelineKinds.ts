// The kinds of pipeline GitLab starts for this project, as variables for gitlab-ci-local 4.75.1
// (tools/gitlab-ci-local.sh), shared by the pipeline suite (realworld/pipeline) and `npm run pipeline`.
// Facts read in gitlab-ci-local 4.75.1's own source (the sources embedded in dist/index.js.map of the
// installed package):
// - src/predefined-variables.ts sets CI_COMMIT_REF_PROTECTED: "false" and CI_COMMIT_BRANCH to the checked-out
//   branch for every pipeline, then deletes each name given with --unset-variable;
// - src/parser.ts merges `{...predefinedVariables, ...envMatchedVariables, ...argv.variable}`, so --variable
//   overrides a predefined one (with a warning on stdout, silenced by --ignore-predefined-vars);
// - src/commander.ts runCsv prints `name;stage;when;allowFailure;environment;needs` for every job whose rules
//   did not give `never` (`--list-csv`), the environment name expanded (src/job.ts).
import { execFileSync } from "child_process";
import * as path from "path";
import { projectRoot } from "../util/projectRoot";

/** The interpreter's executable, installed (once, into the tools cache) by tools/gitlab-ci-local.sh. */
export function interpreter(): string {
    return execFileSync(path.join(projectRoot, "tools", "gitlab-ci-local.sh"), { encoding: "utf8" }).trim();
}

/** What GitLab sets for one kind of pipeline: variables to set, predefined ones to remove. */
export interface PipelineKind {
    readonly name: string;
    readonly variables: Readonly<Record<string, string>>;
    readonly unset: readonly string[];
}

const defaultBranch = { CI_DEFAULT_BRANCH: "main" };
const branch = (protectedRef: boolean, source = "push") => ({
    ...defaultBranch,
    CI_PIPELINE_SOURCE: source,
    CI_COMMIT_BRANCH: "main",
    CI_COMMIT_REF_NAME: "main",
    CI_COMMIT_REF_PROTECTED: String(protectedRef),
});
const tag = (name: string, protectedRef: boolean) => ({
    ...defaultBranch,
    CI_PIPELINE_SOURCE: "push",
    CI_COMMIT_TAG: name,
    CI_COMMIT_REF_NAME: name,
    CI_COMMIT_REF_PROTECTED: String(protectedRef),
});

/** The merge request's IID every merge-request pipeline here has. */
export const mergeRequestIid = "7";

/** The kinds of pipeline docs/operations.md ("The pipeline at a glance") describes, as GitLab would start them. */
export const pipelineKinds = {
    mergeRequest: {
        name: "a merge request",
        // A merge-request pipeline has no CI_COMMIT_BRANCH (GitLab's predefined variables); its ref is not protected.
        variables: { ...defaultBranch, CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: mergeRequestIid, CI_COMMIT_REF_NAME: "feature", CI_COMMIT_REF_PROTECTED: "false" },
        unset: ["CI_COMMIT_BRANCH"],
    },
    protectedDefaultBranch: { name: "a push to the protected default branch", variables: branch(true), unset: [] },
    unprotectedDefaultBranch: { name: "a push to the default branch, unprotected", variables: branch(false), unset: [] },
    // A tag pipeline has no CI_COMMIT_BRANCH either.
    releaseTag: { name: "the protected tag v1.2.3", variables: tag("v1.2.3", true), unset: ["CI_COMMIT_BRANCH"] },
    unprotectedReleaseTag: { name: "the tag v1.2.3, unprotected", variables: tag("v1.2.3", false), unset: ["CI_COMMIT_BRANCH"] },
    otherProtectedTag: { name: "the protected tag release-1 (not vX.Y.Z)", variables: tag("release-1", true), unset: ["CI_COMMIT_BRANCH"] },
    schedule: { name: "a scheduled pipeline of the protected default branch", variables: branch(true, "schedule"), unset: [] },
    unprotectedSchedule: { name: "a scheduled pipeline of the default branch, unprotected", variables: branch(false, "schedule"), unset: [] },
} satisfies Record<string, PipelineKind>;

/** The kinds an operator runs by name (`npm run pipeline -- <name>`): the protected ones, which deploy; the
 * unprotected and other kinds serve the pipeline suite only. */
export const commandLineKinds: Readonly<Record<string, PipelineKind>> = {
    "merge-request": pipelineKinds.mergeRequest,
    "default-branch": pipelineKinds.protectedDefaultBranch,
    "release-tag": pipelineKinds.releaseTag,
    schedule: pipelineKinds.schedule,
};

/**
 * The interpreter's arguments that start a pipeline of `kind`: its variables and `extra` set with --variable,
 * the predefined ones it lacks removed with --unset-variable, and all of them named in --ignore-predefined-vars,
 * so the overrides are deliberate and stdout carries no warning about them.
 */
export function pipelineArguments(kind: PipelineKind, extra: Readonly<Record<string, string>> = {}): string[] {
    const variables = { ...kind.variables, ...extra };
    return [
        ...Object.entries(variables).flatMap(([name, value]) => ["--variable", `${name}=${value}`]),
        ...kind.unset.flatMap((name) => ["--unset-variable", name]),
        "--ignore-predefined-vars",
        [...Object.keys(variables), ...kind.unset].join(","),
    ];
}

/** One job the interpreter would create, as --list-csv prints it. */
export interface ListedJob {
    readonly name: string;
    readonly when: string;
    readonly allowFailure: boolean;
    readonly environment: string;
    /** The jobs it waits for; empty when it waits for its stage (no `needs`). */
    readonly needs: string[];
}

/** The jobs in the output of `--list-csv`, by name, in the interpreter's order; undefined when it printed no list. */
export function listedJobs(stdout: string): Map<string, ListedJob> | undefined {
    const lines = stdout.split("\n");
    const header = lines.findIndex((l) => l === "name;stage;when;allowFailure;environment;needs");
    if (header < 0) return undefined;
    const jobs = new Map<string, ListedJob>();
    for (const line of lines.slice(header + 1).filter(Boolean)) {
        const [name, , when, allowFailure, environment, needs] = line.split(";");
        // src/commander.ts runCsv writes needs as `[a,b]`, nothing when the job has none.
        const needed = needs.replace(/^\[|\]$/g, "").split(",").filter(Boolean);
        jobs.set(name, { name, when, allowFailure: allowFailure === "true", environment, needs: needed });
    }
    return jobs;
}
