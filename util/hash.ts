import { createHash } from "crypto";

/** The hex SHA-256 of the parts, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ. */
export function sha256Hex(...parts: string[]): string {
    const hash = createHash("sha256");
    parts.forEach((p) => hash.update(p).update("\0"));
    return hash.digest("hex");
}
