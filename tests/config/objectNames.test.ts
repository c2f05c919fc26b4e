import { expect } from "chai";
import { problemTexts, specifies } from "./helpers";

describe("names of objects that must already exist", () => {
    it("checks the names of objects that must exist against the API server's rule", () => {
        expect(problemTexts({ existingApiSecret: "Argus Secrets", imagePullSecret: "registry creds", ingressClassName: "NGINX", certIssuer: "lets_encrypt" })).to.deep.equal([
            'imagePullSecret: "registry creds" is not a valid Secret name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'certIssuer: "lets_encrypt" is not a valid ClusterIssuer name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'ingressClassName: "NGINX" is not a valid IngressClass name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'existingApiSecret: "Argus Secrets" is not a valid Secret name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'databaseUrl: is set, but existingApiSecret "Argus Secrets" already provides the api\'s secrets.',
        ]);
    });
});

describe("what each object name setting takes, value by value", () => {
    for (const [key, kind] of [["imagePullSecret", "Secret"], ["existingApiSecret", "Secret"], ["ingressClassName", "IngressClass"]]) {
        specifies(key, {
            accepted: ["a", "a.b-c", "a".repeat(253)],
            refused: ["A", "a_b", "a..b", "-a", "a.", "a".repeat(254), "a b"],
            problem: (v) => `${JSON.stringify(v)} is not a valid ${kind} name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.`,
        });
    }
});
