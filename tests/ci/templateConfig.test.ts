import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot as root } from "../../util/projectRoot";

/** ci/template-config.js: the plain keys of Pulumi.review.yaml, which ci/stack.sh sets on a new review stack. */

/** Runs ci/template-config.js on a template file with this text. */
function runOn(text: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-template-"));
    try {
        const file = path.join(dir, "Pulumi.review.yaml");
        fs.writeFileSync(file, text);
        return spawnSync("node", [path.join(root, "ci", "template-config.js"), file], { encoding: "utf8" });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("ci/template-config.js", () => {
    describe("on a template of plain keys", () => {
        let result: ReturnType<typeof runOn>;
        before(() => (result = runOn("config:\n  argus:domain: paas2.uninett.no\n  argus:createNamespace: true\n")));

        it("lists the template's plain keys without the namespace", () => {
            expect(result.status).to.equal(0);
            expect(result.stdout).to.equal("domain\tpaas2.uninett.no\ncreateNamespace\ttrue\n");
        });
    });

    describe("on a template with a secure value", () => {
        let result: ReturnType<typeof runOn>;
        before(() => (result = runOn("config:\n  argus:databaseUrl:\n    secure: v1:Sentinel-cipher\n")));

        it("refuses it, without printing it", () => {
            expect(result.status).to.equal(1);
            expect(result.stderr).to.contain("argus:databaseUrl is not a plain value").and.not.to.contain("Sentinel");
        });
    });

    describe("on the committed template", () => {
        let result: ReturnType<typeof runOn>;
        before(() => (result = spawnSync("node", [path.join(root, "ci", "template-config.js"), path.join(root, "Pulumi.review.yaml")], { encoding: "utf8" })));

        it("turns it into plain keys the schema knows", () => {
            expect(result.status).to.equal(0);
            expect(result.stdout.trim().split("\n").map((l) => l.split("\t")[0])).to.include.members(["domain", "createNamespace", "imageRepository"]);
        });
    });
});
