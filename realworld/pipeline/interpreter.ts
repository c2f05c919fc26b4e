// The pipeline suite's harness: gitlab-ci-local 4.75.1 (tools/gitlab-ci-local.sh) run against a copy of the
// checkout, with the variables GitLab would set for each kind of pipeline.
// The kinds of pipeline and the interpreter's arguments for them are scripts/pipelineKinds.ts's, shared with
// `npm run pipeline`. Read in gitlab-ci-local 4.75.1's own source (the sources embedded in
// node_modules/gitlab-ci-local/dist/index.js.map of the installed package): src/git-data.ts and the shell
// executor's rsync of tracked files (`git ls-files`) need a git repository: the copy is committed into one of its own.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { copyWorkingTree } from "../engine/harness";
import { Result, runCommand } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { ListedJob, listedJobs, PipelineKind, pipelineArguments } from "../../scripts/pipelineKinds";

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
        return runCommand(this.executable, [...pipelineArguments(kind, { CI_PROJECT_DIR: this.dir }), ...args], { cwd: this.dir, timeoutMs, env });
    }

    /** The jobs `kind` would create (rules evaluated by the interpreter), by name. */
    async jobs(kind: PipelineKind): Promise<Map<string, ListedJob>> {
        const result = await this.run(kind, ["--list-csv"]);
        if (result.code !== 0) throw new Error(`gitlab-ci-local --list-csv for ${kind.name} failed:\n${result.output}`);
        const jobs = listedJobs(result.stdout);
        if (!jobs) throw new Error(`gitlab-ci-local --list-csv printed no job list:\n${result.output}`);
        return jobs;
    }
}
