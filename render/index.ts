import * as fs from "fs";
import * as path from "path";
import { knownStacksHelp, parseStackName } from "../stacks/stackName";
import { ConfigError } from "../stacks";
import { checkObjects } from "../rules";
import { CheckError } from "../rules/failure";
import { applyProjectConfig } from "./engineConfig";
import { kubernetesObjects, manifestsYaml, resourceListing } from "./manifests";
import { KubernetesObject } from "../rules/objects";
import { RecordedResource, RenderMocks } from "./mocks";
import { PulumiProgram, runProgram } from "./program";
import {
    ProgramConfig,
    projectName,
    readStackConfigFile,
    withCiProvidedSecrets,
    withEnvironmentOverrides,
} from "./stackConfig";
import { resourceTree, typeCounts } from "./tree";
import { projectRoot } from "../util/projectRoot";

export interface Rendering {
    readonly stack: string;
    readonly resources: RecordedResource[];
    readonly objects: KubernetesObject[];
    readonly outputs: Record<string, unknown>;
    readonly manifestsYaml: string;
    readonly resourcesJson: string;
    /** The resource tree and the count per type, for the terminal. */
    readonly summary: string;
}

/**
 * The config a stack's program sees in its deploy job: its stack file (a review-<slug> stack's is made from
 * Pulumi.review.yaml), overrides from the environment, then the secrets CI sets where the stack needs them.
 */
export function stackProgramConfig(stack: string, env: NodeJS.ProcessEnv = {}, root = projectRoot): ProgramConfig {
    const identity = parseStackName(stack);
    if (typeof identity === "string") {
        throw new ConfigError(stack, [{ key: "stack", problem: identity, fix: knownStacksHelp }]);
    }
    // Overrides first: what CI sets depends on the stack's other values (no database URL beside existingApiSecret).
    return withCiProvidedSecrets(withEnvironmentOverrides(readStackConfigFile(path.join(root, identity.configFile)), env), identity.environment);
}

function loadProgram(): PulumiProgram {
    // Required, not imported: the program module must load after the mock runtime is set up.
    return require("../index") as PulumiProgram;
}

/**
 * Runs the real program (index.ts) for a stack under the mock runtime and renders what it would create.
 * Throws EngineConfigError where the CLI would refuse the stack's config before running the program, CheckError when an object breaks the Kubernetes schema or our policy (rules/).
 */
export async function renderStack(stack: string, config: ProgramConfig, program: PulumiProgram = loadProgram(), mocks?: RenderMocks): Promise<Rendering> {
    // `config` is the stack's own; the program gets it as the CLI would hand it over, project defaults merged.
    const run = await runProgram(projectName(), stack, applyProjectConfig(stack, config), program, mocks);
    const objects = kubernetesObjects(run.resources);
    const failures = checkObjects(objects, (run.outputs.externalObjects ?? []) as string[]);
    if (failures.length > 0) {
        throw new CheckError(failures);
    }
    return {
        stack,
        resources: run.resources,
        objects,
        outputs: run.outputs,
        manifestsYaml: manifestsYaml(objects),
        resourcesJson: JSON.stringify(resourceListing(run.resources), null, 2) + "\n",
        summary: `${resourceTree(run.resources)}\n\n${typeCounts(run.resources)}`,
    };
}

/**
 * Makes a folder and its missing parents one at a time. Node's recursive mkdir never returns for a path it
 * cannot create under /proc (it retries the ENOENT), so each level is made on its own and the first that
 * fails stops the render with its reason.
 */
export function makeFolder(dir: string): void {
    const missing: string[] = [];
    for (let at = path.resolve(dir); !fs.existsSync(at); at = path.dirname(at)) {
        missing.unshift(at);
    }
    for (const folder of missing) {
        try {
            fs.mkdirSync(folder);
        } catch (err) {
            throw new Error(`cannot create the output folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} at ${folder}. Give --out a folder you can write.`);
        }
    }
    if (!fs.statSync(dir).isDirectory()) {
        throw new Error(`the output folder ${dir} is not a folder. Give --out a folder you can write.`);
    }
}

/** Writes manifests.yaml and resources.json into `dir`; returns their paths. */
export function writeRendering(rendering: Rendering, dir: string): string[] {
    makeFolder(dir);
    const files: [string, string][] = [
        [path.join(dir, "manifests.yaml"), rendering.manifestsYaml],
        [path.join(dir, "resources.json"), rendering.resourcesJson],
    ];
    files.forEach(([file, text]) => fs.writeFileSync(file, text));
    return files.map(([file]) => file);
}
