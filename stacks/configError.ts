import * as pulumi from "@pulumi/pulumi";

/** One problem with one config key. */
export interface ConfigProblem {
    /** The key without namespace, or "stack" for a problem with the stack name itself. */
    readonly key: string;
    readonly problem: string;
    readonly fix: string;
}

/**
 * All problems found in a stack's configuration, reported together.
 *
 * A `RunError` so that `pulumi up` prints the message alone, without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(formatProblems(stack, problems));
        this.name = "ConfigError";
    }
}

function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => {
        const where = p.key === "stack" ? "stack name" : `argus:${p.key}`;
        return `  - ${where}: ${p.problem} Fix: ${p.fix}`;
    });
    return [`The configuration of stack "${stack}" has ${count}; nothing was created.`, ...lines].join("\n");
}
