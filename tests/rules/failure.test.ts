import { expect } from "chai";
import { CheckError, CheckFailure, objectId, ObjectRule, runObjectRules } from "../../rules/failure";
import { object } from "../support/objects";

describe("a failure's object, as every message names it", () => {
    it("names objects with and without a namespace", () => {
        expect(objectId({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argus" } })).to.equal("Namespace argus");
        expect(objectId({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns" } })).to.equal("Secret ns/s");
    });
});

describe("CheckError, what a render throws when a check fails", () => {
    let error: CheckError;
    beforeEach(() => {
        error = new CheckError([{ object: "Secret ns/s", rule: "labels", message: "lacks x." }, { object: "Job ns/j", rule: "name", message: "too long." }]);
    });

    it("says how many checks failed, and each object, rule and message", () => {
        expect(error.name).to.equal("CheckError");
        expect(error.message).to.equal("2 check(s) failed; nothing was written:\n  - Secret ns/s: [labels] lacks x.\n  - Job ns/j: [name] too long.");
    });
});

describe("single-object rules, as the render runs them", () => {
    let failures: CheckFailure[];
    beforeEach(() => {
        const rule = (name: string): ObjectRule => ({ name, description: name, check: (o, fail) => fail(`${name} of ${o.metadata.name}.`) });
        failures = runObjectRules([object("Secret", "a"), object("ConfigMap", "b")], [rule("first"), rule("second")]);
    });

    it("reports object by object, each object's rules in their order, naming the object and the rule", () => {
        expect(failures).to.deep.equal([
            { object: "Secret ns/a", rule: "first", message: "first of a." },
            { object: "Secret ns/a", rule: "second", message: "second of a." },
            { object: "ConfigMap ns/b", rule: "first", message: "first of b." },
            { object: "ConfigMap ns/b", rule: "second", message: "second of b." },
        ]);
    });
});
