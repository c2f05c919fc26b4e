/**
 * Secret values that must never reach the test output. Every test secret is made here (testSecret), and every
 * log and command output the harness hands to a test or a failure message passes through redact().
 */
import * as crypto from "crypto";

const secretValues = new Set<string>();

/** A random test secret, registered for redaction. */
export function testSecret(bytes = 18): string {
    const value = crypto.randomBytes(bytes).toString("base64url");
    secretValues.add(value);
    return value;
}

/** The text with every registered secret (and its URL-encoded form) replaced by "[secret]". */
export function redact(text: string): string {
    let out = text;
    for (const s of secretValues) {
        out = out.split(s).join("[secret]");
        const q = encodeURIComponent(s);
        if (q !== s) out = out.split(q).join("[secret]");
    }
    return out;
}
