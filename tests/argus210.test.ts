import { expect } from "chai";
import { argusRelease, newestServerVersion } from "../releases/argus";
import { RenderMocks } from "../render/mocks";
import { ConfigError } from "../stacks";
import { upgradeProblem } from "../stacks/upgrade";
import { findObject, parseMinimal, renderWith } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

const v210 = { argusVersion: "2.10.2" };

describe("Argus 2.10 in the release contract (argus-server 2.10.0 and 2.10.2 sdists)", () => {
    it("is the newest 2.x release, probed on /.still-alive/, reading TIME_ZONE itself", () => {
        expect(newestServerVersion).to.equal("2.10.2");
        for (const version of ["2.10.0", "2.10.1", "2.10.2"]) {
            const release = argusRelease(version);
            expect(release.probePath, version).to.equal("/.still-alive/");
            expect(release.readEnv, version).to.include("TIME_ZONE");
            expect(release.heartbeats, version).to.deep.equal(["django-admin", "sync_heartbeat_incidents"]);
            expect(release.extras, version).to.deep.equal(["apprise", "jsonlogging"]);
        }
        expect(argusRelease("2.9.1")).to.deep.include({ probePath: "/api/", extras: [] });
        expect([argusRelease("2.9.1").heartbeats, argusRelease("2.9.1").steppingStone]).to.deep.equal([undefined, undefined]);
        expect(argusRelease("2.9.1").readEnv).not.to.include("TIME_ZONE");
    });

    it("migrates, then prunes the rows of the migration files 2.10 removed, then makes the first admin", async () => {
        const r = await renderWith("staging", { ...v210, adminUsername: "admin" }, { adminPassword: "pw" });
        const pod = podSpecOf(findObject(r, "Job", "migrate"));
        expect(pod.initContainers.map((c: { name: string; args: string[] }) => [c.name, c.args.join(" ")])).to.deep.equal([
            ["migrate", "django-admin migrate --noinput"],
            ["migrate-2", "django-admin migrate --prune argus_notificationprofile --noinput"],
            ["migrate-3", "django-admin migrate --prune argus_incident --noinput"],
            ["migrate-4", "django-admin migrate --prune argus_auth --noinput"],
        ]);
        expect(pod.containers.map((c: { name: string }) => c.name)).to.deep.equal(["initial-setup"]);
        const withoutAdmin = podSpecOf(findObject(await renderWith("staging", v210), "Job", "migrate"));
        expect([withoutAdmin.initContainers.length, withoutAdmin.containers[0].name]).to.deep.equal([3, "migrate-4"]);
        expect(podSpecOf(findObject(await renderWith("staging", { argusVersion: "2.9.1" }), "Job", "migrate")).initContainers).to.equal(undefined);
    });

    it("syncs heartbeats on the stack's schedule, and probes the web server on its health path", async () => {
        const r = await renderWith("staging", { ...v210, heartbeatSchedule: "* * * * *" });
        const cron = findObject(r, "CronJob", "argus-staging-heartbeats");
        expect((cron.spec as any).schedule).to.equal("* * * * *");
        expect((cron.spec as any).jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "sync_heartbeat_incidents"]);
        const web = podSpecOf(findObject(r, "Deployment", "argus-staging-web")).containers[0];
        expect(web.readinessProbe.httpGet.path).to.equal("/.still-alive/");
        expect((await renderWith("staging", { argusVersion: "2.9.1" })).objects.filter((o) => o.metadata.name.endsWith("heartbeats"))).to.deep.equal([]);
    });

    it("installs the extras config chooses, and JSON logging as one switch", async () => {
        const r = await renderWith("staging", { ...v210, argusExtras: "apprise", jsonLogging: "true" });
        const build = r.resources.find((x) => x.type === "docker:index/image:Image" && x.name.includes("runtime"))!;
        expect((build.inputs as any).build.args.ARGUS_REQUIREMENT).to.equal("argus-server[apprise,jsonlogging]==2.10.2");
        expect(findObject(r, "ConfigMap", "runtime-settings").data).to.include({ DJANGO_LOGGING_MODULE: "argus_site.json_logging.LOGGING", TIME_ZONE: "Europe/Oslo" });
        expect(findObject(await renderWith("staging", v210), "ConfigMap", "runtime-settings").data).not.to.have.property("DJANGO_LOGGING_MODULE");
    });

    it("refuses extras a release lacks, JSON logging before 2.10, and a heartbeat schedule where nothing syncs heartbeats", () => {
        const problems = (plain: Record<string, string>) => {
            try {
                parseMinimal("staging", plain);
                return [];
            } catch (err) {
                return (err as ConfigError).problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
            }
        };
        expect(problems({ ...v210, argusExtras: "apprise, slack" })).to.deep.equal([
            'argusExtras: "slack" is not an extra of argus-server 2.10.2; it has apprise, jsonlogging. Fix: pulumi config set --stack staging argusExtras apprise',
        ]);
        expect(problems({ argusVersion: "2.9.1", jsonLogging: "true", heartbeatSchedule: "* * * * *" })).to.deep.equal([
            "jsonLogging: is on, but argus-server 2.9.1 has no jsonlogging extra (2.10.0 and later have). Fix: pulumi config rm --stack staging jsonLogging",
            "heartbeatSchedule: applies to Argus 2.10.0 and later, which sync heartbeats; this stack deploys 2.9.1. Fix: pulumi config rm --stack staging heartbeatSchedule",
        ]);
        expect(problems({ argusVersion: "2.9.1", argusExtras: "apprise" })[0]).to.equal('argusExtras: "apprise" is not an extra of argus-server 2.9.1; it has none this program installs. Fix: pulumi config rm --stack staging argusExtras');
        expect(problems({ heartbeatSchedule: "* * * * *" })[0]).to.match(/^heartbeatSchedule: applies to the Argus 2.x layout only/);
    });
});

