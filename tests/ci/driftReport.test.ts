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
 * `pulumi up`. The value typed by hand was left out of the samples. Those three keep no managedFields; the two
 * below keep them (field and key names, never a value): preview-refresh-set-by-hand.json after `kubectl scale`,
 * `kubectl set env` (an added ARGUS_DRIFT_PROBE in django, a value typed over websockets' DATABASE_URL reference) and
 * a `kubectl patch` of the runtime Secret, run as ci/stack.sh drift runs it (before --show-sames: the objects are the
 * api Deployment's update step, the Secret's replace and three refresh steps); preview-refresh-no-drift-managed-fields.json
 * each object's refresh step right after `pulumi up`.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { driftReport } = require("../../ci/drift-report.js") as { driftReport: (stack: string, exitCode: number, json: string) => { text: string; exitCode: number } };
const fixture = (name: string) => fs.readFileSync(path.join(root, "tests", "ci", "fixtures", name), "utf8");
type PathElement = { field?: string; key?: object; value?: unknown; index?: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const managedFields = require("../../ci/drift/managedFields.js") as { ownedPaths: (fieldsV1: object) => PathElement[][]; readablePath: (path: PathElement[]) => string };

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

    });

    describe("fields set by hand that the program does not set (real preview output with managedFields)", () => {
        const report = driftReport("staging", 7, fixture("preview-refresh-set-by-hand.json"));
        const lines = report.text.trimEnd().split("\n");
        const byHand = (readable: string, manager: string, time: string) =>
            `  ${readable}: set by hand (${manager}, ${time}); the program does not set it: remove it by hand (a deploy removes it only while it changes this object, and only kubectl's)`;

        it("lists an env var added by hand under its object, with the manager that added it, when, and a readable path", () => {
            const deployment = lines.indexOf("Deployment argus-staging-api (namespace argus-staging): the program would change it back");
            expect(deployment).to.be.greaterThan(-1);
            expect(lines.slice(deployment)).to.include(byHand("spec.template.spec.containers[name=django].env[name=ARGUS_DRIFT_PROBE]", "kubectl-set", "2026-12-07T00:37:25Z"));
        });

        it("lists a value typed beside a field the program sets: the program's valueFrom, the hand's value", () => {
            expect(lines).to.include(byHand("spec.template.spec.containers[name=websockets].env[name=DATABASE_URL].value", "kubectl-set", "2026-12-07T00:37:25Z"));
            expect(lines).to.include("  spec.template.spec.containers[1].env[0].valueFrom: (none) -> (none)");
        });

        it("does not list twice a field the update step already names (kubectl scale's spec.replicas)", () => {
            expect(fixture("preview-refresh-set-by-hand.json")).to.contain('"manager":"kubectl","operation":"Update","subresource":"scale"');
            expect(lines.filter((l) => l.startsWith("  spec.replicas"))).to.deep.equal(["  spec.replicas: 3 -> 1"]);
        });

        it("takes what controllers write through the status subresource for no drift (kube-controller-manager, the revision annotation)", () => {
            expect(fixture("preview-refresh-set-by-hand.json")).to.contain('"manager":"kube-controller-manager","operation":"Update","subresource":"status"');
            expect(report.text).not.to.contain("kube-controller-manager");
            expect(report.text).not.to.contain("deployment.kubernetes.io/revision");
            expect(report.text).not.to.match(/^(Job|Deployment argus-staging-webui)/m);
        });

        it("prints no value typed by hand: the fixture holds none, and the report only names fields", () => {
            expect(fixture("preview-refresh-set-by-hand.json")).not.to.match(/"value"\s*:/);
            expect(report.text).not.to.contain("[secret]");
        });

        it("counts each object once, and keeps the last line's format", () => {
            expect(lines[lines.length - 1]).to.equal("staging: drifted: 2 objects differ from the stack.");
            expect(report.exitCode).to.equal(1);
        });
    });

    describe("an object the program would not change, with a field set by hand (its same step, as --show-sames prints it)", () => {
        /** The fixture's api Deployment as a step of `op` whose cluster object's managers are `managers`, with no detailed diff. */
        function asStep(op: string, managers: (entries: { manager: string }[]) => object[]): string {
            const update = JSON.parse(fixture("preview-refresh-set-by-hand.json")).steps.find((s: { op: string }) => s.op === "update");
            const outputs = update.oldState.outputs;
            const oldState = { ...update.oldState, outputs: { ...outputs, metadata: { ...outputs.metadata, managedFields: managers(outputs.metadata.managedFields) } } };
            return JSON.stringify({ steps: [{ op, urn: update.urn, oldState, newState: update.newState }] });
        }
        const sameStep = (managers: (entries: { manager: string }[]) => object[]) => asStep("same", managers);
        const restart = {
            manager: "kubectl-rollout",
            operation: "Update",
            time: "2026-12-07T01:00:00Z",
            fieldsV1: { "f:spec": { "f:template": { "f:metadata": { "f:annotations": { "f:kubectl.kubernetes.io/restartedAt": {} } } } } },
        };
        const notScale = (entries: { manager: string }[]) => entries.filter((e) => e.manager !== "kubectl");

        it("is drifted: its field set by hand is listed under it", () => {
            const report = driftReport("production", 0, sameStep(notScale));
            expect(report.text).to.equal(
                [
                    "Deployment argus-staging-api (namespace argus-staging): the program would leave it as it is",
                    "  spec.template.spec.containers[name=django].env[name=ARGUS_DRIFT_PROBE]: set by hand (kubectl-set, 2026-12-07T00:37:25Z); the program does not set it: remove it by hand (a deploy removes it only while it changes this object, and only kubectl's)",
                    "  spec.template.spec.containers[name=websockets].env[name=DATABASE_URL].value: set by hand (kubectl-set, 2026-12-07T00:37:25Z); the program does not set it: remove it by hand (a deploy removes it only while it changes this object, and only kubectl's)",
                    "production: drifted: 1 object differs from the stack.",
                    "",
                ].join("\n"),
            );
            expect(report.exitCode).to.equal(1);
        });

        it("is not drifted by kubectl rollout restart's restartedAt annotation, nor by its controllers' status", () => {
            const onlyOursStatusAndRestart = (entries: { manager: string }[]) => [...entries.filter((e) => !e.manager.startsWith("kubectl")), restart];
            expect(driftReport("production", 0, sameStep(onlyOursStatusAndRestart))).to.deep.equal({ text: "production: no drift: the cluster matches the stack.\n", exitCode: 0 });
        });

        it("is not drifted by what kube-controller-manager writes outside status (a claim's binding: volumeName and its annotations)", () => {
            const binding = {
                manager: "kube-controller-manager",
                operation: "Update",
                time: "2026-12-07T08:46:35Z",
                fieldsV1: { "f:metadata": { "f:annotations": { "f:pv.kubernetes.io/bind-completed": {}, "f:pv.kubernetes.io/bound-by-controller": {} } }, "f:spec": { "f:volumeName": {} } },
            };
            const oursAndBinding = (entries: { manager: string }[]) => [...entries.filter((e) => !e.manager.startsWith("kubectl")), binding];
            expect(driftReport("production", 0, sameStep(oursAndBinding))).to.deep.equal({ text: "production: no drift: the cluster matches the stack.\n", exitCode: 0 });
        });

        it("is not listed field by field when the program replaces it: the old object goes, its hand-set fields with it", () => {
            const report = driftReport("production", 7, asStep("replace", notScale));
            expect(report.text).to.equal("Deployment argus-staging-api (namespace argus-staging): the program would replace it\nproduction: drifted: 1 object differs from the stack.\n");
        });
    });

    describe("the fields a manager owns, read from fieldsV1 (structured-merge-diff's managed-fields set)", () => {
        const paths = (fieldsV1: object) => managedFields.ownedPaths(fieldsV1).map(managedFields.readablePath);

        it("a list entry that owns itself (.) is one path, by its key fields; otherwise each leaf is one", () => {
            const kubectlSetEnv = {
                "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"django"}': { "f:env": { 'k:{"name":"NEW"}': { ".": {}, "f:name": {}, "f:value": {} } } } } } } },
            };
            expect(paths(kubectlSetEnv)).to.deep.equal(["spec.template.spec.containers[name=django].env[name=NEW]"]);
            expect(paths({ "f:spec": { "f:replicas": {}, "f:ports": { 'k:{"port":80,"protocol":"TCP"}': { "f:name": {} } } } })).to.deep.equal([
                "spec.replicas",
                "spec.ports[port=80,protocol=TCP].name",
            ]);
        });

        it("set members, indexes and field names with dots are readable too", () => {
            expect(paths({ "f:metadata": { "f:finalizers": { 'v:"example.com/keep"': {} }, "f:annotations": { "f:kubectl.kubernetes.io/restartedAt": {} } }, "f:args": { "i:2": {} } })).to.deep.equal([
                'metadata.finalizers["example.com/keep"]',
                'metadata.annotations["kubectl.kubernetes.io/restartedAt"]',
                "args[2]",
            ]);
        });

        it("refuses a path element it does not know, naming it", () => {
            expect(() => managedFields.ownedPaths({ "x:y": {} })).to.throw('managedFields: unknown path element "x:y": expected f:, k:, v: or i:');
        });
    });

    describe("right after pulumi up, with every object's managedFields (real preview output: refresh steps)", () => {
        it("says no drift: only the program's managers and controllers' status", () => {
            expect(driftReport("staging", 0, fixture("preview-refresh-no-drift-managed-fields.json"))).to.deep.equal({ text: "staging: no drift: the cluster matches the stack.\n", exitCode: 0 });
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
