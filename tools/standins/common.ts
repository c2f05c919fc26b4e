// Helpers shared by the test-only stand-in plugins (tools/standins/*.ts). Nothing here is upstream code.
import * as crypto from "crypto";

// A secret or unknown value arrives as the engine's wire encoding, since our provider's Configure answers
// acceptSecrets (@pulumi/pulumi v3.248.0 provider/server.js `configure`; the markers are
// sdk/go/common/resource/sig/sig.go `Secret` and plugin/rpc.go `UnknownStringValue` at pulumi v3.248.0).
const secretSig = "4dabf18193072939515e22adb298388d";
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The plain value of an input, a secret unwrapped; undefined for an unknown. */
export function plain(value: unknown): unknown {
    if (value === unknown) return undefined;
    if (value && typeof value === "object" && (value as Record<string, unknown>)[secretSig] !== undefined) {
        return plain((value as Record<string, unknown>).value);
    }
    return value;
}

/** The plain value of an input with every secret inside it unwrapped (arrays and objects walked). */
export function deepPlain(value: unknown): unknown {
    const v = plain(value);
    if (Array.isArray(v)) return v.map(deepPlain);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepPlain(x)]));
    return v;
}

/** A digest that stands in for one the real plugin would get from a registry or a build: fixed per input. */
export function standInDigest(...parts: unknown[]): string {
    return "sha256:" + crypto.createHash("sha256").update(JSON.stringify(["stand-in", ...parts])).digest("hex");
}

/**
 * A diff that replaces the resource when any input changed (JSON comparison of the two input sets). `olds` is
 * the old state, the inputs plus what create added (@pulumi/pulumi v3.248.0 provider/server.js `diff` passes
 * `req.getOlds()`, the outputs): those `outputKeys` are no inputs, or every update would replace the resource.
 */
export function replaceOnAnyChange(olds: Record<string, unknown>, news: Record<string, unknown>, outputKeys: string[] = []) {
    const keys = new Set([...Object.keys(olds ?? {}).filter((k) => !outputKeys.includes(k)), ...Object.keys(news ?? {})]);
    const replaces = [...keys].filter((k) => JSON.stringify(plain(olds?.[k])) !== JSON.stringify(plain(news?.[k])));
    return { changes: replaces.length > 0, replaces };
}
