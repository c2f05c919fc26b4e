// What the tests read in the interpreter's output and in a preview's artifact.
import { Result } from "../shared/process";

/** The job's section of the interpreter's output (its lines start with the job's name). */
export function jobLines(result: Result, job: string): string {
    return result.output
        .split("\n")
        .filter((l) => l.startsWith(`${job} `))
        .join("\n");
}

/** The counts of a preview's or update's last "Resources:" block, as { "to create": 3 } or { created: 3, unchanged: 30 }. */
export function resourceCounts(text: string): Record<string, number> {
    const at = text.lastIndexOf("Resources:");
    const counts: Record<string, number> = {};
    for (const m of text.slice(at).matchAll(/(\d+) (to create|to update|to replace|to delete|created|updated|replaced|deleted|unchanged)\b/g)) counts[m[2]] = Number(m[1]);
    return counts;
}
