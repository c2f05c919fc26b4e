import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot as root } from "../../util/projectRoot";

/** What ci/stack.sh, which every Pulumi job runs, says in its text; tests/ci/stackScriptRuns.test.ts runs it. */

describe("ci/stack.sh", () => {
    let script = "";
    beforeEach(() => (script = fs.readFileSync(path.join(root, "ci", "stack.sh"), "utf8")));

    it("creates review stacks only; staging and production must exist", () => {
        const creates = script.split("\n").filter((l) => l.includes("--create") && !l.trim().startsWith("#"));
        expect(creates.map((l) => l.trim())).to.deep.equal(['pulumi stack select --create "$stack"']);
        expect(script).to.match(/if \[ "\$review" = true \]; then\n\s+pulumi stack select --create "\$stack"\n\s+else/);
    });

    it("passes secrets on standard input only, and never traces or prints them", () => {
        expect(script).to.contain(`printf '%s' "$value" | pulumi config set --secret --stack "$stack" "$key"`);
        expect(script).not.to.match(/set -[a-z]*x|bash -x/);
        for (const line of script.split("\n").filter((l) => /ARGUS_\w*(URL|SECRET|KEY|TOKEN)|CI_REGISTRY_PASSWORD|PULUMI_OIDC_TOKEN/.test(l))) {
            expect(line.trim(), line).to.match(/^(set_secret \w+ "\$\{?\w+|elif \[|printf '%s' "\$PULUMI_OIDC_TOKEN" >)/);
        }
    });

    it("runs every preview and up with the policy pack, which is the render's checks, except drift's dry run", () => {
        const runs = script.split("\n").filter((l) => /^\s*(\w+=\S+\s+)*pulumi (preview|up)\b/.test(l));
        expect(runs).to.have.length(3);
        runs.filter((l) => !l.includes("--refresh")).forEach((l) => expect(l).to.contain("--policy-pack policy"));
        expect(fs.readFileSync(path.join(root, "policy", "rules.ts"), "utf8")).to.match(/^import \{ checkObjects \} from "..\/rules";$/m);
    });

    it("compares a stack with the cluster by a refreshing preview only: nothing applied, created or kept in plain text", () => {
        const drift = /compare_with_cluster\(\) \{\n([\s\S]*?)\n\}/.exec(script)![1];
        expect(drift.split("\n").filter((l) => /^\s*(\w+=\S+\s+)*pulumi /.test(l)).map((l) => l.trim())).to.deep.equal([
            'PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi preview --refresh --expect-no-changes --show-sames --json --non-interactive --stack "$stack" >"$json" || status=$?',
        ]);
        expect(drift).to.contain('rm -f "$json"');
        expect(script).to.match(/drift\)\n\s+select_existing_stack\n\s+configure\n\s+compare_with_cluster\n/);
    });

    it("gives a review stack its own config file from the template, and destroys only review stacks", () => {
        expect(script).to.contain("node ci/template-config.js Pulumi.review.yaml");
        expect(script).not.to.contain("--config-file");
        expect(script).to.contain("pulumi destroy --yes --non-interactive --remove --run-program --stack");
        expect(script).to.match(/destroy\)\n\s+\[ "\$review" = true \] \|\| fail/);
    });

    it("passes shellcheck", function () {
        if (spawnSync("shellcheck", ["--version"]).status !== 0) {
            console.log("      (skipped: shellcheck is not installed; scripts/install-system-packages.sh installs it)");
            this.skip();
        }
        const check = spawnSync("shellcheck", ["ci/stack.sh", "scripts/install-system-packages.sh", ".ci/run"], { cwd: root, encoding: "utf8" });
        expect(check.status, check.stdout).to.equal(0);
    });
});
