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
    /** `namespace`: the config namespace the keys live under (`argus` for the main program, `argus-deployers` for deployers/). */
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
        namespace = "argus",
    ) {
        super(formatProblems(stack, problems, namespace));
        this.name = "ConfigError";
    }
}

function formatProblems(stack: string, problems: readonly ConfigProblem[], namespace: string): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => {
        const where = p.key === "stack" ? "stack name" : `${namespace}:${p.key}`;
        return `  - ${where}: ${p.problem} Fix: ${p.fix}`;
    });
    return [`The configuration of stack "${stack}" has ${count}; nothing was created.`, ...lines].join("\n");
}
