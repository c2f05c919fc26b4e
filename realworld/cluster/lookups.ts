// Prints, as JSON, the image references a stack's program looks up in the registry (docker.getRegistryImage's
// `name`: components/image.ts imageReference, `<imageRepository>/<component>:<content tag>`), found by running
// the program under the offline render's mock runtime (render/index.ts renderStack) with the stack's config
// as the render reads it (its stack file, PULUMI_CONFIG overrides). The cluster suite runs it in its
// workspace's copy of the project, so the content tags hash the very files `pulumi up` runs with.
// Usage: node --require scripts/register-ts.js realworld/cluster/lookups.ts <stack>
import * as pulumi from "@pulumi/pulumi";
import { renderStack, stackProgramConfig } from "../../render";
import { RenderMocks } from "../../render/mocks";

class RecordingMocks extends RenderMocks {
    readonly lookups: string[] = [];

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (args.token === "docker:index/getRegistryImage:getRegistryImage") this.lookups.push(String(args.inputs.name));
        return super.call(args);
    }
}

async function main(stack: string): Promise<void> {
    const mocks = new RecordingMocks();
    await renderStack(stack, stackProgramConfig(stack, process.env), undefined, mocks);
    console.log(JSON.stringify([...new Set(mocks.lookups)].sort()));
}

main(process.argv[2] ?? "production").catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
});
