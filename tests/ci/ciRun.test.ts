import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../util/projectRoot";

/** The commands of a README code block that follows `heading`, comments and blank lines left out. */
function readmeCommands(heading: string): string[] {
    const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    return block
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line && !line.startsWith("#"));
}

describe(".ci/run", () => {
    const lines = fs
        .readFileSync(path.join(projectRoot, ".ci", "run"), "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith("#"));

    it("sets a fresh clone up as the README says, then runs exactly the README's test commands, in order", () => {
        const setUp = readmeCommands("Set-up on a fresh machine").map((c) => c.replace("$(command -v sudo) ", ""));
        const tests = readmeCommands("Tests");
        expect(tests).to.include("BENCH_ROUNDS=1 npm run bench:deploy");
        expect(tests).to.include("STORM_INCIDENTS=100 npm run bench:argus");
        expect(lines.slice(lines.indexOf(setUp[0]))).to.deep.equal([...setUp.map((c) => (c === "npm ci" ? "npm ci --no-audit --no-fund" : c)), ...tests]);
    });
});
