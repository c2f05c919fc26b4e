/**
 * components/webui/image/fixes/new-incidents-in-realtime-list.mjs, run with node as the webui Dockerfile's build
 * stage runs it, on a reducer shaped as Argus-frontend v1.14.1's (src/components/incidentsprovider.tsx; written
 * here, not copied). The real source and the page it builds are proven by `npm run test:webui`.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const script = path.join(__dirname, "..", "..", "components", "webui", "image", "fixes", "new-incidents-in-realtime-list.mjs");

const reducer = (addCondition: string) => `switch (action.type) {
    case IncidentsType.ModifyIncident: {
      if (index === null) {
        return storedOnly;
      }
    }
    case IncidentsType.AddIncident: {
      ${addCondition}
        return storedOnly;
      } else {
        return listedAndStored;
      }
    }
    default:
      if (index === null) {
        throw new Error("unreachable");
      }
}
`;

function runFix(source: string): { code: number | null; output: string; result: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webui-fix-"));
    try {
        const file = path.join(dir, "incidentsprovider.tsx");
        fs.writeFileSync(file, source);
        const r = spawnSync(process.execPath, [script, file], { encoding: "utf8" });
        return { code: r.status, output: r.stdout + r.stderr, result: fs.readFileSync(file, "utf8") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("the webui build's fix to Argus-frontend: new incidents in the Realtime list", () => {
    it("turns the AddIncident case's condition around, and only that one", () => {
        const r = runFix(reducer("if (index === null) {"));
        expect(r.code, r.output).to.equal(0);
        expect(r.result).to.equal(reducer("if (index !== null) {"));
    });

    it("stops the build, naming the file and the script, when the code is not as v1.14.1 has it", () => {
        for (const source of [reducer("if (index !== null) {"), reducer("if (index === null) {").replace("case IncidentsType.AddIncident:", "case IncidentsType.Add:")]) {
            const r = runFix(source);
            expect(r.code).to.equal(1);
            expect(r.output).to.match(/incidentsprovider\.tsx: expected one .*fixes\/new-incidents-in-realtime-list\.mjs/);
            expect(r.result).to.equal(source);
        }
    });
});
