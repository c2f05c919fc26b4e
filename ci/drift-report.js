// Turns what `pulumi preview --refresh --json` printed (standard input) into drift.txt, for operators: each object
// the program would change back and which of its fields, each field set by hand that the program does not set (from
// the objects' managedFields: ci/drift/managedFields.js), then a last line: drifted, no drift, or not compared.
// Usage: node ci/drift-report.js <stack> <exit code of the preview> <preview.json >drift.txt
// Exits 0 (no drift), 1 (drifted) or 2 (not compared). Plain Node: the drift job runs before anything is compiled.
// The JSON's shape: PreviewDigest and PreviewStep in pkg/display/json.go, filled by ShowPreviewDigest in
// pkg/backend/display/json.go (pulumi v3.248.0).
"use strict";

const { fieldsSetByHand, propertyKeys, readablePath } = require("./drift/managedFields.js");

// Steps that change nothing: the refresh's own reads of every object, a stack reference's read, unchanged objects.
const unchanged = new Set(["same", "refresh", "read"]);
// The CLI's exit code when --expect-no-changes finds changes (ExitNoChanges, pkg/cmd/pulumi/cmd/exit_codes.go, v3.248.0).
const changesProposed = 7;
// What the JSON holds in place of a secret (massagePropertyValue, pkg/backend/display/json.go) and of a value known
// only after the update (UnknownStringValue, sdk/go/common/resource/plugin/rpc.go), pulumi v3.248.0.
const secretMask = "[secret]";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
// An env var whose name says it holds a secret: typed by hand into the cluster, the engine cannot know it is one.
const secretName = /pass|secret|token|key|credential|database_url/i;

const whatTheProgramDoes = {
    update: "the program would change it back",
    create: "missing from the cluster: the program would create it",
    delete: "not in the program: it would be deleted",
    replace: "the program would replace it",
    same: "the program would leave it as it is",
    refresh: "the program would leave it as it is",
};
// Steps after which the object is still the same one in the cluster, so a field set by hand stays on it; a replaced
// or deleted object takes its hand-set fields with it.
const keepsTheObject = new Set(["same", "refresh", "update"]);

/** A property path of a detailed diff (`spec.template.spec.containers[0].env[3].value`, `a["b.c"]`) as keys. */
function pathKeys(path) {
    return [...path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3])));
}

/** The value at `keys`; the mask itself inside a masked secret. */
function valueAt(object, keys) {
    return keys.reduce((value, key) => (value === secretMask ? secretMask : value?.[key]), object);
}

/** True when a field's values must not be printed: the engine masked one, or it is (in) a secret-looking env var's value. */
function isSecret(keys, values, states) {
    if (values.some((v) => JSON.stringify(v ?? null).includes(secretMask))) return true;
    const env = keys.lastIndexOf("env");
    if (env < 0 || typeof keys[env + 1] !== "number" || !["", "value"].includes(keys.slice(env + 2).join("."))) return false;
    return states.some((state) => secretName.test(String(valueAt(state, [...keys.slice(0, env + 2), "name"]) ?? "")));
}

/** One value as the report shows it: as JSON when short, else by what it is. */
function shown(value) {
    if (value === undefined) return "(none)";
    if (value === unknownValue) return "(known after the update)";
    const json = JSON.stringify(value);
    return json.length <= 120 ? json : typeof value === "object" ? "(an object)" : `${json.slice(0, 100)}..." (${String(value).length} characters)`;
}

/** How one field differs, from the cluster's value to the program's: `path: old -> new`, no secret shown. */
function fieldLine(step, path, diff) {
    const keys = pathKeys(path);
    const states = [diff.inputDiff ? step.oldState?.inputs : step.oldState?.outputs, step.newState?.inputs];
    const values = states.map((state) => valueAt(state, keys));
    if (isSecret(keys, values, states)) return `  ${path}: changed (a secret: its value is not shown)`;
    return `  ${path}: ${shown(values[0])} -> ${shown(values[1])}`;
}

/** The object a step is about: `Deployment argus-staging-api (namespace argus-staging)`, from its state or its URN. */
function objectName(step) {
    const object = (step.newState ?? step.oldState)?.inputs ?? {};
    const [type, name] = step.urn.split("::").slice(-2);
    const namespace = object.metadata?.namespace;
    return `${object.kind ?? type.split("$").pop()} ${object.metadata?.name ?? name}${namespace ? ` (namespace ${namespace})` : ""}`;
}

/** True when two property paths name the same field, or one lies inside the other. */
function overlaps(keys, otherKeys) {
    const length = Math.min(keys.length, otherKeys.length);
    return keys.slice(0, length).every((key, i) => String(key) === String(otherKeys[i]));
}

