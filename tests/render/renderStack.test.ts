import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Rendering, renderStack, stackProgramConfig, writeRendering } from "../../render";
import { ConfigError } from "../../stacks";
import { shared } from "../support/shared";

/** A stack rendered by the real program (render/index.ts: renderStack, writeRendering, stackProgramConfig). */

describe("a rendering (renderStack)", () => {
    let rendering: Rendering;
    const render = shared(() => renderStack("review-7", stackProgramConfig("review-7")));
    beforeEach(async () => (rendering = await render()));

    it("lists resources as JSON, and a tree and counts for the terminal", () => {
        expect(rendering.stack).to.equal("review-7");
        expect(rendering.resourcesJson.endsWith("]\n")).to.equal(true);
        expect(JSON.parse(rendering.resourcesJson)).to.have.length(rendering.resources.length);
        const [tree, counts] = rendering.summary.split("\n\n");
        expect(tree.split("\n")[1]).to.match(/^ \+ {3}pulumi:pulumi:Stack\s+argus-review-7$/);
        expect(counts.split("\n")[0]).to.equal(`Resources: ${rendering.resources.length} to create`);
    });

    describe("written to a folder that does not exist yet (writeRendering)", () => {
        let dir = "";
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "argus-rendering-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("makes the folder and writes manifests.yaml and resources.json into it", () => {
            const files = writeRendering(rendering, path.join(dir, "out", "review-7"));
            expect(files).to.deep.equal([path.join(dir, "out", "review-7", "manifests.yaml"), path.join(dir, "out", "review-7", "resources.json")]);
            expect(fs.readFileSync(files[0], "utf8")).to.equal(rendering.manifestsYaml);
            expect(fs.readFileSync(files[1], "utf8")).to.equal(rendering.resourcesJson);
        });
    });
});

describe("the config of a stack's program (stackProgramConfig)", () => {
    it("refuses a stack this program does not deploy, naming the stacks it does", () => {
        expect(() => stackProgramConfig("prod")).to.throw(ConfigError, 'stack name: unknown stack "prod". Fix: Use production, staging, review, or review-<slug>');
    });
});
