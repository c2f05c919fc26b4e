/** The Kubernetes OpenAPI schema, offline: each object against the validator kubernetes-models ships for its kind. */
import { CheckFailure, objectId } from "./failure";
import { KubernetesObject } from "./objects";

type ModelClass = new (data: unknown) => { validate(): void };

/** The kubernetes-models class of an object's apiVersion and kind, or undefined when the package has none. */
function modelClass(o: KubernetesObject): ModelClass | undefined {
    const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
    try {
        // Loaded per kind on demand: the validators are large, and a render needs only a handful.
        return require(`kubernetes-models/${group ? `${group}/` : ""}${version}/${o.kind}`)[o.kind] as ModelClass;
    } catch {
        return undefined;
    }
}

/** Validates each object offline against the Kubernetes OpenAPI schema that kubernetes-models ships. */
export function schemaFailures(objects: KubernetesObject[]): CheckFailure[] {
    return objects.flatMap((o) => {
        const Model = modelClass(o);
        if (!Model) {
            return [{ object: objectId(o), rule: "schema", message: `no schema for ${o.apiVersion} ${o.kind}.` }];
        }
        try {
            new Model(o).validate();
            return [];
        } catch (err) {
            // Only the schema's verdict is a failure; anything else (in the policy pack, a value unknown
            // during a preview) goes to the caller, which knows what it means.
            if ((err as { constructor?: { name?: string } }).constructor?.name !== "ValidationError") throw err;
            return [{ object: objectId(o), rule: "schema", message: (err as Error).message }];
        }
    });
}
