import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfigFile, withCiProvidedSecrets, withEnvironmentOverrides } from "../../render/stackConfig";
import { secretPlaceholder } from "../../rules/hardening";

/** A stack's config as the render reads it offline, without the passphrase (render/stackConfig.ts). */

describe("reading a stack's config file offline (readStackConfigFile)", () => {
    let dir = "";
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-stack-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = (text: string) => {
        fs.writeFileSync(path.join(dir, "Pulumi.x.yaml"), text);
        return path.join(dir, "Pulumi.x.yaml");
    };

    it("takes plain values as text, JSON for other types, and stands in for secure ones, which stay secret", () => {
        const config = readStackConfigFile(file("config:\n  argus:domain: example.org\n  argus:apiReplicas: 2\n  argus:databaseUrl:\n    secure: v1:abc\n  other:key:\n    secure: v1:def\n"));
        expect(config.values).to.deep.equal({
            "argus:domain": "example.org",
            "argus:apiReplicas": "2",
            // The key's example, so validation passes as it would with the real value.
            "argus:databaseUrl": "postgresql://argus:PASSWORD@db.example.org:5432/argus",
            "other:key": secretPlaceholder,
        });
        expect(config.secretKeys).to.deep.equal(["argus:databaseUrl", "other:key"]);
    });

    it("reads a file without config as empty, and says which file is missing", () => {
        expect(readStackConfigFile(file("encryptionsalt: x\n"))).to.deep.equal({ values: {}, secretKeys: [] });
        expect(() => readStackConfigFile("/nonexistent/Pulumi.x.yaml")).to.throw("stack config file /nonexistent/Pulumi.x.yaml does not exist.");
    });

});

describe("the secrets CI sets (withCiProvidedSecrets)", () => {
    it("are added, sorted, unless the stack has them or does not need them", () => {
        const added = withCiProvidedSecrets({ values: { "argus:registryPullUsername": "u" }, secretKeys: [] }, "production");
        expect(added.secretKeys).to.deep.equal(["argus:databaseUrl", "argus:registryPullToken"]);
        const none = withCiProvidedSecrets({ values: { "argus:existingApiSecret": "s", "argus:databaseUrl": "given" }, secretKeys: ["argus:databaseUrl"] }, "production");
        expect(none).to.deep.equal({ values: { "argus:existingApiSecret": "s", "argus:databaseUrl": "given" }, secretKeys: ["argus:databaseUrl"] });
    });

    it("are left out where an existing Secret or the stack's own database provides them, and stood in for otherwise", () => {
        const filled = withCiProvidedSecrets({ values: {}, secretKeys: [] }, "staging");
        expect(filled.secretKeys).to.deep.equal(["argus:databaseUrl"]);
        const existing = withCiProvidedSecrets({ values: { "argus:existingApiSecret": "argus-db" }, secretKeys: [] }, "staging");
        expect(existing.values).to.deep.equal({ "argus:existingApiSecret": "argus-db" });
        // Review apps run their own PostgreSQL unless they say otherwise; staging may opt in.
        expect(withCiProvidedSecrets({ values: {}, secretKeys: [] }, "review").secretKeys).to.deep.equal([]);
        expect(withCiProvidedSecrets({ values: { "argus:database": "external" }, secretKeys: [] }, "review").secretKeys).to.deep.equal(["argus:databaseUrl"]);
        expect(withCiProvidedSecrets({ values: { "argus:database": "inCluster" }, secretKeys: [] }, "staging").secretKeys).to.deep.equal([]);
        expect(secretPlaceholder).to.equal("[secret]");
    });
});

describe("config from the environment, as the engine passes it (withEnvironmentOverrides)", () => {
    it("names the variable whose JSON is broken, and adds secret keys from the environment once each", () => {
        expect(() => withEnvironmentOverrides({ values: {}, secretKeys: [] }, { PULUMI_CONFIG: "{" })).to.throw("PULUMI_CONFIG is not valid JSON.");
        expect(() => withEnvironmentOverrides({ values: {}, secretKeys: [] }, { PULUMI_CONFIG_SECRET_KEYS: "[" })).to.throw("PULUMI_CONFIG_SECRET_KEYS is not valid JSON.");
        const merged = withEnvironmentOverrides({ values: { "argus:a": "1" }, secretKeys: ["argus:b"] }, { PULUMI_CONFIG: '{"argus:b": "2"}', PULUMI_CONFIG_SECRET_KEYS: '["argus:b", "argus:a"]' });
        expect(merged).to.deep.equal({ values: { "argus:a": "1", "argus:b": "2" }, secretKeys: ["argus:a", "argus:b"] });
        expect(withEnvironmentOverrides({ values: { "argus:a": "1" }, secretKeys: [] }, {})).to.deep.equal({ values: { "argus:a": "1" }, secretKeys: [] });
    });
});
