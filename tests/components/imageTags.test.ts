import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseCacheFrom, contentTag, imageContext } from "../../components/image";
import { projectRoot } from "../../util/projectRoot";
import { RenderMocks } from "../../render/mocks";
import { renderWith } from "../helpers";

/** Our images are tagged by their content (components/image.ts), so an unchanged image is neither rebuilt nor rolled. */

/** A copy of the project's image folders, to change files in without touching the checkout. */
function copyOfImageFolders(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "argus-images-"));
    for (const component of ["argus", "webui"] as const) {
        fs.cpSync(path.join(projectRoot, imageContext(component)), path.join(root, imageContext(component)), { recursive: true });
    }
    return root;
}

describe("images named by their content", () => {
    const args = { ARGUS_REQUIREMENT: "argus-server[spa]==1.37.0" };
    let root = "";
    beforeEach(() => (root = copyOfImageFolders()));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("keep their tag when only the commit changes, whatever else the commit touched", () => {
        const before = { api: contentTag("argus", args, root), webui: contentTag("webui", {}, root) };
        fs.writeFileSync(path.join(root, "README.md"), "a commit that changes the docs only\n");
        fs.mkdirSync(path.join(root, "components", "argus", "image", "argus_site", "__pycache__"));
        fs.writeFileSync(path.join(root, "components", "argus", "image", "argus_site", "__pycache__", "settings.cpython-312.pyc"), "bytecode");
        expect({ api: contentTag("argus", args, root), webui: contentTag("webui", {}, root) }).to.deep.equal(before);
        expect(before.api).to.equal(contentTag("argus", args), "a copy has the checkout's tags").and.to.match(/^[0-9a-f]{20}$/);
    });

    it("change the tag of exactly the image whose files change", () => {
        const before = { api: contentTag("argus", args, root), webui: contentTag("webui", {}, root) };
        fs.appendFileSync(path.join(root, "components", "argus", "image", "argus_site", "settings.py"), "\n# changed\n");
        expect(contentTag("argus", args, root)).not.to.equal(before.api);
        expect(contentTag("webui", {}, root)).to.equal(before.webui);
        fs.appendFileSync(path.join(root, "components", "webui", "image", "Dockerfile"), "\n# changed\n");
        expect(contentTag("webui", {}, root)).not.to.equal(before.webui);
    });

    it("change the tag when a build argument or a file name changes", () => {
        const before = contentTag("argus", args, root);
        expect(contentTag("argus", { ARGUS_REQUIREMENT: "argus-server[spa]==1.36.2" }, root)).not.to.equal(before);
        const dir = path.join(root, "components", "argus", "image", "argus_site");
        fs.renameSync(path.join(dir, "__init__.py"), path.join(dir, "init.py"));
        expect(contentTag("argus", args, root)).not.to.equal(before);
    });
});

describe("the build cache", () => {
    it("is the image the stack ran before, or the cache that image was built with while the content is the same", () => {
        expect(chooseCacheFrom("repo/api:b", undefined)).to.equal(undefined);
        expect(chooseCacheFrom("repo/api:b", { reference: undefined })).to.equal(undefined);
        expect(chooseCacheFrom("repo/api:b", { reference: "repo/api:a", cacheFrom: "repo/api:0" })).to.equal("repo/api:a");
        expect(chooseCacheFrom("repo/api:b", { reference: "repo/api:b", cacheFrom: "repo/api:a" })).to.equal("repo/api:a");
    });

    /** docker.Image inputs of one update of staging, whose previous update left `previous` as outputs. */
    const imageInputs = async (overrides: Record<string, string>, previous: Record<string, unknown>) => {
        const rendering = await renderWith("staging", overrides, {}, new RenderMocks({ staging: previous }));
        const images = rendering.resources.filter((r) => r.type === "docker:index/image:Image");
        return { outputs: rendering.outputs, inputs: Object.fromEntries(images.map((r) => [r.name, r.inputs])) };
    };

    describe("over four updates of staging: a first, an unchanged second, an Argus upgrade and an unchanged fourth", () => {
        let updates: Awaited<ReturnType<typeof imageInputs>>[] = [];
        beforeEach(async () => {
            const first = await imageInputs({}, {});
            const second = await imageInputs({}, first.outputs);
            const upgraded = await imageInputs({ argusVersion: "1.36.2" }, second.outputs);
            updates = [first, second, upgraded, await imageInputs({ argusVersion: "1.36.2" }, upgraded.outputs)];
        });

        it("gives an unchanged image the same inputs in the next update, so it is neither rebuilt nor rolled", () => {
            const [first, second, upgraded, after] = updates;
            expect((first.inputs["argus-staging-runtime-image-build"] as any).build.cacheFrom).to.deep.equal({ images: [] });
            expect(second.inputs).to.deep.equal(first.inputs);
            expect((upgraded.inputs["argus-staging-runtime-image-build"] as any).build.cacheFrom).to.deep.equal({ images: [first.outputs.argusImage] });
            expect(upgraded.inputs["argus-staging-webui-image-build"]).to.deep.equal(first.inputs["argus-staging-webui-image-build"]);
            expect(after.inputs).to.deep.equal(upgraded.inputs);
        });
    });
});

describe("what an image's content is", () => {
    const args = { ARGUS_REQUIREMENT: "argus-server[spa]==1.37.0", EXTRA: "x==1" };
    let root = "";
    beforeEach(() => (root = copyOfImageFolders()));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
    const site = () => path.join(root, "components", "argus", "image", "argus_site");

    it("leaves out Python bytecode wherever it lies, and whatever a __pycache__ folder holds", () => {
        const before = contentTag("argus", args, root);
        fs.writeFileSync(path.join(site(), "stray.pyc"), "bytecode");
        fs.mkdirSync(path.join(site(), "__pycache__"));
        fs.writeFileSync(path.join(site(), "__pycache__", "notes.txt"), "not bytecode, still a cache");
        expect(contentTag("argus", args, root)).to.equal(before);
        fs.writeFileSync(path.join(site(), "pyc.txt"), "content");
        expect(contentTag("argus", args, root)).not.to.equal(before);
    });

    it("does not depend on the order the build arguments come in", () => {
        expect(contentTag("argus", { EXTRA: "x==1", ARGUS_REQUIREMENT: "argus-server[spa]==1.37.0" }, root)).to.equal(contentTag("argus", args, root));
    });

    describe("against another copy", () => {
        let other = "";
        beforeEach(() => (other = copyOfImageFolders()));
        afterEach(() => fs.rmSync(other, { recursive: true, force: true }));

        it("tells a file's name from its content", () => {
            fs.writeFileSync(path.join(site(), "ab"), "c");
            fs.writeFileSync(path.join(other, "components", "argus", "image", "argus_site", "a"), "bc");
            expect(contentTag("argus", args, root)).not.to.equal(contentTag("argus", args, other));
        });
    });
});