describe("the stepping stone between a 1.x database and 2.10", () => {
    it("refuses a stack that runs 1.x now, naming the release to deploy first", () => {
        const problem = upgradeProblem("production", "1.37.0", "2.10.2")!;
        expect(problem.key).to.equal("argusVersion");
        expect(problem.problem).to.equal('"2.10.2" cannot follow 1.37.0, which this stack runs now: 2.10 removed the migrations its squashed ones replace, so a database no 2.x release has migrated cannot be migrated by it (NOTES.md at 2.10.0). Nothing was changed.');
        expect(problem.fix).to.equal('pulumi config set --stack production argusVersion 2.9.1, pulumi up, then set 2.10.2 again (docs/operations.md, "Upgrade to Argus 2.x")');
    });

    it("lets a stack on any 2.x release, and a new stack, go to 2.10; and 1.x to 2.9.1", () => {
        expect(upgradeProblem("production", "2.8.0", "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", "2.10.0", "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", undefined, "2.10.2")).to.equal(undefined);
        expect(upgradeProblem("production", "1.37.0", "2.9.1")).to.equal(undefined);
    });

    it("is refused by the program from the stack's own outputs, before it makes anything", async () => {
        const mocks = new RenderMocks({ staging: { argusVersion: "1.37.0" } });
        const refusal = await renderWith("staging", v210, {}, mocks).catch((err: unknown) => err);
        expect(refusal).to.be.instanceOf(ConfigError);
        expect((refusal as Error).message).to.contain('argus:argusVersion: "2.10.2" cannot follow 1.37.0');
        // The stack itself, and the read of its own last outputs: no object of the cluster.
        expect(mocks.resources.map((x) => x.type)).to.deep.equal(["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
        const fine = await renderWith("staging", v210, {}, new RenderMocks({ staging: { argusVersion: "2.9.1" } }));
        expect(fine.outputs.argusVersion).to.equal("2.10.2");
    });
});
