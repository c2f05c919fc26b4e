import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigReader } from "../../stacks/configReader";
import { closestKey, ConfigKey, configSchema } from "../../stacks/schema";
import { mapSource } from "../helpers";

/** A reader of stack "staging" over the given values; `secrets` are stored as secrets. */
const reader = (plain: Record<string, string> = {}, secrets: Record<string, string> = {}) => new ConfigReader(mapSource(plain, secrets), "staging", configSchema);
const problems = (read: ConfigReader<ConfigKey>) => read.problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);

describe("reading whole numbers", () => {
    const bounds = { min: 1, max: 20 };

    it("takes the bounds themselves and the schema default when unset", () => {
        expect([reader({ apiReplicas: "1" }), reader({ apiReplicas: "20" }), reader({ apiReplicas: " 7 " })].map((r) => r.integer("apiReplicas", bounds))).to.deep.equal([1, 20, 7]);
        const unset = reader();
        expect(unset.integer("pruneMinAgeDays", { min: 1, max: 3650 })).to.equal(14);
        expect(unset.problems).to.deep.equal([]);
    });

    it("refuses values outside the bounds and anything but digits, answering with the lower bound", () => {
        for (const [value, problem] of [
            ["0", "0 is outside 1..20."],
            ["21", "21 is outside 1..20."],
            ["-3", "-3 is outside 1..20."],
            ["2.5", '"2.5" is not a whole number.'],
            ["two", '"two" is not a whole number.'],
            ["2x", '"2x" is not a whole number.'],
            ["x2", '"x2" is not a whole number.'],
        ]) {
            const read = reader({ apiReplicas: value });
            expect(read.integer("apiReplicas", bounds), value).to.equal(1);
            expect(problems(read), value).to.deep.equal([`apiReplicas: ${problem} Fix: pulumi config set --stack staging apiReplicas 2`]);
        }
    });
});

describe("reading booleans", () => {
    it("takes exactly true and false, and the schema default when unset", () => {
        expect([reader({ createNamespace: "true" }), reader({ createNamespace: "false" })].map((r) => r.boolean("createNamespace"))).to.deep.equal([true, false]);
        expect(reader().boolean("emailUseTls")).to.equal(true);
        expect(reader().boolean("createNamespace")).to.equal(false);
    });

    it("refuses anything else, answering false", () => {
        for (const value of ["True", "yes", "1", ""]) {
            const read = reader({ emailUseTls: value });
            expect(read.boolean("emailUseTls"), value).to.equal(false);
            expect(problems(read), value).to.deep.equal([`emailUseTls: "${value}" is not true or false. Fix: pulumi config set --stack staging emailUseTls false`]);
        }
    });
});

describe("reading strings and required keys", () => {
    it("gives the value, the default, or empty with a problem for a required key", () => {
        const read = reader({ webuiHost: "argus.example.org" });
        expect([read.string("webuiHost"), read.string("pruneSchedule"), read.string("domain")]).to.deep.equal(["argus.example.org", "17 3 * * *", ""]);
        expect(problems(read)).to.deep.equal(["domain: is required and not set. Fix: pulumi config set --stack staging domain paas2.uninett.no"]);
    });

    it("quotes an example for the shell only when it needs quotes, and adds --secret for secret keys", () => {
        const read = reader();
        expect(read.setCommand("pruneSchedule")).to.equal("pulumi config set --stack staging pruneSchedule '30 2 * * *'");
        expect(read.setCommand("databaseUrl")).to.equal("pulumi config set --secret --stack staging databaseUrl postgresql://argus:PASSWORD@db.example.org:5432/argus");
        expect(read.setCommand("registryUsername")).to.equal("pulumi config set --stack staging registryUsername $CI_REGISTRY_USER");
    });
});

describe("telling an operator's value from a default the CLI merged in", () => {
    it("takes a value equal to the key's default as the default, and any other value as chosen", () => {
        // The CLI sets every Pulumi.yaml default on the stack, so presence alone says nothing.
        const read = reader({ webuiHost: "argus.example.org", pruneSchedule: "17 3 * * *", workerReplicas: "1", versionCheck: "true", domain: "" });
        expect(["webuiHost", "pruneSchedule", "workerReplicas", "versionCheck", "pruneMinAgeDays"].map((k) => read.isChosen(k as never))).to.deep.equal([true, false, false, true, false]);
    });

    it("takes any value of a key without default as chosen, even an empty one", () => {
        expect(reader({ domain: "" }).isChosen("domain")).to.equal(true);
        expect(reader({}).isChosen("domain")).to.equal(false);
    });
});

