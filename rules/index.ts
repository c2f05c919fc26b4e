/**
 * Every check a render must pass, in the order a render reports them: the schema, our hardening policy, the
 * Services and Ingresses, names and labels, then references. The render runs them all at once (render/index.ts);
 * the policy pack runs the same rules in the engine (policy/rules.ts).
 */
import { CheckFailure } from "./failure";
import { hardeningFailures } from "./hardening";
import { nameFailures } from "./names";
import { KubernetesObject } from "./objects";
import { referenceFailures } from "./references";
import { schemaFailures } from "./schema";
import { serviceFailures } from "./services";

/** Every check a render must pass; `externals` are objects the stack declares an operator makes (`Kind/name`). */
export function checkObjects(objects: KubernetesObject[], externals: readonly string[] = []): CheckFailure[] {
    return [...schemaFailures(objects), ...hardeningFailures(objects), ...serviceFailures(objects), ...nameFailures(objects), ...referenceFailures(objects, externals)];
}
