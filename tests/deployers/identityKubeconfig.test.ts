import { expect } from "chai";
import * as yaml from "js-yaml";
import { identityKubeconfig } from "../../deployers/identityKubeconfig";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const tokenSecretData = { "ca.crt": b64("CA PEM"), namespace: b64("argus-deployers"), token: b64("eyJ.token.sig") };

describe("an identity's kubeconfig", () => {
    it("reaches apiServer trusting the token Secret's CA, as the identity's token, with its namespace as the default", () => {
        const text = identityKubeconfig({ environment: "staging", apiServer: "https://k8s.example.org:6443", tokenSecretData, namespace: "argus-staging" });
        expect(yaml.load(text)).to.deep.equal({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "argus", cluster: { server: "https://k8s.example.org:6443", "certificate-authority-data": b64("CA PEM") } }],
            users: [{ name: "argus-staging-deployer", user: { token: "eyJ.token.sig" } }],
            contexts: [{ name: "argus-staging", context: { cluster: "argus", user: "argus-staging-deployer", namespace: "argus-staging" } }],
            "current-context": "argus-staging",
        });
    });

    it("has no default namespace for review, whose namespaces are made per merge request", () => {
        const doc = yaml.load(identityKubeconfig({ environment: "review", apiServer: "https://k", tokenSecretData })) as { contexts: { context: Record<string, string> }[] };
        expect(doc.contexts[0].context).to.deep.equal({ cluster: "argus", user: "argus-review-deployer" });
    });

    it("refuses a token Secret the token controller has not filled", () => {
        expect(() => identityKubeconfig({ environment: "review", apiServer: "https://k", tokenSecretData: {} })).to.throw("the review token Secret has no ca.crt: the token controller has not filled it");
    });
});
