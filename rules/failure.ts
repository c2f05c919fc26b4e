/** What a rule reports, how a render reports it, and how the rules that need one object alone are run. */
import { KubernetesObject } from "./objects";

/** One broken rule in one object. */
export interface CheckFailure {
    /** `Kind namespace/name`. */
    readonly object: string;
    readonly rule: string;
    readonly message: string;
}

/** Raised when a render breaks the schema or our policy; nothing is written then. */
export class CheckError extends Error {
    constructor(readonly failures: readonly CheckFailure[]) {
        super(
            [`${failures.length} check(s) failed; nothing was written:`, ...failures.map((f) => `  - ${f.object}: [${f.rule}] ${f.message}`)].join(
                "\n",
            ),
        );
        this.name = "CheckError";
    }
}

export function objectId(o: KubernetesObject): string {
    return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

/**
 * A rule that needs one object alone. The policy pack runs each as a policy of its own on each resource
 * (policy/rules.ts), so a value unknown during a preview that one rule reads (an image digest, a name made
 * from it) leaves every other rule enforced. `fail` takes the message; the caller knows the object.
 */
export interface ObjectRule {
    readonly name: string;
    readonly description: string;
    check(o: KubernetesObject, fail: (message: string) => void): void;
}

/** Runs single-object rules over objects, object by object, each object's rules in order. */
export function runObjectRules(objects: KubernetesObject[], rules: readonly ObjectRule[]): CheckFailure[] {
    return objects.flatMap((o) => rules.flatMap((rule) => {
        const failures: CheckFailure[] = [];
        rule.check(o, (message) => failures.push({ object: objectId(o), rule: rule.name, message }));
        return failures;
    }));
}
