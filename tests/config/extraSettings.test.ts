import { expect } from "chai";
import { apiSettingsData, secretEnvNames } from "../../components/argus/settings";
import { argusRelease } from "../../releases/argus";
import { configSchema } from "../../stacks/schema";
import { ownedSettings } from "../../stacks/sections/extraSettings";
import { parseStackConfig } from "../../stacks";
import { findObject, mapSource, minimalConfig, parseMinimal, renderedBeforeEach } from "../helpers";
import { configError, problems } from "./helpers";

/** Any Django/Argus setting through extraSettings (ConfigMap) and extraSecretSettings (api Secret). */

const banner = JSON.stringify({ BANNER_MESSAGE: "Maintenance on Friday" });

describe("extra settings: what they become", () => {
    it("turns each plain entry into ARGUS_EXTRA_SETTING_<NAME> of the settings ConfigMap, for every release", () => {
        const api = parseMinimal("staging", { extraSettings: banner }).api;
        for (const version of ["1.24.0", "1.37.0", "2.10.2"]) {
            expect(apiSettingsData(argusRelease(version), api)).to.include({ ARGUS_EXTRA_SETTING_BANNER_MESSAGE: "Maintenance on Friday" });
        }
    });

    it("reads the secret ones from the api Secret, never from the ConfigMap", () => {
        const api = parseMinimal("staging", {}, { extraSecretSettings: JSON.stringify({ SMS_GATEWAY_TOKEN: "Sentinel-extra" }) }).api;
        expect(secretEnvNames(api)).to.include("ARGUS_EXTRA_SETTING_SMS_GATEWAY_TOKEN");
        expect(JSON.stringify(apiSettingsData(argusRelease("2.10.2"), api))).to.not.include("Sentinel-extra");
    });

    it("is nothing by default", () => {
        const api = parseMinimal("staging").api;
        expect(Object.keys(apiSettingsData(argusRelease("2.10.2"), api)).filter((n) => n.startsWith("ARGUS_EXTRA_SETTING_"))).to.deep.equal([]);
        expect(secretEnvNames(api).filter((n) => n.startsWith("ARGUS_EXTRA_SETTING_"))).to.deep.equal([]);
    });
});

describe("extra settings: refused before anything is made, naming stack, key, entry and fix", () => {
    it("refuses a setting the program sets, naming the key that sets it", () => {
        expect(problems({ extraSettings: JSON.stringify({ EMAIL_HOST: "smtp.example.org", TIME_ZONE: "UTC", ALLOWED_HOSTS: "*" }) })).to.deep.equal([
            "extraSettings: entry EMAIL_HOST is a setting this program sets itself, from emailHost. Fix: pulumi config rm --stack staging --path 'extraSettings.EMAIL_HOST', and set emailHost instead (docs/configuration.md)",
            "extraSettings: entry TIME_ZONE is a setting this program sets itself, from timeZone. Fix: pulumi config rm --stack staging --path 'extraSettings.TIME_ZONE', and set timeZone instead (docs/configuration.md)",
            "extraSettings: entry ALLOWED_HOSTS is a setting this program sets itself, from webuiHost. Fix: pulumi config rm --stack staging --path 'extraSettings.ALLOWED_HOSTS', and set webuiHost instead (docs/configuration.md)",
        ]);
    });

    it("refuses a name Django would not read as a setting", () => {
        expect(problems({ extraSettings: JSON.stringify({ banner_message: "x" }) })).to.deep.equal([
            "extraSettings: entry \"banner_message\" is not a name Django reads as a setting: UPPER_CASE letters, digits and _, starting with a letter. Fix: pulumi config rm --stack staging --path 'extraSettings.banner_message' && pulumi config set --stack staging --path 'extraSettings.BANNER_MESSAGE' <text>",
        ]);
        for (const name of ["1ST", "A-B", "_PRIVATE", "MIXED_Case", ""]) {
            expect(problems({ extraSettings: JSON.stringify({ [name]: "x" }) })[0], name).to.match(/is not a name Django reads as a setting/);
        }
    });

    it("refuses a secret-looking name in the plain map, pointing at extraSecretSettings", () => {
        expect(problems({ extraSettings: JSON.stringify({ SMS_GATEWAY_PASSWORD: "x" }) })).to.deep.equal([
            "extraSettings: entry SMS_GATEWAY_PASSWORD looks like a secret, and extraSettings go in plain text into a ConfigMap. Fix: pulumi config rm --stack staging --path 'extraSettings.SMS_GATEWAY_PASSWORD' && pulumi config set --secret --stack staging --path 'extraSecretSettings.SMS_GATEWAY_PASSWORD' <value>",
        ]);
        for (const name of ["API_KEY", "SLACK_TOKEN", "OIDC_SECRET", "KEY", "PRIVATE_CERT", "GATEWAY_CREDENTIALS"]) {
            expect(problems({ extraSettings: JSON.stringify({ [name]: "x" }) })[0], name).to.match(/looks like a secret/);
        }
        for (const name of ["BANNER_MESSAGE", "MONKEY_BUSINESS", "KEYBOARD_LAYOUT"]) {
            expect(problems({ extraSettings: JSON.stringify({ [name]: "x" }) }), name).to.deep.equal([]);
        }
    });

    it("refuses values that are not text, and a map that is not one", () => {
        expect(problems({ extraSettings: JSON.stringify({ A: 1, B: ["x"], C: null, D: { e: "f" } }) }).map((p) => p.split(" Fix:")[0])).to.deep.equal([
            "extraSettings: entry A is a number (1), not text: the settings module sets text only.",
            "extraSettings: entry B is a list ([\"x\"]), not text: the settings module sets text only.",
            "extraSettings: entry C is null (null), not text: the settings module sets text only.",
            "extraSettings: entry D is a object ({\"e\":\"f\"}), not text: the settings module sets text only.",
        ]);
        expect(problems({ extraSettings: "BANNER_MESSAGE=x" })[0]).to.match(/^extraSettings: is not a map of setting name to text: "BANNER_MESSAGE=x"\./);
    });

    it("never repeats a secret map's values in a message", () => {
        const error = configError(() => parseMinimal("staging", {}, { extraSecretSettings: JSON.stringify({ TOKEN_LIST: ["Sentinel-in-list"], DATABASE_URL: "Sentinel-owned" }) }));
        expect(error.message).to.include("argus:extraSecretSettings: entry DATABASE_URL is a setting this program sets itself, from databaseUrl.");
        expect(error.message).to.include("argus:extraSecretSettings: entry TOKEN_LIST is a list, not text");
        expect(error.message).to.not.include("Sentinel");
    });

    it("refuses the secret map stored in plain text, and with existingApiSecret", () => {
        const plain = configError(() => parseMinimal("staging", { extraSecretSettings: JSON.stringify({ SMS_TOKEN: "Sentinel-plain" }) }));
        expect(plain.message).to.include("argus:extraSecretSettings: is stored in plain text");
        expect(plain.message).to.not.include("Sentinel-plain");
        const external = { ...minimalConfig, existingApiSecret: "argus-api-secrets" };
        const beside = configError(() => parseStackConfig("staging", mapSource(external, { extraSecretSettings: JSON.stringify({ SMS_TOKEN: "Sentinel-beside" }) })));
        expect(beside.problems.map((p) => `${p.key}: ${p.problem}`)).to.deep.equal([
            'extraSecretSettings: is set, but existingApiSecret "argus-api-secrets" provides the api\'s secrets, and the program names no more keys in it.',
        ]);
    });
});

