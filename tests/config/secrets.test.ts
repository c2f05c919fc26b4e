import { expect } from "chai";
import { parseStackConfig } from "../../stacks";
import { mapSource, minimalConfig, parseMinimal } from "../helpers";
import { configError, specifies } from "./helpers";

describe("the api's secrets from config or an operator's Secret", () => {
    it("requires the database URL as a secret, and never shows its value", () => {
        expect(configError(() => parseStackConfig("staging", mapSource(minimalConfig))).message).to.contain(
            "argus:databaseUrl: is required for an external database (or existingApiSecret). Fix: pulumi config set --secret --stack staging databaseUrl postgresql://argus:PASSWORD@db.example.org:5432/argus (or, for a database of the stack's own: pulumi config set --stack staging database inCluster)",
        );
        const plain = configError(() => parseStackConfig("staging", mapSource({ ...minimalConfig, databaseUrl: "postgresql://u:hunter2@db/argus" })));
        expect(plain.message).to.contain("argus:databaseUrl: is stored in plain text");
        expect(plain.message).not.to.contain("hunter2");
        const wrongScheme = configError(() => parseMinimal("staging", {}, { databaseUrl: "mysql://u:hunter2@db/argus" }));
        expect(wrongScheme.message).to.contain("argus:databaseUrl: is not a postgresql:// URL (value not shown).");
        expect(wrongScheme.message).not.to.contain("hunter2");
    });

    it("accepts an existing Secret instead of the database URL, but not both", () => {
        const config = parseStackConfig("staging", mapSource({ ...minimalConfig, existingApiSecret: "argus-db" }));
        expect(config.api.secrets).to.deep.equal({ existingSecretName: "argus-db" });
        expect(configError(() => parseMinimal("staging", { existingApiSecret: "argus-db" })).message).to.contain(
            'argus:databaseUrl: is set, but existingApiSecret "argus-db" already provides the api\'s secrets.',
        );
    });

    it("takes the ticket secret from an existing Secret, not from config, when existingApiSecret is set", () => {
        const ticket = { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: "{}" };
        const source = mapSource({ ...minimalConfig, ...ticket, existingApiSecret: "argus-api" });
        expect(parseStackConfig("staging", source).api.secrets).to.deep.equal({ existingSecretName: "argus-api" });
        const both = mapSource({ ...minimalConfig, ...ticket, existingApiSecret: "argus-api" }, { ticketAuthenticationSecret: '{"t": 1}' });
        expect(configError(() => parseStackConfig("staging", both)).problems.map((p) => p.key)).to.deep.equal(["ticketAuthenticationSecret"]);
    });
});

describe("what each secret or account setting takes, value by value", () => {
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
});
