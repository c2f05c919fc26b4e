import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot as root } from "../../util/projectRoot";

/**
 * ci/drift-report.js: drift.txt from what `pulumi preview --refresh --json` printed. The fixtures are real output,
 * trimmed to a few steps and fields (pulumi v3.248.0, pulumi-kubernetes v4.25.0, staging on the cluster suite's
 * control plane): preview-refresh-kubectl-edits.json after `kubectl scale --replicas=3` and `kubectl set env` of the
 * api Deployment and a `kubectl patch` of the runtime Secret's data (the preview stopped at the scale's field
 * conflict, exit 1); preview-refresh-forced-configmap-edit.json after the same Deployment edits and a `kubectl patch`
 * of the runtime ConfigMap, with PULUMI_K8S_ENABLE_PATCH_FORCE=true as ci/stack.sh drift runs it (past the
 * conflict, stopped by the value typed over a secret reference); preview-refresh-no-drift.json right after
 * `pulumi up`. The value typed by hand was left out of the samples.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { driftReport } = require("../../ci/drift-report.js") as { driftReport: (stack: string, exitCode: number, json: string) => { text: string; exitCode: number } };
const fixture = (name: string) => fs.readFileSync(path.join(root, "tests", "ci", "fixtures", name), "utf8");

/** A preview's JSON of one step changing `paths` of a Deployment, its old (cluster) and new (program) inputs given. */
function oneUpdate(paths: string[], oldInputs: object, newInputs: object): string {
    const detailedDiff = Object.fromEntries(paths.map((p) => [p, { kind: "update", inputDiff: true }]));
    const urn = "urn:pulumi:staging::argus::kubernetes:apps/v1:Deployment::argus-staging-api";
    return JSON.stringify({ steps: [{ op: "update", urn, detailedDiff, oldState: { inputs: oldInputs }, newState: { inputs: newInputs } }] });
}
const withEnv = (env: object[]) => ({ kind: "Deployment", metadata: { name: "argus-staging-api" }, spec: { template: { spec: { containers: [{ name: "django", env }] } } } });

describe("ci/drift-report.js", () => {
    describe("after kubectl scale, set env and a patched Secret (real preview output)", () => {
        const report = driftReport("staging", 1, fixture("preview-refresh-kubectl-edits.json"));
        const lines = report.text.trimEnd().split("\n");

        it("names each object that drifted, with its kind, name, namespace and what the program would do", () => {
            expect(lines.filter((l) => !l.startsWith(" ") && l.includes("(namespace"))).to.deep.equal([
                "Secret argus-staging-runtime-secrets-c68ed438 (namespace argus-staging): the program would replace it",
                "Job argus-staging-migrate-f45a86e6ee2a (namespace argus-staging): the program would replace it",
                "Deployment argus-staging-api (namespace argus-staging): the program would change it back",
            ]);
        });

        it("says how each field differs, from the cluster's value to the program's", () => {
            expect(lines).to.include.members([
                "  spec.replicas: 3 -> 1",
                '  spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: "argus-staging-runtime-secrets-4e80ea07" -> "argus-staging-runtime-secrets-c68ed438"',
                '  spec.template.spec.containers[1].env[0].valueFrom: (none) -> {"secretKeyRef":{"key":"DATABASE_URL","name":"argus-staging-runtime-secrets-c68ed438"}}',
            ]);
        });

        it("says a secret changed without printing it", () => {
            expect(lines).to.include("  data.SECRET_KEY: changed (a secret: its value is not shown)");
            expect(report.text).not.to.contain("[secret]");
        });

        it("says the preview failed, and why, so the list may be incomplete", () => {
            expect(report.text).to.contain("The preview failed (exit 1), so this list may be incomplete:");
            expect(report.text).to.contain('conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
        });

        it("ends with drifted, and exits 1", () => {
            expect(lines[lines.length - 1]).to.equal("staging: drifted: 3 objects differ from the stack.");
            expect(report.exitCode).to.equal(1);
        });
    });

    describe("after a ConfigMap value changed by hand, compared as ci/stack.sh drift does (real preview output)", () => {
        const report = driftReport("staging", 1, fixture("preview-refresh-forced-configmap-edit.json"));

        it("shows a plain value from the cluster's to the program's, and what the replacement changes in its users", () => {
            expect(report.text).to.contain('ConfigMap argus-staging-runtime-settings-6cc705e2 (namespace argus-staging): the program would replace it\n  data.DEBUG: "1" -> "0"\n');
            expect(report.text).to.contain('  spec.template.spec.containers[0].envFrom[0].configMapRef.name: "argus-staging-runtime-settings-d5740e24" -> "argus-staging-runtime-settings-6cc705e2"\n');
        });

        it("names no field the program does not set: an env var added by hand stays after an update", () => {
            expect(fixture("preview-refresh-forced-configmap-edit.json")).to.contain("ARGUS_DRIFT_PROBE");
            expect(report.text).not.to.contain("ARGUS_DRIFT_PROBE");
        });
    });

    describe("right after pulumi up (real preview output: refresh, read and same steps only)", () => {
        it("says no drift and exits 0", () => {
            expect(driftReport("staging", 0, fixture("preview-refresh-no-drift.json"))).to.deep.equal({ text: "staging: no drift: the cluster matches the stack.\n", exitCode: 0 });
        });
    });

    describe("a value typed by hand into an env var whose name says it is secret", () => {
        const json = oneUpdate(
            ["spec.template.spec.containers[0].env[0].value", "spec.template.spec.containers[0].env[1].value"],
            withEnv([{ name: "DATABASE_PASSWORD", value: "Sentinel-typed-by-hand" }, { name: "DEBUG", value: "1" }]),
            withEnv([{ name: "DATABASE_PASSWORD", value: "Sentinel-from-the-program" }, { name: "DEBUG", value: "0" }]),
        );

        it("is never printed, while a plain one is", () => {
            const report = driftReport("production", 7, json);
            expect(report.text).not.to.contain("Sentinel");
            expect(report.text).to.contain("  spec.template.spec.containers[0].env[0].value: changed (a secret: its value is not shown)\n");
            expect(report.text).to.contain('  spec.template.spec.containers[0].env[1].value: "1" -> "0"\n');
        });
    });

    describe("exit code 7 from --expect-no-changes with no step it can itemise", () => {
        it("still says drifted", () => {
            expect(driftReport("staging", 7, fixture("preview-refresh-no-drift.json"))).to.deep.equal({ text: "staging: drifted: 0 objects differ from the stack.\n", exitCode: 1 });
        });
    });

    describe("a preview that failed before printing JSON (a cluster out of reach, a missing secret)", () => {
        it("says not compared, and exits 2", () => {
            expect(driftReport("staging", 255, "")).to.deep.equal({
                text: "The preview failed (exit 255) and printed no JSON:\nstaging: not compared: the preview failed (the job log says why).\n",
                exitCode: 2,
            });
        });
    });
});
