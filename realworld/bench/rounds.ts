// The benchmark's loop: every round runs each tool's steps in turn (the tools' order rotated by one each round,
// so none always runs first, on a colder API server), timing each step; after each step an untimed check of what
// it must leave (checks.ts), and after each tool the namespace emptied, so the next one starts from nothing.
// A failed step (its command, or its check) is recorded and ends that tool's round; the run goes on.
import { emptyTimings, StepName, Timings, ToolName } from "./table";

export interface Step {
    readonly step: StepName;
    /** Untimed, before the step: e.g. the stack's config set to the value this step deploys. */
    readonly prepare?: () => Promise<void>;
    /** The timed part: the tool's commands, throwing an error that names the one that failed. */
    readonly run: () => Promise<void>;
}

export interface Tool {
    readonly name: ToolName;
    readonly steps: readonly Step[];
    /** After a failed step, untimed: undo what the tool's own bookkeeping still holds (a stack's state, a release). */
    readonly recover: () => Promise<void>;
}

/** The steps of a tool without a preview (kubectl, Helm): `deploy` from nothing and again unchanged, `change` to the other setting, `remove`. */
export function stepsWithoutPreview(deploy: () => Promise<void>, change: () => Promise<void>, remove: () => Promise<void>): Step[] {
    return [
        { step: "from nothing", run: deploy },
        { step: "no change", run: deploy },
        { step: "one setting", run: change },
        { step: "delete", run: remove },
    ];
}

/** What the run measured, and every failure, each naming the round, tool, step and what went wrong. */
export interface Outcome {
    readonly timings: Timings;
    readonly failures: string[];
}

/** Untimed checks by step (the same for every tool), and the clean-up between tools. */
export interface Judge {
    readonly checks: Partial<Record<StepName, () => Promise<void>>>;
    readonly emptyNamespace: () => Promise<void>;
}

/** The tools in the order round `round` (0-based) runs them: rotated left by `round`. */
export function orderOfRound<T>(tools: readonly T[], round: number): T[] {
    const shift = round % tools.length;
    return [...tools.slice(shift), ...tools.slice(0, shift)];
}

function messageOf(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

async function runTool(tool: Tool, judge: Judge, label: string, outcome: Outcome): Promise<void> {
    for (const step of tool.steps) {
        const where = `${label}, ${tool.name} ${step.step}`;
        try {
            await step.prepare?.();
            const start = Date.now();
            await step.run();
            const seconds = (Date.now() - start) / 1000;
            await judge.checks[step.step]?.();
            (outcome.timings[tool.name][step.step] ??= []).push(seconds);
            console.log(`${where}: ${seconds.toFixed(2)} s`);
        } catch (err) {
            outcome.failures.push(`${where} FAILED: ${messageOf(err)}`);
            console.log(`${where} FAILED (the report lists why)`);
            await tool.recover().catch((e) => outcome.failures.push(`${where}: recovering failed too: ${messageOf(e)}`));
            return;
        }
    }
}

/** Runs `rounds` rounds of every tool; never throws for a failed step (the outcome lists it). */
export async function runRounds(tools: readonly Tool[], rounds: number, judge: Judge): Promise<Outcome> {
    const outcome: Outcome = { timings: emptyTimings(), failures: [] };
    for (let round = 0; round < rounds; round++) {
        for (const tool of orderOfRound(tools, round)) {
            const label = `round ${round + 1} of ${rounds}`;
            await runTool(tool, judge, label, outcome);
            await judge.emptyNamespace().catch((err) => outcome.failures.push(`${label}, emptying the namespace after ${tool.name}: ${messageOf(err)}`));
        }
    }
    return outcome;
}
