import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag, imageContext, projectRoot } from "../components/image";
import { renderWith } from "./helpers";

/** A copy of the project's image folders, to change files in without touching the checkout. */
function copyOfImageFolders(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "argus-images-"));
    for (const component of ["api", "webui"] as const) {
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
        const before = { api: contentTag("api", args, root), webui: contentTag("webui", {}, root) };
        fs.writeFileSync(path.join(root, "README.md"), "a commit that changes the docs only\n");
        fs.mkdirSync(path.join(root, "components", "api", "image", "argus_site", "__pycache__"));
        fs.writeFileSync(path.join(root, "components", "api", "image", "argus_site", "__pycache__", "settings.cpython-312.pyc"), "bytecode");
        expect({ api: contentTag("api", args, root), webui: contentTag("webui", {}, root) }).to.deep.equal(before);
        expect(before.api).to.equal(contentTag("api", args), "a copy has the checkout's tags").and.to.match(/^[0-9a-f]{20}$/);
    });

    it("change the tag of exactly the image whose files change", () => {
        const before = { api: contentTag("api", args, root), webui: contentTag("webui", {}, root) };
        fs.appendFileSync(path.join(root, "components", "api", "image", "argus_site", "settings.py"), "\n# changed\n");
        expect(contentTag("api", args, root)).not.to.equal(before.api);
        expect(contentTag("webui", {}, root)).to.equal(before.webui);
        fs.appendFileSync(path.join(root, "components", "webui", "image", "Dockerfile"), "\n# changed\n");
        expect(contentTag("webui", {}, root)).not.to.equal(before.webui);
    });

    it("change the tag when a build argument or a file name changes", () => {
        const before = contentTag("api", args, root);
        expect(contentTag("api", { ARGUS_REQUIREMENT: "argus-server[spa]==1.36.2" }, root)).not.to.equal(before);
        const dir = path.join(root, "components", "api", "image", "argus_site");
        fs.renameSync(path.join(dir, "__init__.py"), path.join(dir, "init.py"));
        expect(contentTag("api", args, root)).not.to.equal(before);
    });

    it("roll only the webui when only the frontend release changes, in the render too", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { frontendVersion: "v1.14.0" })];
        expect(after.outputs.apiImage).to.equal(before.outputs.apiImage);
        expect(after.outputs.webuiImage).not.to.equal(before.outputs.webuiImage);
        expect(after.outputs.migrationJob).to.equal(before.outputs.migrationJob);
    });

    it("name the migration Job after the api image's content, so a preview knows it", async () => {
        const rendering = await renderWith("staging");
        expect(rendering.outputs.migrationJob).to.equal(`argus-staging-migrate-${String(rendering.outputs.apiImage).slice(-12)}`);
    });
});
