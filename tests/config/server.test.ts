import { expect } from "chai";
import { parseMinimal } from "../helpers";
import { problems, specifies } from "./helpers";

describe("cron schedules", () => {
    it("normalises a cron schedule's spacing", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1", pruneSchedule: "  17  3 * * *  " }).server.prune.schedule).to.equal("17 3 * * *");
    });
});

describe("what each server setting takes, value by value", () => {
    // What the API server takes: robfig/cron v3.0.1's ParseStandard, and no TZ (stacks/cron.ts).
    const scheduleReasons: Record<string, string> = {
        daily: "has 1 field, not 5 (minute, hour, day of month, month, day of week)",
        "* * * *": "has 4 fields, not 5 (minute, hour, day of month, month, day of week)",
        "* * * * * *": "has 6 fields, not 5 (minute, hour, day of month, month, day of week)",
        "a * * * *": 'minute "a" is not a number (0-59)',
        "1 2 3 4 5x": 'day of week "5x" is not a number or a day of week name like sun (0-6)',
        "99 99 99 99 99": 'minute 99 in "99" is above 59 (0-59)',
        "*/0 * * * *": 'minute "*/0" needs a step above 0 (0-59)',
        "0 3 * * 7": 'day of week 7 in "7" is above 6 (0-6)',
        "0 0 0 * *": 'day of month 0 in "0" is below 1 (1-31)',
        "5-1 * * * *": 'minute "5-1" runs backwards (0-59)',
        "1-2-3 * * * *": 'minute "1-2-3" has more than one - (0-59)',
        "1/2/3 * * * *": 'minute "1/2/3" has more than one / (0-59)',
        "0 3 * smarch *": 'month "smarch" is not a number or a month name like jan (1-12)',
        "CRON_TZ=Europe/Oslo 0 3 * * *": "names a time zone, which a CronJob's schedule may not (its times are UTC here)",
        "@every": "is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>",
        "@every 1 day": "is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>",
        "@Daily": "is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>",
    };
    specifies("pruneSchedule", {
        accepted: ["*/5 * * * *", "0 3 1,15 * 1-5", "  17  3 * * *  ", "@daily", "@midnight", "@every 1h30m", "0 3 * jan-MAR mon-fri", "*/15 * ? * *", "5/15 0-23/2 * * *", "0 0 31 12 6", "+5 * * * *"],
        refused: Object.keys(scheduleReasons),
        problem: (v) => `"${v.trim()}" is not a schedule a CronJob takes: it ${scheduleReasons[v]}. Give five fields like "17 3 * * *" (UTC).`,
        with: { argusVersion: "2.9.1" },
    });
});

describe("the token expiry check (tokenExpiryCheck, tokenExpirySchedule, tokenExpiryDays)", () => {
    it("runs by default, daily at 06:23 UTC, warning 7 days ahead", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1" }).server.tokenExpiry).to.deep.equal({ schedule: "23 6 * * *", days: 7 });
    });

    it("takes the schedule and days chosen, or nothing when switched off", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1", tokenExpirySchedule: "0  7 * * 1-5", tokenExpiryDays: "14" }).server.tokenExpiry).to.deep.equal({ schedule: "0 7 * * 1-5", days: 14 });
        expect(parseMinimal("staging", { argusVersion: "2.9.1", tokenExpiryCheck: "false" }).server.tokenExpiry).to.equal(undefined);
    });

    it("refuses a schedule or days set while the check is off, naming the key to remove", () => {
        expect(problems({ argusVersion: "2.9.1", tokenExpiryCheck: "false", tokenExpiryDays: "14", tokenExpirySchedule: "0 7 * * *" })).to.deep.equal([
            "tokenExpirySchedule: has no effect: tokenExpiryCheck is false, so check_token_expiry never runs. Fix: pulumi config rm --stack staging tokenExpirySchedule",
            "tokenExpiryDays: has no effect: tokenExpiryCheck is false, so check_token_expiry never runs. Fix: pulumi config rm --stack staging tokenExpiryDays",
        ]);
    });

    it("refuses the keys for a 1.x release, which runs no CronJobs", () => {
        expect(problems({ argusVersion: "1.37.0", tokenExpiryDays: "14" })[0]).to.match(/^tokenExpiryDays: applies to the Argus 2.x layout only/);
    });

    specifies("tokenExpiryDays", {
        accepted: ["1", "7", "365"],
        refused: ["0", "366", "a week"],
        problem: (v) => (/^\d+$/.test(v) ? `${v} is outside 1..365.` : `"${v}" is not a whole number.`),
        with: { argusVersion: "2.9.1" },
    });
});
