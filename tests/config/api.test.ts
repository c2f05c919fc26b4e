import { expect } from "chai";
import { parseMinimal } from "../helpers";
import { problemTexts, specifies } from "./helpers";

describe("the seed's settings", () => {
    it("reads the seed's settings into typed values", () => {
        const settings = parseMinimal("staging", {
            admins: "Ops team <ops@example.org>, Kari <kari@example.org>",
            fallbackFilter: '{ "acked": false, "maxlevel": 3 }',
            socialAuthImmutableUserFields: "first_name, last_name",
            authTokenExpiresAfterDays: "30",
            timeZone: "UTC",
        }).api.settings;
        expect(settings.admins).to.deep.equal([
            { name: "Ops team", address: "ops@example.org" },
            { name: "Kari", address: "kari@example.org" },
        ]);
        expect(settings).to.deep.include({
            fallbackFilter: '{"acked":false,"maxlevel":3}',
            socialAuthImmutableUserFields: ["first_name", "last_name"],
            authTokenExpiresAfterDays: 30,
            timeZone: "UTC",
            serverEmail: "argus@argus-staging.paas2.uninett.no",
        });
    });

    it("refuses malformed settings, one message each", () => {
        expect(
            problemTexts({
                timeZone: "Europe/Olso",
                fallbackFilter: "[1]",
                admins: "ops@example.org",
                serverEmail: "nobody",
                mediaPlugins: "argus.media.Email, not a path",
                extraPythonPackages: "argus-ticket-rt, argus-ticket-jira==1.0.0",
                realtimeMaxRetries: "0",
                authTokenExpiresAfterDays: "0",
            }),
        ).to.deep.equal([
            'extraPythonPackages: "argus-ticket-rt" is not a package pinned as name==version.',
            'timeZone: "Europe/Olso" is not a time zone name like Europe/Oslo or UTC.',
            'fallbackFilter: "[1]" is not a JSON object like {"acked": false}.',
            'mediaPlugins: "not a path" is not a dotted Python class path.',
            "authTokenExpiresAfterDays: 0 is outside 1..3650.",
            'admins: "ops@example.org" is not of the form Name <address>.',
            'serverEmail: "nobody" is not an email address.',
            // Argus-frontend treats 0 as unset and retries 7 times (src/config.tsx at v1.14.1).
            "realtimeMaxRetries: 0 is outside 1..100.",
        ]);
    });
});

describe("what each api setting takes, value by value", () => {
    specifies("timeZone", {
        accepted: ["UTC", "Europe/Oslo", "America/Argentina/Buenos_Aires", "Etc/GMT+1"],
        refused: ["Europe/Olso", "Europe/Oslo ", "../etc/passwd", "+01:00", ""],
        problem: (v) => `"${v}" is not a time zone name like Europe/Oslo or UTC.`,
    });

    specifies("fallbackFilter", {
        accepted: ["", "{}", '{"acked": false}'],
        refused: ["[]", "null", '"x"', "{", "1"],
        problem: (v) => `"${v}" is not a JSON object like {"acked": false}.`,
    });

    specifies("mediaPlugins", {
        accepted: ["a.b", "argus.notificationprofile.media.email.EmailNotification", "_a.b1, c.d"],
        refused: ["a", "a.", ".a", "1a.b", "a-b.c", "a..b"],
        problem: (v) => `"${v}" is not a dotted Python class path.`,
    });
});
