import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { digestStandIn, isSecretValue, providerKey, redactSecrets } from "../render/mocks";
import { readStackConfigFile, secretPlaceholder, withCiProvidedSecrets, withEnvironmentOverrides } from "../render/stackConfig";

/** How the Node SDK marks a secret on the wire (@pulumi/pulumi 3.248.0 runtime/rpc.js: specialSigKey, specialSecretSig). */
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("reading a stack's config offline", () => {
    const file = (text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-stack-"));
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

    it("adds the secrets CI sets, sorted, unless the stack has them or does not need them", () => {
        const added = withCiProvidedSecrets({ values: { "argus:registryPullUsername": "u" }, secretKeys: [] }, "production");
        expect(added.secretKeys).to.deep.equal(["argus:databaseUrl", "argus:registryPullToken"]);
        const none = withCiProvidedSecrets({ values: { "argus:existingApiSecret": "s", "argus:databaseUrl": "given" }, secretKeys: ["argus:databaseUrl"] }, "production");
        expect(none).to.deep.equal({ values: { "argus:existingApiSecret": "s", "argus:databaseUrl": "given" }, secretKeys: ["argus:databaseUrl"] });
    });

    it("names the variable whose JSON is broken, and adds secret keys from the environment once each", () => {
        expect(() => withEnvironmentOverrides({ values: {}, secretKeys: [] }, { PULUMI_CONFIG: "{" })).to.throw("PULUMI_CONFIG is not valid JSON.");
        expect(() => withEnvironmentOverrides({ values: {}, secretKeys: [] }, { PULUMI_CONFIG_SECRET_KEYS: "[" })).to.throw("PULUMI_CONFIG_SECRET_KEYS is not valid JSON.");
        const merged = withEnvironmentOverrides({ values: { "argus:a": "1" }, secretKeys: ["argus:b"] }, { PULUMI_CONFIG: '{"argus:b": "2"}', PULUMI_CONFIG_SECRET_KEYS: '["argus:b", "argus:a"]' });
        expect(merged).to.deep.equal({ values: { "argus:a": "1", "argus:b": "2" }, secretKeys: ["argus:a", "argus:b"] });
        expect(withEnvironmentOverrides({ values: { "argus:a": "1" }, secretKeys: [] }, {})).to.deep.equal({ values: { "argus:a": "1" }, secretKeys: [] });
    });
});

describe("the render's mocks", () => {
    it("redact every secret value at any depth, and leave the rest", () => {
        expect(isSecretValue(secret("x"))).to.equal(true);
        expect(isSecretValue({ value: "x" })).to.equal(false);
        expect(isSecretValue(null)).to.equal(false);
        expect(redactSecrets({ a: [1, secret("pw"), { b: secret({ c: 1 }) }], d: "plain", e: null })).to.deep.equal({ a: [1, secretPlaceholder, { b: secretPlaceholder }], d: "plain", e: null });
    });

    it("name a provider by its type and name, whatever parents its URN carries", () => {
        expect(providerKey("urn:pulumi:staging::argus::pulumi:providers:kubernetes::argus-kubernetes::04da6b54")).to.equal("pulumi:providers:kubernetes::argus-kubernetes");
        expect(providerKey("urn:pulumi:staging::argus::argus:index:Image$pulumi:providers:docker::argus-image-registry::id")).to.equal("pulumi:providers:docker::argus-image-registry");
    });

    it("stand in for a digest with a hash of the reference: the same reference, the same digest", () => {
        expect(digestStandIn("repo/argus:abc")).to.match(/^sha256:[0-9a-f]{64}$/).and.to.equal(digestStandIn("repo/argus:abc"));
        expect(digestStandIn("repo/argus:abd")).not.to.equal(digestStandIn("repo/argus:abc"));
    });
});
