import { expect } from "chai";
import { withEnvironmentOverrides } from "../../render/stackConfig";

describe("config from the engine's environment", () => {
    const base = { values: { "argus:domain": "paas2.uninett.no" }, secretKeys: [] };

    it("takes JSON numbers and booleans as their text, as the engine may pass them", () => {
        const config = withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:apiReplicas": 2, "argus:tls": false, "argus:webuiHost": "argus.example.org"}' });
        expect(config.values).to.deep.equal({ "argus:domain": "paas2.uninett.no", "argus:apiReplicas": "2", "argus:tls": "false", "argus:webuiHost": "argus.example.org" });
    });

    it("refuses null, arrays and objects with the key that has them", () => {
        expect(() => withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:webuiReplicas": null}' })).to.throw("PULUMI_CONFIG: argus:webuiReplicas is null; give a string, number, boolean or a map.");
        expect(() => withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:admins": ["a"]}' })).to.throw("PULUMI_CONFIG: argus:admins is an array; give a string, number, boolean or a map.");
    });
});

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
