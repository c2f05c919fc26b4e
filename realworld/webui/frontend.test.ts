/** What the suite reads from components/webui/image/Dockerfile to build the frontend as its build stage does. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { bundledNpm, buildStage, webuiContext, webuiDockerfile } from "./frontend";

describe("the webui Dockerfile's build stage, as the suite reads it", () => {
    const stage = buildStage(fs.readFileSync(webuiDockerfile, "utf8"));

    it("takes Node.js from the stage's FROM image and the ARG the render sets", () => {
        expect(stage.lines[0]).to.match(/^FROM docker\.io\/library\/node:20\.18\.1-bookworm-slim AS build$/);
        expect(stage.nodeVersion).to.equal("20.18.1");
        expect(stage.argNames).to.deep.equal(["FRONTEND_VERSION"]);
    });

    it("after the clone, copies our fix in and runs it, then the build RUN as written with the ENV above it", () => {
        expect(stage.steps).to.deep.equal([
            { copy: { from: "fixes/", to: "../fixes/" } },
            { run: "node ../fixes/new-incidents-in-realtime-list.mjs src/components/incidentsprovider.tsx", env: {} },
            {
                run: "npm ci && npm run build && rm -rf build/screenshots && find build -name '*.map' -delete",
                env: { REACT_APP_USE_SECURE_COOKIE: "false" },
            },
        ]);
        expect(stage.lines.some((l) => l.startsWith("FROM docker.io/nginxinc"))).to.equal(false);
    });

    it("lets into the build context what the stage COPYs, and nothing else", () => {
        const ignored = fs.readFileSync(path.join(webuiContext, ".dockerignore"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
        expect(ignored).to.deep.equal(["*", "!fixes/"]);
    });

    it("refuses a COPY it would not copy as docker does", () => {
        const stageWith = (copy: string) => () => buildStage(`FROM node:20.18.1-x AS build\nRUN git clone x .\n${copy}\nRUN npm run build\n`);
        expect(stageWith("COPY fixes/ /fixes/")).to.throw(/relative to WORKDIR/);
        expect(stageWith("COPY --chown=1 fixes/ fixes/")).to.throw(/relative to WORKDIR/);
        expect(stageWith("COPY fixes/ fixes/")).to.not.throw();
    });

    it("finds the npm a Node.js release bundles in its CHANGELOG (the newest upgrade named)", () => {
        const changelog = "* [`a`] - **deps**: upgrade npm to 10.8.2 (npm team)\n* [`b`] - **deps**: upgrade npm to 10.8.1 (npm team)\n";
        expect(bundledNpm(changelog)).to.equal("10.8.2");
        expect(() => bundledNpm("nothing")).to.throw(/upgrade npm/);
    });
});
