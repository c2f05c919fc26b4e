import { expect } from "chai";
import { digestStandIn, isSecretValue, providerKey, redactSecrets } from "../../render/mocks";
import { secretPlaceholder } from "../../rules/hardening";

/** How the Node SDK marks a secret on the wire (@pulumi/pulumi 3.248.0 runtime/rpc.js: specialSigKey, specialSecretSig). */
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

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
