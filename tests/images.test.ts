import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseCacheFrom, contentTag, imageContext, projectRoot } from "../components/image";
import { RenderMocks } from "../render/mocks";
import { renderWith } from "./helpers";

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

    it("roll only the webui when only the frontend release changes, in the render too", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { frontendVersion: "v1.14.0" })];
        expect(after.outputs.argusImage).to.equal(before.outputs.argusImage);
        expect(after.outputs.webuiImage).not.to.equal(before.outputs.webuiImage);
        expect(after.outputs.migrationJob).to.equal(before.outputs.migrationJob);
    });

    it("name the migration Job after the api image's content, so a preview knows it", async () => {
        const rendering = await renderWith("staging");
        expect(rendering.outputs.migrationJob).to.equal(`argus-staging-migrate-${String(rendering.outputs.argusImage).slice(-12)}`);
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

    it("gives an unchanged image the same inputs in the next update, so it is neither rebuilt nor rolled", async () => {
        const first = await imageInputs({}, {});
        expect((first.inputs["argus-staging-runtime-image-build"] as any).build.cacheFrom).to.deep.equal({ images: [] });
        const second = await imageInputs({}, first.outputs);
        expect(second.inputs).to.deep.equal(first.inputs);
        const upgraded = await imageInputs({ argusVersion: "1.36.2" }, second.outputs);
        expect((upgraded.inputs["argus-staging-runtime-image-build"] as any).build.cacheFrom).to.deep.equal({ images: [first.outputs.argusImage] });
        expect(upgraded.inputs["argus-staging-webui-image-build"]).to.deep.equal(first.inputs["argus-staging-webui-image-build"]);
        const after = await imageInputs({ argusVersion: "1.36.2" }, upgraded.outputs);
        expect(after.inputs).to.deep.equal(upgraded.inputs);
    });
});
