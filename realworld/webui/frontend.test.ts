/** What the suite reads from components/webui/image/Dockerfile to build the frontend as its build stage does. */
import { expect } from "chai";
import * as fs from "fs";
import { bundledNpm, buildStage, webuiDockerfile } from "./frontend";

describe("the webui Dockerfile's build stage, as the suite reads it", () => {
    const stage = buildStage(fs.readFileSync(webuiDockerfile, "utf8"));

    it("takes Node.js from the stage's FROM image, the ARG the render sets, and its ENV", () => {
        expect(stage.lines[0]).to.match(/^FROM docker\.io\/library\/node:20\.18\.1-bookworm-slim AS build$/);
        expect(stage.nodeVersion).to.equal("20.18.1");
        expect(stage.argNames).to.deep.equal(["FRONTEND_VERSION"]);
        expect(stage.env).to.deep.equal({ REACT_APP_USE_SECURE_COOKIE: "false" });
    });

    it("runs the stage's build RUN as written: npm ci, the build, and what it deletes", () => {
        expect(stage.buildCommand).to.equal("npm ci && npm run build && rm -rf build/screenshots && find build -name '*.map' -delete");
        expect(stage.lines.some((l) => l.startsWith("FROM docker.io/nginxinc"))).to.equal(false);
    });

    it("finds the npm a Node.js release bundles in its CHANGELOG (the newest upgrade named)", () => {
        const changelog = "* [`a`] - **deps**: upgrade npm to 10.8.2 (npm team)\n* [`b`] - **deps**: upgrade npm to 10.8.1 (npm team)\n";
        expect(bundledNpm(changelog)).to.equal("10.8.2");
        expect(() => bundledNpm("nothing")).to.throw(/upgrade npm/);
    });
});