describe("extra settings: the table of settings the program owns", () => {
    it("names only config keys that exist", () => {
        const owners = [...Object.values(ownedSettings.configMap), ...Object.values(ownedSettings.secret), ...Object.values(ownedSettings.derived)];
        expect(owners.filter((key) => !(key in configSchema))).to.deep.equal([]);
    });

    it("covers every variable the settings ConfigMap and the api Secret can hold", () => {
        const everything = parseMinimal(
            "staging",
            { admins: "Ops <ops@example.org>", mediaPlugins: "a.B", socialAuthImmutableUserFields: "x", fallbackFilter: "{}", dataportenKey: "k", ticketPlugin: "a.B", ticketEndpoint: "https://rt.example.org/", ticketInformation: "{}", emailHostUser: "u", emailUseTls: "false", emailUseSsl: "true", jsonLogging: "true", argusVersion: "2.10.2" },
            { dataportenSecret: "s", ticketAuthenticationSecret: "{}", emailHostPassword: "p" },
        ).api;
        const names = [...Object.keys(apiSettingsData(argusRelease("1.37.0"), everything, "redis:6379")), ...Object.keys(apiSettingsData(argusRelease("2.10.2"), everything)), ...secretEnvNames(everything)];
        const owned = { ...ownedSettings.configMap, ...ownedSettings.secret };
        expect([...new Set(names)].filter((n) => !(n in owned))).to.deep.equal([]);
    });
});

describe("extra settings in a rendered stack", () => {
    const rendering = renderedBeforeEach("staging", { argusVersion: "2.10.2", extraSettings: banner }, { extraSecretSettings: JSON.stringify({ SMS_GATEWAY_TOKEN: "Sentinel-extra-render" }) });

    it("puts the plain ones into the settings ConfigMap and keeps the secret ones out of every ConfigMap and output", () => {
        expect(findObject(rendering(), "ConfigMap", "runtime-settings").data).to.include({ ARGUS_EXTRA_SETTING_BANNER_MESSAGE: "Maintenance on Friday" });
        const shown = rendering().manifestsYaml + rendering().resourcesJson + JSON.stringify(rendering().outputs);
        expect(shown).to.not.include("Sentinel-extra-render");
        expect(shown).to.include("ARGUS_EXTRA_SETTING_SMS_GATEWAY_TOKEN");
    });
});