describe("reading secrets", () => {
    it("wraps a secret value as a Pulumi secret, and treats empty as unset", async () => {
        const read = reader({}, { databaseUrl: "postgresql://u:pw@db/argus" });
        const secret = read.secret("databaseUrl")!;
        expect(secret.raw).to.equal("postgresql://u:pw@db/argus");
        expect(pulumi.Output.isInstance(secret.value)).to.equal(true);
        expect(await (secret.value as any).isSecret).to.equal(true);
        expect(reader({}, { databaseUrl: "" }).secret("databaseUrl")).to.equal(undefined);
        expect(reader().secret("databaseUrl")).to.equal(undefined);
        expect(read.problems).to.deep.equal([]);
    });

    it("refuses a secret key stored in plain text, without repeating its value", () => {
        const read = reader({ databaseUrl: "postgresql://u:Sentinel@db/argus" });
        expect(read.secret("databaseUrl")!.raw).to.equal("postgresql://u:Sentinel@db/argus");
        expect(problems(read)).to.deep.equal([
            "databaseUrl: is stored in plain text, so it would sit unencrypted in the stack file and the state. Fix: pulumi config set --secret --stack staging databaseUrl postgresql://argus:PASSWORD@db.example.org:5432/argus",
        ]);
    });
});

describe("keys the schema does not know, or stores differently", () => {
    it("names an unknown key, with the closest known one when it is near", () => {
        expect(problems(reader({ apiReplica: "2", zzz: "1" }))).to.deep.equal([
            'apiReplica: is not a setting this program knows. Fix: Did you mean "apiReplicas"? pulumi config rm --stack staging apiReplica',
            "zzz: is not a setting this program knows. Fix: pulumi config rm --stack staging zzz",
        ]);
    });

    it("refuses a plain key stored as a secret, but not an unknown one twice", () => {
        expect(problems(reader({}, { webuiHost: "argus.example.org", nonsense: "x" }))).to.deep.equal([
            "nonsense: is not a setting this program knows. Fix: pulumi config rm --stack staging nonsense",
            "webuiHost: is stored as a secret, but it is not one: the program writes its value in plain text into ConfigMaps and manifests, so --secret would only hide a value that is shown anyway. Fix: pulumi config set --stack staging webuiHost <value>   (without --secret; the value is not shown here)",
        ]);
    });

    it("finds the nearest key by edit distance, ignoring case, within a third of the name (at least 2)", () => {
        expect(closestKey("APIREPLICAS")).to.equal("apiReplicas");
        expect(closestKey("apiReplicasXY")).to.equal("apiReplicas");
        expect(closestKey("aiRepicas")).to.equal("apiReplicas");
        expect(closestKey("domian")).to.equal("domain");
        expect(closestKey("dmn")).to.equal(undefined);
        expect(closestKey("domainXYZ")).to.equal("domain");
        expect(closestKey("domainWXYZ")).to.equal(undefined);
    });
});

describe("redacting secrets from problems", () => {
    it("replaces every secret-marked value in problem and fix, the longest first", () => {
        const read = reader({}, { databaseUrl: "hunter2-long", registryPassword: "hunter2", adminPassword: "" });
        read.fail("databaseUrl", "has hunter2-long and hunter2 in it.", "not hunter2-long.");
        expect(read.redactedProblems()).to.deep.equal([{ key: "databaseUrl", problem: "has [secret] and [secret] in it.", fix: "not [secret]." }]);
        expect(read.problems[0].problem).to.equal("has hunter2-long and hunter2 in it.");
    });

    it("leaves plain values alone", () => {
        const read = reader({ webuiHost: "plain" });
        read.fail("webuiHost", "plain is plain.", "plain");
        expect(read.redactedProblems()).to.deep.equal([{ key: "webuiHost", problem: "plain is plain.", fix: "plain" }]);
    });
});
