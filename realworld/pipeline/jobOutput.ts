// What the tests read in the interpreter's output.
import { Result } from "../shared/process";

/**
 * One job's own output: the interpreter prints each line of it as `<job> > <line>`, the name padded with spaces to
 * the longest of the jobs it runs (gitlab-ci-local 4.75.1, seen here; src/parser.ts jobNamePad), beside its own
 * lines about the job (`<job> $ <command>`, timings), which are left out.
 */
export function jobOutput(result: Result, job: string): string {
    const prefix = new RegExp(`^${job.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +> `);
    return result.output
        .split("\n")
        .filter((l) => prefix.test(l))
        .map((l) => l.replace(prefix, ""))
        .join("\n");
}
