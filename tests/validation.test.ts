import { expect } from "chai";
import { ConfigError } from "../stacks";
import { ArgusConfig } from "../stacks/types";
import { layoutOnlyKeys } from "../stacks/sections/layout";
import { hostProblem, isCidr, isDnsSubdomain, isHostname } from "../util/validators";
import { cutQuotedValues } from "../stacks/configReader";
import { ConfigKey, ConfigKeySpec, configKeys, configSchema } from "../stacks/schema";
import { parseMinimal } from "./helpers";

/** The problems the staging stack reports for one key, given extra plain and secret config. */
function problemsOf(key: string, plain: Record<string, string>, secrets: Record<string, string> = {}): string[] {
    try {
        parseMinimal("staging", plain, secrets);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.filter((p) => p.key === key).map((p) => p.problem);
    }
}

/** One `it` per key: every accepted value parses without a problem of that key, every refused one gives exactly its message. */
function specifies(key: string, cases: { accepted: string[]; refused: string[]; problem: (value: string) => string; with?: Record<string, string>; secret?: boolean }): void {
    const config = (value: string): [Record<string, string>, Record<string, string>] =>
        cases.secret ? [cases.with ?? {}, { [key]: value }] : [{ ...cases.with, [key]: value }, {}];
    it(`${key}: takes ${cases.accepted.map((v) => JSON.stringify(v)).join(", ")}; refuses the rest`, () => {
        for (const value of cases.accepted) {
            expect(problemsOf(key, ...config(value)), value).to.deep.equal([]);
        }
        for (const value of cases.refused) {
            // Messages cut a long value (cutQuotedValues), as every value they repeat.
            expect(problemsOf(key, ...config(value)), value).to.deep.equal([cutQuotedValues(cases.problem(value))]);
        }
    });
}

