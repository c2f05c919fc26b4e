// Turns what `pulumi preview --refresh --json` printed (standard input) into drift.txt, for operators: each object
// the program would change back and which of its fields, then a last line: drifted, no drift, or not compared.
// Usage: node ci/drift-report.js <stack> <exit code of the preview> <preview.json >drift.txt
// Exits 0 (no drift), 1 (drifted) or 2 (not compared). Plain Node: the drift job runs before anything is compiled.
// The JSON's shape: PreviewDigest and PreviewStep in pkg/display/json.go, filled by ShowPreviewDigest in
// pkg/backend/display/json.go (pulumi v3.248.0).
"use strict";

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
};

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

/** The lines of one object that drifted: what the program would do, then each field. */
function objectLines(step) {
    const fields = Object.entries(step.detailedDiff ?? {}).sort(([a], [b]) => a.localeCompare(b));
    return [`${objectName(step)}: ${whatTheProgramDoes[step.op] ?? `the program would ${step.op} it`}`, ...fields.map(([path, diff]) => fieldLine(step, path, diff))];
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
    const drifted = (digest?.steps ?? []).filter((step) => !unchanged.has(step.op));
    const errors = (digest?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `  ${d.message.trim().replace(/\s*\n\s*/g, " ")}`);
    const failed = ![0, changesProposed].includes(previewExitCode);
    const failure = failed ? [`The preview failed (exit ${previewExitCode})${digest ? "" : " and printed no JSON"}${drifted.length ? ", so this list may be incomplete" : ""}:`, ...errors] : [];
    let last = `${stack}: no drift: the cluster matches the stack.`;
    if (drifted.length > 0 || previewExitCode === changesProposed) last = `${stack}: drifted: ${drifted.length === 1 ? "1 object differs" : `${drifted.length} objects differ`} from the stack.`;
    else if (failed) last = `${stack}: not compared: the preview failed (the job log says why).`;
    const exitCode = last.includes(": drifted:") ? 1 : failed ? 2 : 0;
    return { text: [...drifted.flatMap(objectLines), ...failure, last].join("\n") + "\n", exitCode };
}

module.exports = { driftReport };

if (require.main === module) {
    const [stack, exitCode] = process.argv.slice(2);
    const report = driftReport(stack, Number(exitCode), require("fs").readFileSync(0, "utf8"));
    process.stdout.write(report.text);
    process.exitCode = report.exitCode;
}
