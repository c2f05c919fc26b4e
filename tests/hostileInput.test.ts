import { expect } from "chai";
import { literalEnv } from "../components/workload/containers";
import { withEnvironmentOverrides } from "../render/stackConfig";
import { ConfigError, parseStackConfig } from "../stacks";
import { hostProblem } from "../util/validators";
import { mapSource, minimalConfig, minimalSecrets, parseMinimal, renderWith } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

/** Every problem of a staging config, as `key: problem Fix: fix`. */
function problems(plain: Record<string, string>, secrets: Record<string, string> = {}): string[] {
    try {
        parseMinimal("staging", plain, secrets);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
    }
}

describe("malformed config from the engine's environment", () => {
    const empty = { values: {}, secretKeys: [] };
    const overrides = (env: Record<string, string>) => () => withEnvironmentOverrides(empty, env);

    it("refuses PULUMI_CONFIG that is not a JSON object, saying what it must be", () => {
        for (const [text, kind] of [["[]", "an array"], ['"argus:domain"', "a string"], ["42", "a number"], ["null", "null"], ["true", "a boolean"]]) {
            expect(overrides({ PULUMI_CONFIG: text }), text).to.throw(`PULUMI_CONFIG is ${kind}; it must be a JSON object of full keys to values, like {"argus:apiReplicas": "2"}.`);
        }
    });

    it("refuses a key without its namespace, naming the key it probably meant", () => {
        expect(overrides({ PULUMI_CONFIG: '{"domain": "example.org"}' })).to.throw('PULUMI_CONFIG: key "domain" has no namespace, so no program would see it; did you mean "argus:domain"?');
        expect(overrides({ PULUMI_CONFIG: '{"apiReplica": "2"}' })).to.throw('did you mean "argus:apiReplicas"?');
        expect(overrides({ PULUMI_CONFIG: '{"a:b:c": "2"}' })).to.throw('key "a:b:c" has no namespace');
    });

    it("refuses PULUMI_CONFIG_SECRET_KEYS that is not a JSON array of key names", () => {
        for (const [text, kind] of [['"argus:databaseUrl"', "a string"], ['{"argus:databaseUrl": true}', "an object"], ["7", "a number"], ['["argus:databaseUrl", 3]', "an array with an item that is not a string"]]) {
            expect(overrides({ PULUMI_CONFIG_SECRET_KEYS: text }), text).to.throw(`PULUMI_CONFIG_SECRET_KEYS is ${kind}; it must be a JSON array of full key names, like ["argus:databaseUrl"].`);
        }
        expect(withEnvironmentOverrides(empty, { PULUMI_CONFIG_SECRET_KEYS: '["argus:databaseUrl"]' }).secretKeys).to.deep.equal(["argus:databaseUrl"]);
    });
});

describe("values the kubelet would expand", () => {
    it("writes $( in a literal env value as $$(, which the kubelet turns back into $(", () => {
        expect(literalEnv("ADMIN_EMAIL", "$(DATABASE_URL)@x.no")).to.deep.equal({ name: "ADMIN_EMAIL", value: "$$(DATABASE_URL)@x.no" });
        expect(literalEnv("A", "$(a)$(b) $x $$")).to.deep.equal({ name: "A", value: "$$(a)$$(b) $x $$" });
    });

    it("never lets a first admin's name or address pull another variable into the migration Job", async () => {
        // A user name cannot hold "$(" (Django's user name characters); an address can.
        const r = await renderWith("staging", { adminUsername: "admin", adminEmail: "$(DATABASE_URL)@x.no" }, { adminPassword: "pw" });
        const job = r.objects.find((o) => o.kind === "Job")!;
        const env = podSpecOf(job).containers[0].env as { name: string; value?: string }[];
        expect(env.filter((e) => e.value !== undefined)).to.deep.equal([
            { name: "ADMIN_USERNAME", value: "admin" },
            { name: "ADMIN_EMAIL", value: "$$(DATABASE_URL)@x.no" },
        ]);
    });
});

describe("settings that would widen what a policy allows", () => {
    it("refuses an empty dnsEgress, which would allow DNS queries to every address", () => {
        for (const value of ["", " ", " , "]) {
            expect(problems({ dnsEgress: value }), JSON.stringify(value)).to.deep.equal([
                "dnsEgress: is empty, which would let the Pods send DNS queries anywhere; name where they go. Fix: pulumi config set --stack staging dnsEgress kube-dns",
            ]);
        }
    });

    it("refuses a certificate issuer or Secret on a stack whose TLS is off, instead of dropping it", () => {
        expect(problems({ tls: "false" })).to.deep.equal([
            'certIssuer: is set ("letsencrypt"), but tls is off: the Ingresses would serve plain HTTP and never use it. Fix: pulumi config rm --stack staging certIssuer (or pulumi config set --stack staging tls true)',
        ]);
        expect(problems({ tls: "false", certIssuer: "", tlsSecretName: "argus-tls" })).to.deep.equal([
            'tlsSecretName: is set ("argus-tls"), but tls is off: the Ingresses would serve plain HTTP and never use it. Fix: pulumi config rm --stack staging tlsSecretName (or pulumi config set --stack staging tls true)',
        ]);
        expect(problems({ tls: "false", certIssuer: "" })).to.deep.equal([]);
    });
});

