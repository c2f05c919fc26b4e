import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { manifestsOf } from "../../realworld/bench/manifests";
import { pulumiSteps } from "../../realworld/bench/pulumi";
import { projectRoot } from "../../util/projectRoot";

describe("the deploy benchmark's pulumi commands (realworld/bench/pulumi.ts pulumiSteps)", () => {
    const commandLine = (command: { args: readonly string[]; env: Readonly<Record<string, string>> }) =>
        `${Object.entries(command.env).map(([k, v]) => `${k}=${v} `).join("")}pulumi ${command.args.join(" ")}`;
    const scriptLines = () => fs.readFileSync(path.join(projectRoot, "ci", "stack.sh"), "utf8").split("\n").map((l) => l.trim());

    it("previews exactly as ci/stack.sh's preview action does, its environment included", () => {
        expect(scriptLines()).to.include(`${commandLine(pulumiSteps('"$stack"').preview)} 2>&1 | tee preview.txt`);
    });

    it("updates exactly as ci/stack.sh's up action does: no preview of its own, the policy pack, its environment", () => {
        expect(scriptLines()).to.include(commandLine(pulumiSteps('"$stack"').up));
    });

    it("destroys without a preview", () => {
        expect(pulumiSteps("production").destroy.args).to.deep.equal(["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", "production"]);
    });
});

describe("the deploy benchmark's manifests for kubectl (realworld/bench/manifests.ts)", () => {
    const render = [
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-1a2b\n  namespace: argus\ndata:\n  a: '{{ not a template }}'",
        "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate-3c4d\n  namespace: argus",
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argus-api\n  namespace: argus",
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argus-webui\n  namespace: argus",
        "",
    ].join("\n");
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-manifests-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("puts the Deployments in a file of their own, everything else in another, and names the Job and every object", () => {
        const m = manifestsOf(render, dir);
        const items = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { kind: string; items: { metadata: { name: string } }[] }).items.map((o) => o.metadata.name);
        expect(items(m.restFile)).to.deep.equal(["settings-1a2b", "migrate-3c4d"]);
        expect(items(m.deploymentsFile)).to.deep.equal(["argus-api", "argus-webui"]);
        expect(m.jobName).to.equal("migrate-3c4d");
        expect(m.deploymentNames).to.deep.equal(["argus-api", "argus-webui"]);
        expect(m.names).to.deep.equal(["configmap/settings-1a2b", "job.batch/migrate-3c4d", "deployment.apps/argus-api", "deployment.apps/argus-webui"]);
        expect(m.text).to.equal(render);
    });

    it("refuses a render without exactly one Job, naming what it found", () => {
        expect(() => manifestsOf(render.replace(/kind: Job/, "kind: CronJob"), dir)).to.throw("the render holds 0 Jobs and 2 Deployments");
    });
});
