/**
 * Orders strings by their UTF-16 code units, the same on every machine: `localeCompare` follows the
 * machine's locale and ICU data, so sorted output could differ between a laptop and CI.
 */
export function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
