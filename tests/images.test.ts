import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseCacheFrom, contentTag, dockerImageArgs, imageContext, projectRoot } from "../components/image";
import { RenderMocks } from "../render/mocks";
import { parseMinimal, renderWith } from "./helpers";

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

    it("tells a file's name from its content", () => {
        const other = copyOfImageFolders();
        try {
            fs.writeFileSync(path.join(site(), "ab"), "c");
            fs.writeFileSync(path.join(other, "components", "argus", "image", "argus_site", "a"), "bc");
            expect(contentTag("argus", args, root)).not.to.equal(contentTag("argus", args, other));
        } finally {
            fs.rmSync(other, { recursive: true, force: true });
        }
    });
});

describe("the docker.Image of a build", () => {
    it("builds the component's Dockerfile for linux/amd64 with inline cache metadata, and pushes under the reference", () => {
        const image = dockerImageArgs({ component: "webui", buildArgs: { FRONTEND_VERSION: "v1.14.1" }, images: parseMinimal("staging").images }, "repo/webui:abc", undefined);
        expect(image).to.deep.include({ imageName: "repo/webui:abc", skipPush: false, buildOnPreview: false });
        expect(image.build).to.deep.include({
            context: "components/webui/image",
            dockerfile: "components/webui/image/Dockerfile",
            platform: "linux/amd64",
            args: { FRONTEND_VERSION: "v1.14.1", BUILDKIT_INLINE_CACHE: "1" },
        });
        expect(image).not.to.have.property("registry");
    });

    it("logs in with the stack's registry credentials when it has them, for a build and for production's lookup", async () => {
        const credentials = parseMinimal("staging", { registryUsername: "ci-user" }, { registryPassword: "Sentinel-registry" }).images;
        const image = dockerImageArgs({ component: "argus", buildArgs: {}, images: { ...credentials, buildOnPreview: true } }, "repo/argus:abc", undefined);
        expect(image).to.deep.include({ buildOnPreview: true });
        expect(image.registry).to.include({ server: "registry.example.org", username: "ci-user" });
        const registryAuth = async (overrides: Record<string, string>, secrets: Record<string, string>) => {
            const production = await renderWith("production", overrides, secrets);
            expect(production.resourcesJson + production.manifestsYaml).not.to.contain("Sentinel");
            return production.resources.filter((r) => r.type === "pulumi:providers:docker").map((p) => (p.inputs as any).registryAuth);
        };
        // The password makes the whole login a secret in the engine's view.
        expect(await registryAuth({ registryUsername: "ci-user" }, { registryPassword: "Sentinel-registry" })).to.deep.equal(["[secret]", "[secret]"]);
        expect(await registryAuth({}, {})).to.deep.equal([undefined, undefined]);
    });
});
