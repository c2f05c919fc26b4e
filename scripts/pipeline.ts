// `npm run pipeline -- <kind> [job ...] [--shell]`: a pipeline of this project run on the operator's machine by
// gitlab-ci-local 4.75.1, with the variables GitLab sets for that kind (scripts/pipelineKinds.ts, the pipeline
// suite's own). Without jobs it lists the jobs the kind creates; with jobs it runs them. docs/operations.md,
// "Run a pipeline on your machine", says what it needs and what the interpreter does not do as GitLab does.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../util/projectRoot";
import { commandLineKinds, interpreter, ListedJob, listedJobs, PipelineKind, pipelineArguments } from "./pipelineKinds";

/** A command line the operator must correct; exits 2. */
export class UsageError extends Error {}

const usage = `usage: npm run pipeline -- <${Object.keys(commandLineKinds).join("|")}> [job ...] [--shell]`;

/** What the command line asks for. */
export interface PipelineRequest {
    readonly kind: PipelineKind;
    readonly jobs: readonly string[];
    /** Run in this machine's shell instead of each job's image in Docker. */
    readonly shell: boolean;
}

/** Reads `<kind> [job ...] [--shell]`; an unknown kind or option is refused, naming what exists. */
export function parseCommandLine(args: readonly string[]): PipelineRequest {
    const options = args.filter((a) => a.startsWith("--"));
    const unknown = options.filter((o) => o !== "--shell");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(", ")}\n${usage}`);
    const [kindName, ...jobs] = args.filter((a) => !a.startsWith("--"));
    const kind = kindName === undefined ? undefined : commandLineKinds[kindName];
    if (!kind) throw new UsageError(`${kindName === undefined ? "no kind of pipeline given" : `no kind of pipeline ${JSON.stringify(kindName)}`}: the kinds are ${Object.keys(commandLineKinds).join(", ")}\n${usage}`);
    return { kind, jobs, shell: options.includes("--shell") };
}

/** The manual jobs among `names`, which must all be jobs the pipeline creates (naming one runs it whatever its
 * rules say: gitlab-ci-local 4.75.1 src/commander.ts runJobs). */
export function manualJobs(created: ReadonlyMap<string, ListedJob>, names: readonly string[], kind: PipelineKind): string[] {
    const missing = names.filter((n) => !created.has(n));
    if (missing.length > 0) throw new UsageError(`${kind.name} creates no job ${missing.join(", ")}: it creates ${[...created.keys()].join(", ")}`);
    return names.filter((n) => created.get(n)!.when === "manual");
}

/** The job list as an operator reads it: one job a line, with its `when`, environment and needs. */
export function jobTable(jobs: Iterable<ListedJob>): string {
    const rows = [["job", "when", "environment", "needs"], ...[...jobs].map((j) => [j.name, j.when, j.environment, j.needs.join(", ")])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/**
 * How the jobs run. Docker (the default) runs each job's image with its docker:dind service, which GitLab's
 * runner starts privileged and shares /certs/client with (GitLab doc/ci/docker/using_docker_build.md);
 * gitlab-ci-local's `%gcl-cert%` volume is one such shared volume (src/job.ts 4.75.1). `--shell` runs the jobs
 * in this machine's shell, each in a fresh copy of the tracked files; a job with an image gets
 * CI_PROJECT_DIR=/builds/... (src/job.ts), so it is set to the checkout, where the caches belong.
 */
function executorArguments(shell: boolean): { extra: Record<string, string>; args: string[] } {
    if (shell) return { extra: { CI_PROJECT_DIR: projectRoot }, args: ["--force-shell-executor", "--shell-isolation"] };
    return { extra: {}, args: ["--privileged", "--volume", "%gcl-cert%:/certs/client"] };
}

function main(args: readonly string[]): number {
    const request = parseCommandLine(args);
    const executable = interpreter();
    const listing = spawnSync(executable, [...pipelineArguments(request.kind), "--list-csv"], { cwd: projectRoot, encoding: "utf8" });
    const created = listing.status === 0 ? listedJobs(listing.stdout) : undefined;
    if (!created) {
        process.stderr.write(`gitlab-ci-local --list-csv for ${request.kind.name} failed:\n${listing.stdout}${listing.stderr}`);
        return 1;
    }
    if (request.jobs.length === 0) {
        console.log(`${request.kind.name} creates:\n${jobTable(created.values())}`);
        return 0;
    }
    const manual = manualJobs(created, request.jobs, request.kind);
    if (request.shell && !fs.existsSync(path.join(projectRoot, ".gitlab-ci-local.yml"))) {
        process.stderr.write("note: no .gitlab-ci-local.yml here, so the Pulumi jobs' docker:dind service still starts through Docker (docs/operations.md, \"Run a pipeline on your machine\")\n");
    }
    const executor = executorArguments(request.shell);
    const run = spawnSync(executable, [...pipelineArguments(request.kind, executor.extra), ...executor.args, ...manual.flatMap((m) => ["--manual", m]), ...request.jobs], { cwd: projectRoot, stdio: "inherit" });
    return run.status ?? 1;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`npm run pipeline: ${error.message}\n`);
        process.exitCode = 2;
    }
}
