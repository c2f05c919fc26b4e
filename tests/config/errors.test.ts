import { expect } from "chai";
import { ConfigError, parseStackConfig } from "../../stacks";
import { closestKey, ConfigKey, ConfigKeySpec, configKeys, configSchema } from "../../stacks/schema";
import { layoutOnlyKeys } from "../../stacks/sections/layout";
import { mapSource, minimalConfig, minimalSecrets, parseMinimal } from "../helpers";
import { configError, problems, problemsOf } from "./helpers";

describe("listing every problem at once", () => {
    let error: ConfigError;

    before(() => {
        error = configError(() =>
            parseStackConfig(
                "staging",
                mapSource({ imageRepository: "registry.example.org/sikt/argus", apiReplicas: "0", webuiReplicas: "two", webuiHost: "bad_host!", certIssuer: "le" }, minimalSecrets),
            ),
        );
    });

    it("lists every problem at once, each with the stack, the key and a fix", () => {
        expect(error.stack).to.be.a("string");
        expect(error.problems.map((p) => p.key)).to.deep.equal(["domain", "webuiHost", "apiReplicas", "webuiReplicas"]);
        expect(error.message).to.contain('The configuration of stack "staging" has 4 problems; nothing was created.');
        expect(error.message).to.contain("  - argus:domain: is required and not set. Fix: pulumi config set --stack staging domain paas2.uninett.no");
        expect(error.message).to.contain('  - argus:webuiHost: "bad_host!" is not a valid host name: it has an underscore, which DNS host names may not. Fix: pulumi config set --stack staging webuiHost');
        expect(error.message).to.contain("  - argus:apiReplicas: 0 is outside 1..20. Fix: pulumi config set --stack staging apiReplicas 2");
        expect(error.message).to.contain('  - argus:webuiReplicas: "two" is not a whole number.');
    });

    it("rejects a value of the wrong type for booleans", () => {
        const error = configError(() => parseMinimal("staging", { tls: "yes" }));
        expect(error.message).to.contain('argus:tls: "yes" is not true or false.');
    });
});

describe("keys the program does not know", () => {
    it("names the closest known key for a misspelt one", () => {
        const error = configError(() => parseMinimal("staging", { apiReplica: "2" }));
        expect(error.message).to.contain('argus:apiReplica: is not a setting this program knows. Fix: Did you mean "apiReplicas"? pulumi config rm --stack staging apiReplica');
        expect(closestKey("ingresClassName")).to.equal("ingressClassName");
        expect(closestKey("somethingElseEntirely")).to.equal(undefined);
    });
});

describe("redaction of secrets in messages", () => {
    describe("a one-letter secret", () => {
        let error: ConfigError;

        before(() => {
            error = configError(() => parseStackConfig("staging", mapSource({ ...minimalConfig, webuiHost: "bad_host.paas2.uninett.no" }, { ...minimalSecrets, registryPassword: "a" })));
        });

        it("replaces a secret where it stands as a value, not its letters inside other words", () => {
            expect(error.message).to.contain('argus:webuiHost: "bad_host.paas2.uninett.no" is not a valid host name: it has an underscore');
            expect(error.message).not.to.contain("[secret]");
            expect(error.message).to.contain("pulumi config set --stack staging webuiHost argus-staging.paas2.uninett.no");
        });
    });

    it("still replaces a secret wherever it stands alone or between punctuation", () => {
        expect(problems({}, { emailHost: "smtp_secret.example.org" }).join("\n")).not.to.contain("smtp_secret");
    });

    it("refuses a plain key stored as a secret, without showing its value anywhere", () => {
        const error = configError(() => parseMinimal("staging", {}, { emailHost: "Sentinel.not a host", dataportenKey: "Sentinel-client" }));
        expect(error.problems.map((p) => p.key)).to.include.members(["emailHost", "dataportenKey"]);
        expect(error.problems.find((p) => p.key === "dataportenKey")!.problem).to.match(/^is stored as a secret, but it is not one/);
        expect(error.message).not.to.contain("Sentinel");
        expect(error.message).to.contain('"[secret]" is not a valid host name: it has upper-case letters; host names here are lower case. Fix: pulumi config set --stack staging emailHost smtp.example.org');
        // A fix made from the value itself (lower-cased, here) is never offered for a value stored as a secret.
        const tidied = configError(() => parseMinimal("staging", {}, { emailHost: "SMTP.Sentinel.org" }));
        expect(tidied.message).not.to.match(/sentinel/i);
        expect(configError(() => parseMinimal("staging", { emailHost: "SMTP.Example.org" })).message).to.contain("Fix: pulumi config set --stack staging emailHost smtp.example.org");
    });
});

describe("characters that have no place in a setting", () => {
    it("refuses control characters in plain values, naming the character and never the value", () => {
        expect(problems({ webuiHost: "argus\u0000.paas2.uninett.no" })[0]).to.equal(
            "webuiHost: contains the control character U+0000, which has no place in this setting. Fix: pulumi config set --stack staging webuiHost argus.uninett.no (on one line, without control characters)",
        );
        expect(problems({ namespace: "argus\nstaging" })[0]).to.match(/^namespace: contains the control character U\+000A \(a line break\)/);
        expect(problems({ adminUsername: "admin\u001b[31m" }, { adminPassword: "pw" })[0]).to.match(/^adminUsername: contains the control character U\+001B/);
    });

    it("takes line breaks in JSON settings, where they are only white space", () => {
        expect(problems({ fallbackFilter: '{\n  "acked": false\n}' })).to.deep.equal([]);
    });

    it("refuses a control character in a secret without repeating the secret", () => {
        const [problem] = problems({}, { databaseUrl: "postgresql://argus:Sentinel\u0007@db.example.org:5432/argus" });
        expect(problem).to.match(/^databaseUrl: contains the control character U\+0007/);
        expect(problem).not.to.contain("Sentinel");
    });
});

describe("long values in messages", () => {
    it("cuts a long value in a message and says how long it was", () => {
        const long = `a${"b".repeat(9999)}.paas2.uninett.no`;
        const [problem] = problems({ webuiHost: long });
        expect(problem.length).to.be.below(400);
        expect(problem).to.contain(`"a${"b".repeat(79)}…" (10017 characters) is not a valid host name: it is 10017 characters long; at most 253.`);
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
        webMaxReplicas: { argusVersion: "2.10.2" },
        webTargetCpuPercent: { argusVersion: "2.10.2", webMaxReplicas: "4" },
        oidcEndpoint: { argusVersion: "2.10.2" },
        oidcClientId: { argusVersion: "2.10.2", oidcEndpoint: "https://login.example.org" },
        oidcDisplayName: { argusVersion: "2.10.2", oidcEndpoint: "https://login.example.org" },
        oidcClientSecret: { argusVersion: "2.10.2", oidcEndpoint: "https://login.example.org", oidcClientId: "argus" },
        postgresImage: { database: "inCluster" },
        databaseStorageGi: { database: "inCluster" },
        emailUseSsl: { emailUseTls: "false" },
        backupPostgresMajor: { backupBeforeMigration: "true" },
        backupStorageGi: { backupBeforeMigration: "true" },
        backupStorageClass: { backupBeforeMigration: "true" },
        backupKeep: { backupBeforeMigration: "true" },
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