describe("what each free-form setting takes, value by value", () => {
    specifies("imageRepository", {
        accepted: ["registry.example.org/sikt/argus", "registry.example.org:5000/a/b-c", "localhost:5000/argus", "r.io/a.b_c/d__e", "r.io/a--b"],
        refused: ["Registry.example.org/x", "registry.example.org", "registry.example.org/argus:1.0", "registry.example.org/argus/", "https://registry.example.org/x", "registry.example.org/-a", " registry.example.org/a", "r.io:http/a", "r.io/a___b", "r.io/a.-b"],
        problem: (v) => `"${v}" is not a registry path (host/path, lower case, no tag).`,
    });
    specifies("extraPythonPackages", {
        accepted: ["argus-ticket-jira==1.0.0", "pkg[extra1]==2.0rc1", "a.b_c==1!2.0+local", " x==1 , y==2 "],
        refused: ["pkg>=1.0", "pkg==", "==1.0", "pkg==v1", "pkg[x]", "-pkg==1.0", "pkg==1.0;python_version>'3'"],
        problem: (v) => `"${v}" is not a package pinned as name==version.`,
    });
    specifies("adminUsername", {
        accepted: ["admin", "a.b@c+d-e_f", "x".repeat(150)],
        refused: ["ad min", "x".repeat(151), "bad/name", "admin!"],
        problem: (v) => `"${v}" is not a Django user name (letters, digits and @.+-_, at most 150).`,
        with: { adminPassword: "" },
    });
    specifies("databaseUrl", {
        accepted: ["postgres://u:p@h/db", "postgresql://argus:pw@db.example.org:5432/argus"],
        refused: ["mysql://u@h/db", "postgres://", "postgresql://a b", " postgresql://h/db", "xpostgresql://h/db"],
        problem: () => "is not a postgresql:// URL (value not shown).",
        secret: true,
    });
    specifies("emailHost", {
        accepted: ["smtp.example.org", "a-1.b"],
        refused: ["smtp", "-smtp.example.org", "smtp_.example.org", "smtp.example.org.", `${"a".repeat(64)}.org`, `${"a.".repeat(126)}ab`, "SMTP.example.org", "smtp.example.org:587", "smtp.exämple.org"],
        problem: (v) => `"${v}" is not a valid host name: it ${hostProblem(v)}.`,
    });
    for (const key of ["defaultFromEmail", "serverEmail", "adminEmail"]) {
        specifies(key, {
            accepted: ["a@b", "argus+ops@example.org"],
            refused: ["a@b@c", "a b@c", "@b", "a@", "nobody", " a@b"],
            problem: (v) => `"${v}" is not an email address.`,
        });
    }
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
    specifies("admins", {
        accepted: ["Ops <ops@example.org>", "Kari Nord <k@x.org>, Ops<o@x.org>"],
        refused: ["<ops@example.org>", "Ops ops@example.org", "Ops <a@b@c>", "Ops <ops@example.org> x", "Ops <a b@c>"],
        problem: (v) => `"${v}" is not of the form Name <address>.`,
    });
    specifies("ticketEndpoint", {
        accepted: ["https://tickets.example.org", "http://t/x"],
        refused: ["ftp://t", "https://", "https://a b", "xhttps://a"],
        problem: (v) => `"${v}" is not an http(s) URL.`,
        with: { ticketPlugin: "argus.plugins.Ticket", ticketInformation: "{}" },
    });
    specifies("ticketPlugin", {
        accepted: ["argus_ticket_jira.JiraPlugin"],
        refused: ["Jira", "argus ticket.Plugin"],
        problem: (v) => `"${v}" is not a dotted Python class path.`,
        with: { ticketEndpoint: "https://t", ticketInformation: "{}" },
    });
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
    for (const key of ["databaseCidr", "emailCidr"]) {
        specifies(key, {
            accepted: ["10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32"],
            refused: ["256.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "10.0.0/8", "a10.0.0.0/8", "10.0.0.0/8x", "10.0.0.0/-1"],
            problem: (v) => `"${v}" is not an IPv4 address range like 10.20.0.0/16.`,
            with: { emailHost: "smtp.example.org" },
        });
    }
    specifies("dnsEgress", {
        accepted: ["kube-dns", " kube-dns ", "169.254.20.10/32", "169.254.20.10/32, 10.0.0.10/32"],
        refused: ["kube-dns,10.0.0.1/32", "coredns", "10.0.0.300/32"],
        problem: (v) => `"${v.split(",")[0]}" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.`,
    });
    for (const key of ["namespace", "ingressControllerNamespace"]) {
        specifies(key, {
            accepted: ["a", "a-1", "1a", "a".repeat(63)],
            refused: ["A", "-a", "a-", "a.b", "a".repeat(64), "a_b"],
            problem: (v) => (key === "namespace" ? `"${v}" is not a valid namespace name (lower-case DNS label).` : `"${v}" is not a namespace name.`),
        });
    }
    for (const [key, kind] of [["imagePullSecret", "Secret"], ["existingApiSecret", "Secret"], ["ingressClassName", "IngressClass"]]) {
        specifies(key, {
            accepted: ["a", "a.b-c", "a".repeat(253)],
            refused: ["A", "a_b", "a..b", "-a", "a.", "a".repeat(254), "a b"],
            problem: (v) => `${JSON.stringify(v)} is not a valid ${kind} name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.`,
        });
    }
});

describe("the shared validators", () => {
    it("isCidr: four octets of at most 255 and a prefix of at most 32", () => {
        expect(["0.0.0.0/0", "255.255.255.255/32", "10.1.2.3/08"].map(isCidr)).to.deep.equal([true, true, true]);
        expect(["255.255.255.256/32", "1.2.3.4/33", "1.2.3.4", "1.2.3/8", "1.2.3.4.5/8", "1.2.3.4/", "1111.2.3.4/8"].map(isCidr)).to.deep.equal(new Array(7).fill(false));
    });

    it("isHostname: at least two DNS labels of at most 63, at most 253 in all", () => {
        expect([`${"a".repeat(63)}.b`, `${"a.".repeat(125)}abc`, "x.y"].map(isHostname)).to.deep.equal([true, true, true]);
        expect([`${"a".repeat(64)}.b`, `${"a.".repeat(126)}ab`, "localhost", "a..b", "A.b", ""].map(isHostname)).to.deep.equal(new Array(6).fill(false));
    });

    it("isDnsSubdomain: lower-case labels joined by dots, at most 253", () => {
        expect(["a", "a-b.c", "1.2", "a".repeat(253)].map(isDnsSubdomain)).to.deep.equal([true, true, true, true]);
        expect(["a".repeat(254), "a.", ".a", "a-", "-a", "a..b", "A", ""].map(isDnsSubdomain)).to.deep.equal(new Array(8).fill(false));
    });
});

describe("values the parsed config carries", () => {
    const parsed = (plain: Record<string, string>, secrets: Record<string, string> = {}): ArgusConfig => parseMinimal("staging", plain, secrets);

    it("normalises a cron schedule's spacing and lists' spacing", () => {
        const config = parsed({ argusVersion: "2.9.1", pruneSchedule: "  17  3 * * *  " });
        expect(config.server.prune.schedule).to.equal("17 3 * * *");
        expect(parsed({ extraPythonPackages: " x==1 , ,y==2 " }).images.extraPythonPackages).to.deep.equal(["x==1", "y==2"]);
    });

    it("reads DNS egress as kube-dns or a list of ranges", () => {
        expect(parsed({}).network.dns).to.equal("kube-dns");
        expect(parsed({ dnsEgress: "169.254.20.10/32, 10.0.0.10/32" }).network.dns).to.deep.equal(["169.254.20.10/32", "10.0.0.10/32"]);
    });

    it("sends the database and a configured mail server to their ranges, or anywhere when none is given", () => {
        expect(parsed({}).network).to.deep.include({ database: { cidr: "0.0.0.0/0", port: 5432 }, email: undefined });
        expect(parsed({ databaseCidr: "10.0.0.0/8", databasePort: "6432", emailHost: "smtp.example.org", emailCidr: "10.1.0.0/16" }).network).to.deep.include({
            database: { cidr: "10.0.0.0/8", port: 6432 },
            email: { cidr: "10.1.0.0/16", port: 587 },
        });
    });
});

describe("the examples the schema shows in every fix", () => {
    // Keys whose example only fits beside others: hosts under their domain, ticket keys with a plugin, and a
    // certificate Secret without the minimal config's issuer.
    const context: Partial<Record<ConfigKey, Record<string, string>>> = {
        webuiHost: { domain: "uninett.no" },
        apiHost: { domain: "uninett.no", webuiHost: "argus.uninett.no" },
        ticketEndpoint: { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin" },
        ticketInformation: { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin" },
        tlsSecretName: { certIssuer: "" },
        heartbeatSchedule: { argusVersion: "2.10.2" },
        argusExtras: { argusVersion: "2.10.2" },
        jsonLogging: { argusVersion: "2.10.2" },
        postgresImage: { database: "inCluster" },
        databaseStorageGi: { database: "inCluster" },
    };

    it("are values their key takes, so the printed command works as it stands", () => {
        const failing: string[] = [];
        for (const key of configKeys) {
            const { example, secret } = configSchema[key] as ConfigKeySpec;
            const layout = { ...((layoutOnlyKeys.server.keys as readonly string[]).includes(key) ? { argusVersion: "2.9.1" } : {}), ...context[key] };
            const [plain, secrets] = secret ? [layout, { [key]: example }] : [{ ...layout, [key]: example }, {}];
            const problems = problemsOf(key, plain, secrets);
            if (example === "" || problems.length > 0) failing.push(`${key}=${JSON.stringify(example)}: ${problems.join(" ") || "empty"}`);
        }
        expect(failing).to.deep.equal([]);
    });
});
