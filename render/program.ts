import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, RenderMocks } from "./mocks";
import { ProgramConfig } from "./stackConfig";

/** Drains the queue of pending registrations; exported by the SDK at run time, left out of its typings. */
const internalRuntime = pulumi.runtime as typeof pulumi.runtime & { waitForRPCs(): Promise<void> };

export interface ProgramRun {
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, unknown>;
}

export type PulumiProgram = () => Promise<Record<string, unknown>>;

function resourceKey(resource: pulumi.Resource | undefined, keys: WeakMap<pulumi.Resource, string>): string | undefined {
    return resource ? keys.get(resource) : undefined;
}

/**
 * Runs a Pulumi program in this process under the mock runtime, as a `pulumi preview` of a new stack:
 * inside a root Stack resource, with the given config, and returns every resource it registered.
 */
export async function runProgram(
    project: string,
    stack: string,
    config: ProgramConfig,
    program: PulumiProgram,
    mocks: RenderMocks = new RenderMocks(),
): Promise<ProgramRun> {
    // "organization" is what self-managed backends call every stack's organization.
    await pulumi.runtime.setMocks(mocks, project, stack, true, "organization");
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);

    const keys = new WeakMap<pulumi.Resource, string>();
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        const root = pulumi.runtime.getStackResource();
        if (root) {
            keys.set(root, `pulumi:pulumi:Stack::${project}-${stack}`);
        }
        // The engine knows each resource's parent and dependsOn; the mock does not, so note them as resources
        // are constructed. The program passes dependsOn as plain resources, never as outputs.
        pulumi.runtime.registerStackTransformation((args) => {
            const key = `${args.type}::${args.name}`;
            keys.set(args.resource, key);
            const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []).filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d));
            const dependencyKeys = dependsOn.map((d) => resourceKey(d, keys)).filter((k): k is string => k !== undefined);
            mocks.noteOptions(args.type, args.name, resourceKey(args.opts.parent ?? root, keys), dependencyKeys);
            return undefined;
        });
        return program();
    });
    await internalRuntime.waitForRPCs();
    return { resources: mocks.resources, outputs: (outputs ?? {}) as Record<string, unknown> };
}