/**
 * Each field of `object` (the cluster's, as the refresh read it) that a hand edit set and the program does not:
 * server-side apply leaves it, so no step names it. A deploy that updates the object first takes over what kubectl
 * set (fixCSAFieldManagers, provider/pkg/await/await.go, pulumi-kubernetes v4.25.0) and then drops it; else it stays. Its value is not shown: it may be a secret. A field the step's
 * detailed diff already names (`kubectl scale`'s spec.replicas) is not listed twice.
 */
function handSetLines(step, object) {
    if (!object || !keepsTheObject.has(step.op)) return [];
    const named = Object.keys(step.detailedDiff ?? {}).map(pathKeys);
    return fieldsSetByHand(object.metadata?.managedFields)
        .filter(({ path }) => {
            const keys = propertyKeys(path, object);
            return !keys || !named.some((namedKeys) => overlaps(keys, namedKeys));
        })
        .map(({ path, manager, time }) => `  ${readablePath(path)}: set by hand (${manager}, ${time ?? "no time recorded"}); the program does not set it: remove it by hand (a deploy removes it only while it changes this object, and only kubectl's)`);
}

/**
 * Each Kubernetes object of the stack as the refresh read it from the cluster, by URN: the oldState of its step.
 * Not a refresh step's newState: the JSON keeps a refresh step as it was announced, with the state the stack held
 * before, unless the refresh itself found a detailed diff (ShowPreviewDigest in pkg/backend/display/json.go, pulumi
 * v3.248.0; real runs showed it stale). It is the fallback for an object with no other step: an unchanged object
 * has a `same` step in the JSON only with --show-sames (shouldShow in pkg/backend/display/display.go).
 */
function clusterObjects(steps) {
    const objects = new Map();
    for (const step of steps) {
        const state = step.op === "refresh" ? step.newState : step.oldState;
        if (!state?.outputs?.metadata?.managedFields || (step.op === "refresh" && objects.has(step.urn))) continue;
        objects.set(step.urn, { step, object: state.outputs });
    }
    return objects;
}

/** The lines of one object that drifted: what the program would do, then each field it would change, then each set by hand. */
function objectLines(step, object) {
    const fields = Object.entries(step.detailedDiff ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const heading = `${objectName(step)}: ${whatTheProgramDoes[step.op] ?? `the program would ${step.op} it`}`;
    return [heading, ...fields.map(([path, diff]) => fieldLine(step, path, diff)), ...handSetLines(step, object)];
}

/**
 * The drift report of one stack from the preview's exit code and its JSON: { text, exitCode }. Exit code 0 no drift,
 * 1 drifted (a step that changes something, or the CLI's exit code 7), 2 not compared (the preview failed with nothing
 * to show). A preview that failed after listing changes is drifted, its errors said: the list may be incomplete.
 */
function driftReport(stack, previewExitCode, previewJson) {
    let digest;
    try {
        digest = JSON.parse(previewJson);
    } catch {
        digest = undefined;
    }
    const steps = digest?.steps ?? [];
    const objects = clusterObjects(steps);
    const changed = steps.filter((step) => !unchanged.has(step.op)).map((step) => objectLines(step, objects.get(step.urn)?.object));
    const setByHand = [...objects.values()].filter(({ step }) => unchanged.has(step.op)).map(({ step, object }) => objectLines(step, object)).filter((lines) => lines.length > 1);
    const drifted = [...changed, ...setByHand];
    const errors = (digest?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `  ${d.message.trim().replace(/\s*\n\s*/g, " ")}`);
    const failed = ![0, changesProposed].includes(previewExitCode);
    const failure = failed ? [`The preview failed (exit ${previewExitCode})${digest ? "" : " and printed no JSON"}${drifted.length ? ", so this list may be incomplete" : ""}:`, ...errors] : [];
    let last = `${stack}: no drift: the cluster matches the stack.`;
    if (drifted.length > 0 || previewExitCode === changesProposed) last = `${stack}: drifted: ${drifted.length === 1 ? "1 object differs" : `${drifted.length} objects differ`} from the stack.`;
    else if (failed) last = `${stack}: not compared: the preview failed (the job log says why).`;
    const exitCode = last.includes(": drifted:") ? 1 : failed ? 2 : 0;
    return { text: [...drifted.flat(), ...failure, last].join("\n") + "\n", exitCode };
}

module.exports = { driftReport };

if (require.main === module) {
    const [stack, exitCode] = process.argv.slice(2);
    const report = driftReport(stack, Number(exitCode), require("fs").readFileSync(0, "utf8"));
    process.stdout.write(report.text);
    process.exitCode = report.exitCode;
}
