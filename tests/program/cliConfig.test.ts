import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { Rendering, renderStack } from "../../render";
import { EngineConfigError } from "../../render/engineConfig";
import { PulumiProgram } from "../../render/program";
import { ConfigError } from "../../stacks";
import { defaultText } from "../../stacks/configReader";
import { ConfigKeySpec, configSchema } from "../../stacks/schema";
import { sharedRender, stackConfigWith } from "../helpers";
import { shared } from "../support/shared";

/**
 * The program run on the config the Pulumi CLI hands it (render/engineConfig.ts): each committed stack's own
 * config with the project's defaults merged in, or the CLI's refusal.
 */

/** Every default the key table (stacks/schema.ts, which Pulumi.yaml copies) declares, as the text a program reads. */
const schemaDefaults = Object.fromEntries(
    Object.entries(configSchema)
        .filter(([, spec]) => (spec as { default?: unknown }).default !== undefined)
        .map(([key, spec]) => [`argus:${key}`, defaultText((spec as ConfigKeySpec).default!)]),
);

/** Renders a stack with the real program, noting every config value the program can read. */
async function renderSeeingConfig(stack: string): Promise<{ rendering: Rendering; seen: Record<string, string> }> {
    let seen: Record<string, string> = {};
    const program: PulumiProgram = () => {
        seen = { ...pulumi.runtime.allConfig() };
        // Required, not imported: the program module must load after the mock runtime is set up (render/index.ts).
        return (require("../../index") as PulumiProgram)();
    };
    const rendering = await renderStack(stack, stackConfigWith(stack), program);
    return { rendering, seen };
}

describe("every committed stack under the config the CLI makes", () => {
    for (const stack of ["production", "staging", "review-7"]) {
        describe(stack, () => {
            let run: { rendering: Rendering; seen: Record<string, string> };
            const render = shared(() => renderSeeingConfig(stack));
            beforeEach(async () => (run = await render()));

            it("renders in the 1.x layout", () => {
                expect(run.rendering.outputs.layout).to.equal("spa");
            });

            it("hands the program every project default the stack does not set, and the stack's own values as they are", () => {
                expect(Object.keys(schemaDefaults).length).to.be.greaterThan(40);
                expect(run.seen).to.deep.equal({ ...schemaDefaults, ...stackConfigWith(stack).values });
            });
        });

        describe(`${stack}, once the 1.x keys it sets are removed (upgrade guide)`, () => {
            let rendering: Rendering;
            beforeEach(async () => (rendering = await sharedRender(stack, { argusVersion: "2.9.1", webuiReplicas: null })));

            it("renders in the 2.x layout", () => {
                expect(rendering.outputs.layout).to.equal("server");
            });
        });
    }

    describe("with a key of the other layout that the operator set to a value of its own", () => {
        let refusals: unknown[] = [];
        beforeEach(async () => (refusals = [await sharedRender("staging", { workerReplicas: "3" }).catch((e: unknown) => e), await sharedRender("production", { argusVersion: "2.9.1" }).catch((e: unknown) => e)]));

        it("is still refused", () => {
            const [oneX, twoX] = refusals;
            expect(oneX).to.be.instanceOf(ConfigError);
            expect((oneX as Error).message).to.contain("argus:workerReplicas: applies to the Argus 2.x layout only");
            expect((twoX as Error).message).to.contain("argus:webuiReplicas: applies to the Argus 1.x layout only").and.not.contain("nginxImage");
        });
    });

    describe("without a key that has no default", () => {
        let refusal: unknown;
        beforeEach(async () => (refusal = await sharedRender("staging", { imageRepository: null }).catch((e: unknown) => e)));

        it("is refused as the CLI refuses it", () => {
            expect(refusal).to.be.instanceOf(EngineConfigError);
            expect((refusal as Error).message).to.equal(
                "error: validating stack config: Stack 'staging' is missing configuration value 'imageRepository'\nSet it in the stack: pulumi config set --stack staging <key> <value> (docs/configuration.md says what each key means).",
            );
        });
    });
});
