import { expect } from "chai";
import { parseMinimal } from "../helpers";
import { configError, specifies } from "./helpers";

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
