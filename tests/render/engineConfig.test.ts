import { expect } from "chai";
import { applyProjectConfig, EngineConfigError, ProjectFile, readProjectFile } from "../../render/engineConfig";
import { defaultText } from "../../stacks/configReader";
import { ConfigKeySpec, configSchema } from "../../stacks/schema";

/** A Pulumi.yaml as the CLI reads it (pulumi/pulumi v3.248.0, sdk/go/common/workspace/config.go). */
const project: ProjectFile = {
    name: "argus",
    config: {
        domain: { type: "string" },
        imageRepository: { type: "string" },
        apiReplicas: { type: "integer", default: 1 },
        tls: { type: "boolean", default: true },
        createNamespace: { type: "boolean", default: false },
        namespace: { type: "string", default: "" },
        pruneSchedule: { type: "string", default: "17 3 * * *" },
    },
};
const own = (values: Record<string, string>, secretKeys: string[] = [], objectKeys?: string[]) => ({ values, secretKeys, ...(objectKeys ? { objectKeys } : {}) });

describe("the config the CLI hands the program: project defaults merged", () => {
    it("sets every declared default the stack lacks, written as Go's %v writes it, plain", () => {
        const merged = applyProjectConfig("staging", own({ "argus:domain": "example.org", "argus:imageRepository": "r.example.org/a", "argus:apiReplicas": "3" }), project);
        expect(merged.values).to.deep.equal({
            "argus:domain": "example.org",
            "argus:imageRepository": "r.example.org/a",
            "argus:apiReplicas": "3",
            "argus:tls": "true",
            "argus:createNamespace": "false",
            "argus:namespace": "",
            "argus:pruneSchedule": "17 3 * * *",
        });
        expect(merged.secretKeys).to.deep.equal([]);
    });

    it("keeps the stack's secret keys secret and leaves keys Pulumi.yaml does not declare alone", () => {
        const merged = applyProjectConfig("staging", own({ "argus:domain": "d.org", "argus:imageRepository": "r", "argus:databaseUrl": "x", "kubernetes:context": "c" }, ["argus:databaseUrl"]), project);
        expect(merged.values["kubernetes:context"]).to.equal("c");
        expect(merged.secretKeys).to.deep.equal(["argus:databaseUrl"]);
    });

    it("merges this project's real Pulumi.yaml: every key of the schema with a default gets it", () => {
        const merged = applyProjectConfig("staging", own({ "argus:domain": "d.org", "argus:imageRepository": "r" }), readProjectFile());
        const expected = Object.fromEntries(
            Object.entries(configSchema).map(([key, spec]) => {
                const fallback = (spec as { default?: unknown }).default;
                return [`argus:${key}`, fallback === undefined ? { domain: "d.org", imageRepository: "r" }[key] : defaultText(fallback as ConfigKeySpec["default"] & {})];
            }),
        );
        expect(merged.values).to.deep.equal(expected);
    });
});

describe("config the CLI refuses before the program runs", () => {
    it("lists every missing key in one sentence, sorted, as formatMissingKeys does", () => {
        expect(() => applyProjectConfig("production", own({}), project)).to.throw(EngineConfigError, "error: validating stack config: Stack 'production' is missing configuration values 'domain' and 'imageRepository'\n");
        const three: ProjectFile = { name: "argus", config: { c: { type: "string" }, a: { type: "string" }, b: { type: "string" } } };
        expect(() => applyProjectConfig("s", own({}), three)).to.throw("Stack 's' is missing configuration values 'a', 'b' and 'c'");
        expect(() => applyProjectConfig("s", own({ "argus:domain": "d" }), project)).to.throw("Stack 's' is missing configuration value 'imageRepository'\nSet it in the stack: pulumi config set --stack s <key> <value>");
    });

    it("refuses the first value, in key order, that its declared type does not take", () => {
        const base = { "argus:domain": "d.org", "argus:imageRepository": "r" };
        expect(() => applyProjectConfig("staging", own({ ...base, "argus:tls": "yes", "argus:apiReplicas": "two" }), project)).to.throw("Stack 'staging' with configuration key 'apiReplicas' must be of type 'integer'");
        expect(() => applyProjectConfig("staging", own({ ...base, "argus:tls": "True" }), project)).to.throw("Stack 'staging' with configuration key 'tls' must be of type 'boolean'");
        expect(() => applyProjectConfig("staging", own({ ...base, "argus:domain": '{"a":1}' }, [], ["argus:domain"]), project)).to.throw("Stack 'staging' with configuration key 'domain' must be of type 'string'");
    });

    it("takes integers as strconv.Atoi does: a sign, digits, within 64 bits", () => {
        const base = { "argus:domain": "d.org", "argus:imageRepository": "r" };
        for (const ok of ["+2", "-1", "007", "9223372036854775807"]) {
            expect(() => applyProjectConfig("s", own({ ...base, "argus:apiReplicas": ok }), project), ok).not.to.throw();
        }
        for (const bad of ["1.0", " 1", "1e3", "", "9223372036854775808"]) {
            expect(() => applyProjectConfig("s", own({ ...base, "argus:apiReplicas": bad }), project), bad).to.throw("must be of type 'integer'");
        }
    });

    it("refuses a plain value of a key Pulumi.yaml marks secret", () => {
        const secretProject: ProjectFile = { name: "argus", config: { token: { type: "string", secret: true } } };
        expect(() => applyProjectConfig("s", own({ "argus:token": "x" }), secretProject)).to.throw("Stack 's' with configuration key 'token' must be encrypted as it's secret");
        expect(applyProjectConfig("s", own({ "argus:token": "x" }, ["argus:token"]), secretProject).values).to.deep.equal({ "argus:token": "x" });
    });
});
