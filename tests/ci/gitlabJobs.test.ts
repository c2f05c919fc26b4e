import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Job, jobs, pipeline, pulumiJobs, resolved, runnable, shellLines } from "../support/gitlabPipeline";
import { projectRoot as root } from "../../util/projectRoot";

/** How the jobs of .gitlab-ci.yml are put together: stages, images, caches, timeouts, environments. */

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
        for (const name of pulumiJobs()) {
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
        const { awaitTimeoutBounds, migrationTimeoutBounds } = require("../../stacks/sections/rollout") as typeof import("../../stacks/sections/rollout");
        const seconds = (text: string) => text.split(/\s+/).reduce((sum, part) => sum + Number(part.slice(0, -1)) * { h: 3600, m: 60, s: 1 }[part.slice(-1) as "h" | "m" | "s"], 0);
        for (const name of pulumiJobs()) {
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

    it("keeps artifacts only where someone reads them: renders, previews and drift reports", () => {
        const withArtifacts = runnable.filter((n) => (jobs.get(n) as { artifacts?: unknown }).artifacts).sort();
        expect(withArtifacts).to.deep.equal(["production:drift", "production:preview", "review:preview", "staging:drift", "staging:preview", "test"]);
    });
});
