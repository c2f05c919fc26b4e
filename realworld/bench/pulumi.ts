// The pulumi side: production's stack in a cluster-suite workspace (prepareProduction: production's deployer
// identity, its images in the suite's registry), run with the commands CI runs.
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { setConfig } from "../cluster/workspace";
import { Tool } from "./rounds";

/** One pulumi command: its arguments and the environment it adds. */
export interface PulumiCommand {
    readonly args: readonly string[];
    readonly env: Readonly<Record<string, string>>;
}

/**
 * The commands, as ci/stack.sh runs them: `preview` its preview action's; `up` its up action's in the form
 * without a refresh first and without the update's own preview (`--skip-preview`); `destroy` with
 * `--skip-preview` too. PULUMI_K8S_ENABLE_PATCH_FORCE as ci/stack.sh sets it for preview and up.
 */
export function pulumiSteps(stack: string): Record<"preview" | "up" | "destroy", PulumiCommand> {
    const patchForce = { PULUMI_K8S_ENABLE_PATCH_FORCE: "true" };
    return {
        preview: { args: ["preview", "--diff", "--non-interactive", "--policy-pack", "policy", "--stack", stack], env: patchForce },
        up: { args: ["up", "--yes", "--skip-preview", "--diff", "--non-interactive", "--policy-pack", "policy", "--stack", stack], env: patchForce },
        destroy: { args: ["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], env: {} },
    };
}

/** The one setting the change step moves, and its two values (every round deploys `from`, then changes to `to`). */
export interface Setting {
    readonly key: string;
    readonly from: string;
    readonly to: string;
}

async function pulumi(ws: Workspace, command: PulumiCommand): Promise<void> {
    const result = await ws.pulumi([...command.args], { env: { ...command.env }, timeoutMs: 900_000 });
    if (result.code !== 0) throw new Error(`pulumi ${command.args.join(" ")} exited ${result.code}:\n${tail(result)}`);
}

/** Production's stack in `ws` (prepared by prepareProduction), each round from nothing to nothing. */
export function pulumiTool(ws: Workspace, stack: string, setting: Setting): Tool {
    const steps = pulumiSteps(stack);
    return {
        name: "pulumi",
        steps: [
            { step: "preview", prepare: () => setConfig(ws, stack, { [setting.key]: setting.from }), run: () => pulumi(ws, steps.preview) },
            { step: "from nothing", run: () => pulumi(ws, steps.up) },
            { step: "no change", run: () => pulumi(ws, steps.up) },
            { step: "one setting", prepare: () => setConfig(ws, stack, { [setting.key]: setting.to }), run: () => pulumi(ws, steps.up) },
            { step: "delete", run: () => pulumi(ws, steps.destroy) },
        ],
        // What a failed step left in the stack's state goes with a destroy (the namespace is emptied after it anyway).
        recover: () => pulumi(ws, steps.destroy),
    };
}