describe("host names: what is wrong, and a fix that works", () => {
    const cases: Record<string, string> = {
        "Argus.paas2.uninett.no": "has upper-case letters; host names here are lower case",
        "argus.paas2.uninett.no:8443": "has a port; Ingresses serve the standard ports, so give the host alone",
        "argus.paas2.uninett.no/argus": "has a path; give the host alone",
        "https://argus.paas2.uninett.no": "is a URL; give the host alone, without scheme",
        "ar_gus.paas2.uninett.no": "has an underscore, which DNS host names may not",
        "argus.paas2.uninett.no.": "ends with a dot; give it without the trailing dot",
        "argüs.paas2.uninett.no": "has non-ASCII characters; write an internationalised name in its xn-- (punycode) form",
        "*.paas2.uninett.no": "is a wildcard; give one host",
        "argus..paas2.uninett.no": "has an empty label (two dots in a row, or a leading dot)",
        "-argus.paas2.uninett.no": "has a label that starts or ends with a hyphen",
        "argus": "is a single label; give a name under a domain, such as argus.example.org",
        "ar gus.paas2.uninett.no": "has characters a host name may not (only a-z, 0-9, - and .)",
        [`${"a".repeat(64)}.paas2.uninett.no`]: "has a label longer than 63 characters",
    };

    it("says what is wrong with each refused host", () => {
        for (const [host, reason] of Object.entries(cases)) {
            expect(hostProblem(host), host).to.equal(reason);
            expect(problems({ webuiHost: host })[0], host).to.match(new RegExp(`^webuiHost: ".*"( \\(\\d+ characters\\))? is not a valid host name: it ${reason.replace(/[()*.?]/g, "\\$&")}\\. Fix: `));
        }
        expect(hostProblem("argus.paas2.uninett.no")).to.equal(undefined);
    });

    it("prints fixes that the same checks accept, inside the stack's domain", () => {
        const bad = [...Object.keys(cases), "argus.example.org"];
        for (const key of ["webuiHost", "apiHost"]) {
            for (const host of bad) {
                const fix = problems({ [key]: host }).find((p) => p.startsWith(`${key}:`))!.split(" Fix: ")[1];
                const value = fix.split(" ").pop()!;
                expect(fix, `${key}=${host}`).to.equal(`pulumi config set --stack staging ${key} ${value}`);
                expect(value.endsWith(".paas2.uninett.no"), `${key}=${host}: ${value}`).to.equal(true);
                expect(problems({ [key]: value }), `${key}=${host}: ${value}`).to.deep.equal([]);
            }
        }
    });

    it("reports a bad domain once, at its source, not again for the hosts made from it", () => {
        expect(problems({ domain: "Paas2.Uninett.No" })).to.deep.equal([
            'domain: "Paas2.Uninett.No" is not a DNS domain: it has upper-case letters; host names here are lower case. Fix: pulumi config set --stack staging domain paas2.uninett.no',
        ]);
    });

    it("cuts a long value in a message and says how long it was", () => {
        const long = `a${"b".repeat(9999)}.paas2.uninett.no`;
        const [problem] = problems({ webuiHost: long });
        expect(problem.length).to.be.below(400);
        expect(problem).to.contain(`"a${"b".repeat(79)}…" (10017 characters) is not a valid host name: it is 10017 characters long; at most 253.`);
    });
});

describe("redaction of secrets in messages", () => {
    it("replaces a secret where it stands as a value, not its letters inside other words", () => {
        const error = (() => {
            try {
                parseStackConfig("staging", mapSource({ ...minimalConfig, webuiHost: "bad_host.paas2.uninett.no" }, { ...minimalSecrets, registryPassword: "a" }));
            } catch (err) {
                return err as ConfigError;
            }
            throw new Error("expected a ConfigError");
        })();
        expect(error.message).to.contain('argus:webuiHost: "bad_host.paas2.uninett.no" is not a valid host name: it has an underscore');
        expect(error.message).not.to.contain("[secret]");
        expect(error.message).to.contain("pulumi config set --stack staging webuiHost argus-staging.paas2.uninett.no");
    });

    it("still replaces a secret wherever it stands alone or between punctuation", () => {
        expect(problems({}, { emailHost: "smtp_secret.example.org" }).join("\n")).not.to.contain("smtp_secret");
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

    it("keeps a package's extras together, whatever separates the packages", () => {
        for (const list of ["argus-ticket-rt[jira,rt]==1.0,argus-notification-msteams==0.2", "argus-ticket-rt[jira,rt]==1.0 argus-notification-msteams==0.2", " argus-ticket-rt[jira,rt]==1.0 ,\targus-notification-msteams==0.2 "]) {
            expect(parseMinimal("staging", { extraPythonPackages: list.replace("\t", " ") }).images.extraPythonPackages, list).to.deep.equal(["argus-ticket-rt[jira,rt]==1.0", "argus-notification-msteams==0.2"]);
        }
    });
});
