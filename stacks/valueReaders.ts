/** Readers of values that several sections share: names of existing objects, comma lists, keys that go together. */
import { ConfigReader } from "./configReader";
import { isDnsSubdomain } from "../util/validators";

/** Refuses a name of an object that must already exist in the cluster, when the API server would refuse it. */
export function checkObjectName<Key extends string>(read: ConfigReader<Key>, key: Key, kind: string): string {
    const name = read.string(key);
    if (name && !isDnsSubdomain(name)) {
        read.fail(key, `${JSON.stringify(name)} is not a valid ${kind} name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.`, read.setCommand(key));
    }
    return name;
}

/** A Python class path such as argus_ticket_rt.RequestTrackerPlugin. */
export const dottedPath = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Comma-separated items, trimmed, empty ones dropped. */
export function list(text: string): string[] {
    return text
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

/** Reports the missing one of two keys that only make sense together. */
export function requireTogether<Key extends string>(read: ConfigReader<Key>, [keyA, a]: [Key, string | undefined], [keyB, b]: [Key, string | undefined]): void {
    if (Boolean(a) !== Boolean(b)) {
        const [missing, present] = a ? [keyB, keyA] : [keyA, keyB];
        read.fail(missing, `is required when ${present} is set.`, read.setCommand(missing));
    }
}
