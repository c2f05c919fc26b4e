import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { jobTable, manualJobs, parseCommandLine, UsageError } from "../../scripts/pipeline";
import { commandLineKinds, ListedJob, listedJobs } from "../../scripts/pipelineKinds";
import { projectRoot } from "../../util/projectRoot";

const csv = ["name;stage;when;allowFailure;environment;needs", "test;test;on_success;false;;", "review:preview;review;on_success;false;review/7;[test]", "review:stop;review;manual;true;review/7;[review:deploy]"];
const created = listedJobs(csv.join("\n"))!;

/**
 * `npm run pipeline` run as a process, with a stand-in gitlab-ci-local in the tools cache folder
 * tools/gitlab-ci-local.sh would use (ARGUS_TOOLS_CACHE): it prints the job list for --list-csv and its
 * arguments otherwise, so the fast suite never runs the interpreter itself.
 */
function runCommand(args: string[]) {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "argus-pipeline-command-"));
    const script = fs.readFileSync(path.join(projectRoot, "tools", "gitlab-ci-local.sh"), "utf8");
    const version = (name: string) => script.match(new RegExp(`^${name}=(\\S+)`, "m"))![1];
    const dir = path.join(cache, `gitlab-ci-local-${version("GITLAB_CI_LOCAL_VERSION")}-node-${version("NODE_VERSION")}`);
    fs.mkdirSync(dir);
    const standIn = `#!/usr/bin/env bash\nfor a in "$@"; do [ "$a" = --list-csv ] && { printf '%s\\n' ${csv.map((l) => `'${l}'`).join(" ")}; exit 0; }; done\nprintf '%s\\n' "$@"\n`;
    fs.writeFileSync(path.join(dir, "gitlab-ci-local"), standIn, { mode: 0o755 });
    try {
        return spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/pipeline.ts", ...args], { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ARGUS_TOOLS_CACHE: cache } });
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}

describe("npm run pipeline: its command line", () => {
    it("reads the kind, the jobs and --shell", () => {
        expect(parseCommandLine(["merge-request", "review:preview", "--shell", "review:deploy"])).to.deep.equal({ kind: commandLineKinds["merge-request"], jobs: ["review:preview", "review:deploy"], shell: true });
        expect(parseCommandLine(["schedule"])).to.deep.equal({ kind: commandLineKinds.schedule, jobs: [], shell: false });
    });

    it("refuses an unknown kind, or none, naming the kinds there are", () => {
        const kinds = "the kinds are merge-request, default-branch, release-tag, schedule";
        expect(() => parseCommandLine(["mergerequest"])).to.throw(UsageError, `no kind of pipeline "mergerequest": ${kinds}`);
        expect(() => parseCommandLine([])).to.throw(UsageError, `no kind of pipeline given: ${kinds}`);
    });

    it("refuses an option it does not know", () => {
        expect(() => parseCommandLine(["release-tag", "--manual"])).to.throw(UsageError, "unknown option --manual");
    });
});

describe("npm run pipeline: the jobs named", () => {
    it("must be jobs the pipeline creates; the error names those it does", () => {
        expect(() => manualJobs(created, ["test", "staging:deploy"], commandLineKinds["merge-request"])).to.throw(UsageError, "a merge request creates no job staging:deploy: it creates test, review:preview, review:stop");
    });

    it("are run as manual exactly when the pipeline makes them manual", () => {
        expect(manualJobs(created, ["test", "review:stop"], commandLineKinds["merge-request"])).to.deep.equal(["review:stop"]);
    });

    it("are listed one a line with their when, environment and needs", () => {
        const jobs: ListedJob[] = [...created.values()];
        expect(jobTable(jobs).split("\n")).to.deep.equal([
            "job             when        environment  needs",
            "test            on_success",
            "review:preview  on_success  review/7     test",
            "review:stop     manual      review/7     review:deploy",
        ]);
    });
});

describe("npm run pipeline, run (against a stand-in interpreter)", () => {
    it("exits 2 for an unknown kind, naming the kinds", () => {
        const result = runCommand(["nightly"]);
        expect(result.status).to.equal(2);
        expect(result.stderr).to.include('no kind of pipeline "nightly": the kinds are merge-request, default-branch, release-tag, schedule');
    });

    it("exits 2 for a job the pipeline does not create, naming the jobs it does", () => {
        const result = runCommand(["merge-request", "production:deploy"]);
        expect(result.status).to.equal(2);
        expect(result.stderr).to.include("a merge request creates no job production:deploy: it creates test, review:preview, review:stop");
    });

    it("without jobs, prints the jobs the kind creates", () => {
        const result = runCommand(["merge-request"]);
        expect(result.status).to.equal(0);
        expect(result.stdout).to.include("a merge request creates:\njob ");
        expect(result.stdout).to.include("review:stop     manual      review/7     review:deploy");
    });

    it("runs the jobs in their images in Docker by default, dind privileged with its client certificates shared", () => {
        const args = runCommand(["merge-request", "review:preview"]).stdout.trim().split("\n");
        expect(args).to.include.members(["--privileged", "--volume", "%gcl-cert%:/certs/client", "CI_MERGE_REQUEST_IID=7", "review:preview"]);
        expect(args).not.to.include("--force-shell-executor");
        expect(args.some((a) => a.startsWith("CI_PROJECT_DIR="))).to.equal(false);
    });

    it("with --shell, runs them in this shell, each in a fresh copy, with CI_PROJECT_DIR the checkout; a manual job as manual", () => {
        const args = runCommand(["merge-request", "review:stop", "--shell"]).stdout.trim().split("\n");
        expect(args).to.include.members(["--force-shell-executor", "--shell-isolation", `CI_PROJECT_DIR=${projectRoot}`]);
        expect(args.slice(-3)).to.deep.equal(["--manual", "review:stop", "review:stop"]);
        expect(args).not.to.include("--privileged");
    });
});

describe("docs/operations.md, \"Run a pipeline on your machine\"", () => {
    it("gives one command for each kind an operator runs", () => {
        const guide = fs.readFileSync(path.join(projectRoot, "docs", "operations.md"), "utf8");
        const section = guide.slice(guide.indexOf("## Run a pipeline on your machine"), guide.indexOf("## Set up a new environment from nothing"));
        const documented = new Set([...section.matchAll(/^npm run pipeline -- (\S+)/gm)].map((m) => m[1]));
        expect([...documented].sort()).to.deep.equal(Object.keys(commandLineKinds).sort());
    });
});
