// Who set which field of a Kubernetes object, from its metadata.managedFields: the fields some manager other than
// the program set (a hand edit), which no update step names, since server-side apply leaves fields it does not set.
// Each entry (ManagedFieldsEntry in pkg/apis/meta/v1/types.go, k8s.io/apimachinery v0.34.4) names a manager, an
// operation, a subresource, a time and fieldsV1: the set of fields it owns as nested objects whose keys are path
// elements, `f:<field>`, `k:<json object>` (a list entry by its key fields), `v:<json value>` (a set member),
// `i:<index>`, and `.` for the node itself (serialize-pe.go and serialize.go in fieldpath/,
// sigs.k8s.io/structured-merge-diff v6.3.0, the version apimachinery v0.34.4 requires).
"use strict";

// The program's managers: pulumi-kubernetes names its server-side apply field manager `pulumi-kubernetes-<random>`,
// one per object, kept in its state as __fieldManager (fieldManagerName in provider/pkg/provider/provider.go,
// pulumi-kubernetes v4.25.0).
const programManager = /^pulumi-kubernetes-/;
// The cluster's own controllers: kube-controller-manager writes some fields outside status, e.g. binding a
// PersistentVolumeClaim (spec.volumeName and the pv.kubernetes.io/bind-completed and bound-by-controller
// annotations, found on production's backups' claim). The API server names a manager by its client's user agent
// when it names none (managerOrUserAgent in pkg/endpoints/handlers/create.go, k8s.io/apiserver v0.34.4), which
// for that binary is kube-controller-manager. The cluster doing its work, not a hand edit.
const clusterControllers = /^kube-controller-manager$/;
// The annotation `kubectl rollout restart` puts on the Pod template to roll the Pods (defaultObjectRestarter in
// pkg/polymorphichelpers/objectrestarter.go, k8s.io/kubectl v0.34.4): a restart, not a change of what runs.
const restartedAt = "spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt";

/** One fieldsV1 key as a path element: { field }, { key } (a list entry's key fields), { value } or { index }. */
function pathElement(name) {
    const [kind, text] = [name.slice(0, 2), name.slice(2)];
    if (kind === "f:") return { field: text };
    if (kind === "k:") return { key: JSON.parse(text) };
    if (kind === "v:") return { value: JSON.parse(text) };
    if (kind === "i:") return { index: Number(text) };
    throw new Error(`managedFields: unknown path element "${name}": expected f:, k:, v: or i: (structured-merge-diff v6 fieldsV1)`);
}

/**
 * Each path a fieldsV1 set owns, as lists of path elements. A node that owns itself (`.`), as a list entry added
 * by hand does, is one path: its own fields come with it. Otherwise each leaf is one.
 */
function ownedPaths(fieldsV1, prefix = []) {
    return Object.entries(fieldsV1 ?? {})
        .filter(([name]) => name !== ".")
        .flatMap(([name, children]) => {
            const path = [...prefix, pathElement(name)];
            const names = Object.keys(children ?? {});
            return names.length === 0 || names.includes(".") ? [path] : ownedPaths(children, path);
        });
}

/** A path as people read it: `spec.template.spec.containers[name=django].env[name=NEW]`, `data["a.b"]`. */
function readablePath(path) {
    return path
        .map((element, i) => {
            if (element.field !== undefined) return /^[A-Za-z0-9_$-]+$/.test(element.field) ? `${i ? "." : ""}${element.field}` : `[${JSON.stringify(element.field)}]`;
            if (element.key !== undefined) return `[${Object.entries(element.key).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(",")}]`;
            if (element.value !== undefined) return `[${JSON.stringify(element.value)}]`;
            return `[${element.index}]`;
        })
        .join("");
}

/** The same path as property keys into `object` (list entries by index), as an update step's detailedDiff names it; undefined where the object has no such entry. */
function propertyKeys(path, object) {
    const keys = [];
    let node = object;
    for (const element of path) {
        let key = element.field ?? element.index;
        if (element.key !== undefined) key = (node ?? []).findIndex((entry) => Object.entries(element.key).every(([k, v]) => JSON.stringify(entry?.[k]) === JSON.stringify(v)));
        if (element.value !== undefined) key = (node ?? []).findIndex((entry) => JSON.stringify(entry) === JSON.stringify(element.value));
        if (key === -1) return undefined;
        keys.push(key);
        node = node?.[key];
    }
    return keys;
}

/**
 * Each field of an object that a manager other than the program set: { path, manager, time }. Not drift, so left
 * out: what a manager wrote through the status subresource (controllers report state there), what the cluster's
 * controllers wrote elsewhere, and a restart's annotation.
 */
function fieldsSetByHand(managedFields) {
    return (managedFields ?? [])
        .filter((entry) => !programManager.test(entry.manager ?? "") && !clusterControllers.test(entry.manager ?? "") && entry.subresource !== "status")
        .flatMap((entry) => ownedPaths(entry.fieldsV1).map((path) => ({ path, manager: entry.manager ?? "(no manager)", time: entry.time })))
        .filter(({ path }) => path.map((element) => element.field ?? "[]").join(".") !== restartedAt);
}

module.exports = { ownedPaths, readablePath, propertyKeys, fieldsSetByHand };
