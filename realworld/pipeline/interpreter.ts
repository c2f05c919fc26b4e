// The pipeline suite's harness: gitlab-ci-local 4.75.1 (tools/gitlab-ci-local.sh) run against a copy of the
// checkout, with the variables GitLab would set for each kind of pipeline.
// Facts read in gitlab-ci-local 4.75.1's own source (the sources embedded in
// node_modules/gitlab-ci-local/dist/index.js.map of the installed package):
// - src/predefined-variables.ts sets CI_COMMIT_REF_PROTECTED: "false" and CI_COMMIT_BRANCH to the checked-out
//   branch for every pipeline, then deletes each name given with --unset-variable;
// - src/parser.ts merges `{...predefinedVariables, ...envMatchedVariables, ...argv.variable}`, so --variable
//   overrides a predefined one (with a warning on stdout, silenced by --ignore-predefined-vars);
// - src/git-data.ts and the shell executor's rsync of tracked files (`git ls-files`) need a git repository:
//   the copy is committed into one of its own;
// - src/commander.ts runCsv prints `name;stage;when;allowFailure;environment;needs` for every job whose rules
//   did not give `never` (`--list-csv`), the environment name expanded (src/job.ts).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { copyWorkingTree } from "../engine/harness";
import { repoRoot } from "../shared/paths";
import { Result, runCommand } from "../shared/process";
import { makeDir } from "../shared/scratch";

/** The interpreter's executable, installed (once, into the tools cache) by tools/gitlab-ci-local.sh. */
export function interpreter(): string {
    return execFileSync(path.join(repoRoot, "tools", "gitlab-ci-local.sh"), { encoding: "utf8" }).trim();
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
} satisfies Record<string, PipelineKind>;

/** One job the interpreter would create, as --list-csv prints it. */
export interface ListedJob {
    readonly name: string;
    readonly when: string;
    readonly allowFailure: boolean;
    readonly environment: string;
    /** The jobs it waits for; empty when it waits for its stage (no `needs`). */
    readonly needs: string[];
}

/** A copy of the working tree in the run's scratch folder, committed to a git repository of its own. */
export class Checkout {
    readonly dir: string;

    constructor(private readonly executable: string) {
        this.dir = makeDir("pipeline-checkout");
        copyWorkingTree(this.dir);
        // The test job runs `npm ci`, which empties node_modules before installing: through the link the copy
        // gets, that would be the checkout's own. The job installs its own, as on a runner.
        fs.unlinkSync(path.join(this.dir, "node_modules"));
        execFileSync("git", ["init", "--quiet", "--initial-branch=main"], { cwd: this.dir, stdio: "pipe" });
        // Never committed, so never in a job's copy: the interpreter's state, its local files (the CI/CD variables
        // among them) and the jobs' Pulumi home (CI_PROJECT_DIR/.pulumi-home, the runner's plugin cache).
        fs.appendFileSync(path.join(this.dir, ".git", "info", "exclude"), ".gitlab-ci-local*\n.pulumi-home/\n");
        this.commit("the working tree, for gitlab-ci-local");
    }

    /** Commits every change of the copy (a push, for the next pipeline). */
    commit(message: string): void {
        const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=pipeline suite", "-c", "user.email=suite@localhost", ...args], { cwd: this.dir, stdio: "pipe" });
        git("add", "--all");
        git("commit", "--quiet", "--no-gpg-sign", "--message", message);
    }

    /** Replaces `from` by `to` in a file of the copy (which must contain it); for a test's deliberate break. */
    edit(file: string, from: string, to: string): void {
        const full = path.join(this.dir, file);
        const text = fs.readFileSync(full, "utf8");
        if (!text.includes(from)) throw new Error(`${file} of the copy does not contain ${JSON.stringify(from)}`);
        fs.writeFileSync(full, text.replace(from, to));
    }

    /** Runs the interpreter in the copy (its working directory: --cwd takes relative paths only) with the
     * variables of `kind`; CI_PROJECT_DIR is the copy, or caches land under /builds. `env` is the runner's
     * environment, which a shell job inherits (src/job.ts: execa with the job's variables over it). */
    run(kind: PipelineKind, args: readonly string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
        const variables = { ...kind.variables, CI_PROJECT_DIR: this.dir };
        const overridden = [...Object.keys(variables), ...kind.unset];
        return runCommand(
            this.executable,
            [
                ...Object.entries(variables).flatMap(([name, value]) => ["--variable", `${name}=${value}`]),
                ...kind.unset.flatMap((name) => ["--unset-variable", name]),
                "--ignore-predefined-vars",
                overridden.join(","),
                ...args,
            ],
            { cwd: this.dir, timeoutMs, env },
        );
    }

    /** The jobs `kind` would create (rules evaluated by the interpreter), by name. */
    async jobs(kind: PipelineKind): Promise<Map<string, ListedJob>> {
        const result = await this.run(kind, ["--list-csv"]);
        if (result.code !== 0) throw new Error(`gitlab-ci-local --list-csv for ${kind.name} failed:\n${result.output}`);
        const lines = result.stdout.split("\n");
        const header = lines.findIndex((l) => l === "name;stage;when;allowFailure;environment;needs");
        if (header < 0) throw new Error(`gitlab-ci-local --list-csv printed no job list:\n${result.output}`);
        const jobs = new Map<string, ListedJob>();
        for (const line of lines.slice(header + 1).filter(Boolean)) {
            const [name, , when, allowFailure, environment, needs] = line.split(";");
            // src/commander.ts runCsv writes needs as `[a,b]`, nothing when the job has none.
            const needed = needs.replace(/^\[|\]$/g, "").split(",").filter(Boolean);
            jobs.set(name, { name, when, allowFailure: allowFailure === "true", environment, needs: needed });
        }
        return jobs;
    }
}
