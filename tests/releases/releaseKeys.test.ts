import { expect } from "chai";
import { configProblems, parseMinimal } from "../helpers";

/** Config keys that only some Argus releases understand, and what the program says of them elsewhere (checked when config is read, stacks/). */

const problems = (plain: Record<string, string>) => configProblems("staging", plain);

describe("keys of one layout in the other", () => {
    it("refuses the 1.x webui and redis keys for a 2.x release, saying why; nginxImage serves both (the proxy in front of gunicorn)", () => {
        expect(problems({ argusVersion: "2.9.1", webuiReplicas: "2", redisImage: "docker.io/library/redis:7.4.3-alpine", nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine" })).to.deep.equal([
            "webuiReplicas: applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui or redis, and this stack deploys the 2.x layout (argusVersion). Fix: pulumi config rm --stack staging webuiReplicas",
            "redisImage: applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui or redis, and this stack deploys the 2.x layout (argusVersion). Fix: pulumi config rm --stack staging redisImage",
        ]);
    });

    it("accepts a key of the other layout at its default, which is how the CLI hands every default to the program", () => {
        expect(problems({ argusVersion: "2.9.1", webuiReplicas: "1", nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine", realtimeMaxRetries: "5" })).to.deep.equal([]);
        expect(problems({ argusVersion: "1.37.0", workerReplicas: "1", pruneSchedule: "17 3 * * *", pruneMinAgeDays: "14", versionCheck: "false" })).to.deep.equal([]);
    });

    it("refuses the 2.x worker and housekeeping keys for a 1.x release, saying why", () => {
        expect(problems({ argusVersion: "1.37.0", workerReplicas: "2" })).to.deep.equal([
            "workerReplicas: applies to the Argus 2.x layout only: 1.x has no task queue, worker or version check, and this stack deploys the 1.x layout (argusVersion). Fix: pulumi config rm --stack staging workerReplicas",
        ]);
    });

    it("sizes only the layout's own containers", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1", resourceOverrides: "worker.memory=256Mi/1Gi" }).resources.worker.memoryMiB).to.deep.equal({ request: 256, limit: 1024 });
        expect(problems({ argusVersion: "2.9.1", resourceOverrides: "django.cpu=1/2" })[0]).to.contain('"django.cpu=1/2" names no container of this layout; its containers are web, nginx, worker, postgres.');
    });

    it("refuses a schedule that is not five cron fields", () => {
        expect(problems({ argusVersion: "2.9.1", pruneSchedule: "daily" })).to.deep.equal([
            'pruneSchedule: "daily" is not a schedule a CronJob takes: it has 1 field, not 5 (minute, hour, day of month, month, day of week). Give five fields like "17 3 * * *" (UTC). Fix: pulumi config set --stack staging pruneSchedule \'30 2 * * *\'',
        ]);
    });
});

describe("keys of Argus 2.10", () => {
    it("refuses extras a release lacks, JSON logging before 2.10, and a heartbeat schedule where nothing syncs heartbeats", () => {
        expect(problems({ argusVersion: "2.10.2", argusExtras: "apprise, slack" })).to.deep.equal([
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
