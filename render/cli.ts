import * as path from "path";
import { ConfigError } from "../stacks";
import { renderStack, stackProgramConfig, writeRendering } from ".";
import { CheckError } from "../rules/failure";
import { EngineConfigError } from "./engineConfig";
import { projectRoot } from "../util/projectRoot";

const usage = "usage: npm run render -- <stack> [--out DIR]   (stacks: production, staging, review, review-<slug>)";

function parseArgs(argv: string[]): { stack: string; out: string } | string {
    const positional: string[] = [];
    let out: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out") {
            out = argv[++i];
            if (!out) {
                return "--out needs a folder.";
            }
        } else if (argv[i].startsWith("-")) {
            return `unknown option ${argv[i]}.`;
        } else {
            positional.push(argv[i]);
        }
    }
    if (positional.length !== 1) {
        return "name exactly one stack.";
    }
    return { stack: positional[0], out: out ?? path.join(projectRoot, "rendered", positional[0]) };
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    if (typeof args === "string") {
        console.error(`render: ${args}\n${usage}`);
        return 1;
    }
    try {
        const rendering = await renderStack(args.stack, stackProgramConfig(args.stack, process.env));
        const files = writeRendering(rendering, args.out);
        console.log(`Rendering stack ${args.stack} (offline, as \`pulumi preview\` of a new stack would create it):\n`);
        console.log(rendering.summary);
        console.log(`\nWrote ${files.map((f) => path.relative(process.cwd(), f)).join(" and ")} (${rendering.objects.length} Kubernetes objects).`);
        return 0;
    } catch (err) {
        const explained = err instanceof ConfigError || err instanceof CheckError || err instanceof EngineConfigError;
        const message = explained ? (err as Error).message : `render: ${(err as Error).message ?? String(err)}`;
        console.error(message);
        return 1;
    }
}

main().then((code) => process.exit(code));
