import { expect } from "chai";
import { hostProblem, isHostname } from "../../util/validators";
import { parseMinimal } from "../helpers";
import { configError, problems, problemTexts, specifies } from "./helpers";

describe("hosts under the stack's domain", () => {
    it("rejects hosts outside the stack's domain", () => {
        const error = configError(() => parseMinimal("staging", { webuiHost: "argus.example.com", apiHost: "api.argus.example.com" }));
        expect(error.message).to.contain('argus:webuiHost: "argus.example.com" is outside this stack\'s domain "paas2.uninett.no".');
        expect(error.message).to.contain('argus:apiHost: "api.argus.example.com" is outside this stack\'s domain "paas2.uninett.no".');
    });

    it("keeps the api host under the webui host in 1.x, where they share the login cookie, and not in 2.x", () => {
        expect(problemTexts({ apiHost: "api.paas2.uninett.no" })).to.deep.equal([
            'apiHost: "api.paas2.uninett.no" is not under the webui host "argus-staging.paas2.uninett.no", so the webui could never read the login cookie the api sets.',
        ]);
        expect(parseMinimal("staging", { apiHost: "api.paas2.uninett.no", argusVersion: "2.9.1" }).hosts.api).to.equal("api.paas2.uninett.no");
    });

    it("refuses an empty domain even when both hosts are given", () => {
        expect(problemTexts({ domain: "", webuiHost: "argus.example.org", apiHost: "api.argus.example.org" })).to.deep.equal(["domain: is empty; every host of the stack must lie under it."]);
    });
});

describe("host names: what is wrong, and a fix that works", () => {
    const cases: Record<string, string> = {
        "Argus.paas2.uninett.no": "has upper-case letters; host names here are lower case",
        "argus.paas2.uninett.no:8443": "has a port; Ingresses serve the standard ports, so give the host alone",
        "argus.paas2.uninett.no/argus": "has a path; give the host alone",
        "https://argus.paas2.uninett.no": "is a URL; give the host alone, without scheme",
        "ar_gus.paas2.uninett.no": "has an underscore, which DNS host names may not",
        "argus.paas2.uninett.no.": "ends with a dot; give it without the trailing dot",
        "argüs.paas2.uninett.no": "has non-ASCII characters; write an internationalised name in its xn-- (punycode) form",
        "*.paas2.uninett.no": "is a wildcard; give one host",
        "argus..paas2.uninett.no": "has an empty label (two dots in a row, or a leading dot)",
        "-argus.paas2.uninett.no": "has a label that starts or ends with a hyphen",
        "argus": "is a single label; give a name under a domain, such as argus.example.org",
        "ar gus.paas2.uninett.no": "has characters a host name may not (only a-z, 0-9, - and .)",
        [`${"a".repeat(64)}.paas2.uninett.no`]: "has a label longer than 63 characters",
    };

    it("says what is wrong with each refused host", () => {
        for (const [host, reason] of Object.entries(cases)) {
            expect(hostProblem(host), host).to.equal(reason);
            expect(problems({ webuiHost: host })[0], host).to.match(new RegExp(`^webuiHost: ".*"( \\(\\d+ characters\\))? is not a valid host name: it ${reason.replace(/[()*.?]/g, "\\$&")}\\. Fix: `));
        }
        expect(hostProblem("argus.paas2.uninett.no")).to.equal(undefined);
    });

    it("prints fixes that the same checks accept, inside the stack's domain", () => {
        const bad = [...Object.keys(cases), "argus.example.org"];
        for (const key of ["webuiHost", "apiHost"]) {
            for (const host of bad) {
                const fix = problems({ [key]: host }).find((p) => p.startsWith(`${key}:`))!.split(" Fix: ")[1];
                const value = fix.split(" ").pop()!;
                expect(fix, `${key}=${host}`).to.equal(`pulumi config set --stack staging ${key} ${value}`);
                expect(value.endsWith(".paas2.uninett.no"), `${key}=${host}: ${value}`).to.equal(true);
                expect(problems({ [key]: value }), `${key}=${host}: ${value}`).to.deep.equal([]);
            }
        }
    });

    it("reports a bad domain once, at its source, not again for the hosts made from it", () => {
        expect(problems({ domain: "Paas2.Uninett.No" })).to.deep.equal([
            'domain: "Paas2.Uninett.No" is not a DNS domain: it has upper-case letters; host names here are lower case. Fix: pulumi config set --stack staging domain paas2.uninett.no',
        ]);
    });

    it("isHostname: at least two DNS labels of at most 63, at most 253 in all", () => {
        expect([`${"a".repeat(63)}.b`, `${"a.".repeat(125)}abc`, "x.y"].map(isHostname)).to.deep.equal([true, true, true]);
        expect([`${"a".repeat(64)}.b`, `${"a.".repeat(126)}ab`, "localhost", "a..b", "A.b", ""].map(isHostname)).to.deep.equal(new Array(6).fill(false));
    });
});

describe("what each host setting takes, value by value", () => {
    specifies("emailHost", {
        accepted: ["smtp.example.org", "a-1.b"],
        refused: ["smtp", "-smtp.example.org", "smtp_.example.org", "smtp.example.org.", `${"a".repeat(64)}.org`, `${"a.".repeat(126)}ab`, "SMTP.example.org", "smtp.example.org:587", "smtp.exämple.org"],
        problem: (v) => `"${v}" is not a valid host name: it ${hostProblem(v)}.`,
    });
});
