import { expect } from "chai";
import { parseStackConfig } from "../../stacks";
import { findObject, mapSource, minimalConfig, parseMinimal, renderedBeforeEach } from "../helpers";
import { configError, problems, specifies } from "./helpers";

describe("mail", () => {
    it("derives the SMTP port from emailUseTls unless it is set", () => {
        expect(parseMinimal("staging").api.settings).to.include({ emailUseTls: true, emailPort: 587, emailHost: "localhost" });
        expect(parseMinimal("staging", { emailUseTls: "false" }).api.settings).to.include({ emailUseTls: false, emailPort: 25 });
        expect(parseMinimal("staging", { emailUseTls: "false", emailPort: "2525" }).api.settings.emailPort).to.equal(2525);
    });

    it("refuses debug in production and notifications without a mail server", () => {
        const error = configError(() => parseMinimal("production", { domain: "uninett.no", debug: "true", sendNotifications: "true" }));
        expect(error.problems.map((p) => p.key)).to.deep.equal(["emailHost", "debug"]);
    });
});

describe("what each mail setting takes, value by value", () => {
    for (const key of ["defaultFromEmail", "serverEmail", "adminEmail"]) {
        specifies(key, {
            accepted: ["a@b", "argus+ops@example.org"],
            refused: ["a@b@c", "a b@c", "@b", "a@", "nobody", " a@b"],
            problem: (v) => `"${v}" is not an email address.`,
        });
    }

    specifies("admins", {
        accepted: ["Ops <ops@example.org>", "Kari Nord <k@x.org>, Ops<o@x.org>"],
        refused: ["<ops@example.org>", "Ops ops@example.org", "Ops <a@b@c>", "Ops <ops@example.org> x", "Ops <a b@c>"],
        problem: (v) => `"${v}" is not of the form Name <address>.`,
    });
});

describe("mail: the TLS mode", () => {
    it("talks implicit TLS on 465 with emailUseSsl, once STARTTLS is off", () => {
        expect(parseMinimal("staging", { emailUseTls: "false", emailUseSsl: "true" }).api.settings).to.include({ emailUseSsl: true, emailUseTls: false, emailPort: 465 });
        expect(parseMinimal("staging").api.settings).to.include({ emailUseSsl: false, emailPort: 587 });
    });

    it("refuses STARTTLS and implicit TLS at once, naming both keys and the fix", () => {
        expect(problems({ emailUseSsl: "true" })).to.deep.equal([
            "emailUseSsl: is true, and so is emailUseTls (its default): Django talks either STARTTLS (emailUseTls) or implicit TLS (emailUseSsl) to the SMTP server, never both. Fix: pulumi config set --stack staging emailUseTls false (implicit TLS, usually port 465), or: pulumi config rm --stack staging emailUseSsl (STARTTLS)",
        ]);
    });
});

describe("mail: the login at the relay", () => {
    it("takes a user with its password: the user in the settings, the password beside the other secrets", () => {
        const api = parseMinimal("staging", { emailHostUser: "argus@example.org" }, { emailHostPassword: "Sentinel-mail" }).api;
        expect(api.settings.emailHostUser).to.equal("argus@example.org");
        expect(api.emailHostPassword).to.not.equal(undefined);
    });

    it("logs in nowhere by default", () => {
        const api = parseMinimal("staging").api;
        expect(api.settings.emailHostUser).to.equal(undefined);
        expect(api.emailHostPassword).to.equal(undefined);
    });

    it("refuses a user without password, and a password without user", () => {
        expect(problems({ emailHostUser: "argus@example.org" })).to.deep.equal(["emailHostPassword: is required when emailHostUser is set. Fix: pulumi config set --secret --stack staging emailHostPassword <password>"]);
        expect(problems({}, { emailHostPassword: "Sentinel-mail" })).to.deep.equal(["emailHostUser: is required when emailHostPassword is set. Fix: pulumi config set --stack staging emailHostUser argus@example.org"]);
    });

    it("refuses the password in plain text, without repeating it", () => {
        const found = configError(() => parseMinimal("staging", { emailHostUser: "u", emailHostPassword: "Sentinel-plain-mail" }));
        expect(found.message).to.include("argus:emailHostPassword: is stored in plain text");
        expect(found.message).to.not.include("Sentinel-plain-mail");
    });

    it("with existingApiSecret, takes the password from that Secret and refuses it in config", () => {
        const external = { ...minimalConfig, existingApiSecret: "argus-api-secrets", emailHostUser: "u" };
        expect(parseStackConfig("staging", mapSource(external)).api.settings.emailHostUser).to.equal("u");
        const texts = configError(() => parseStackConfig("staging", mapSource(external, { emailHostPassword: "Sentinel-mail" }))).problems.map((p) => `${p.key}: ${p.problem}`);
        expect(texts).to.include('emailHostPassword: is set, but existingApiSecret "argus-api-secrets" already provides the api\'s secrets.');
    });
});

describe("mail: the password in a rendered stack", () => {
    const rendering = renderedBeforeEach("staging", { emailHostUser: "argus@example.org" }, { emailHostPassword: "Sentinel-mail-render" });

    it("is in no ConfigMap and no output; the user is in the settings ConfigMap, the password a Secret key", () => {
        expect(findObject(rendering(), "ConfigMap", "runtime-settings").data).to.include({ EMAIL_HOST_USER: "argus@example.org" });
        const shown = rendering().manifestsYaml + rendering().resourcesJson + JSON.stringify(rendering().outputs);
        expect(shown).to.not.include("Sentinel-mail-render");
        expect(shown).to.include("EMAIL_HOST_PASSWORD");
    });
});
