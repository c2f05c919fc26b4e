import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderWith } from "./helpers";
import { shared } from "./support/shared";

interface Instruction {
    readonly keyword: string;
    readonly args: string;
}

/** Dockerfile instructions, with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
    const logical = text
        .split("\n")
        .filter((line) => !line.trim().startsWith("#"))
        .join("\n")
        .replace(/\\\n/g, " ")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    return logical.map((line) => {
        const [keyword, ...rest] = line.split(/\s+/);
        return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** Build arguments Docker defines itself; a Dockerfile need not declare them. */
const predefinedArgs = new Set(["BUILDKIT_INLINE_CACHE"]);

/** Each image, and the resource that builds it in a staging render. */
const components = { argus: "argus-staging-runtime-image-build", webui: "argus-staging-webui-image-build" } as const;

describe("Dockerfiles", () => {
    let buildArgs = new Map<string, Record<string, string>>();
    const renderStaging = shared(async () => {
        const rendering = await renderWith("staging");
        return new Map(Object.entries(components).map(([component, resource]) => [component, (rendering.resources.find((r) => r.name === resource)!.inputs as any).build.args as Record<string, string>]));
    });
    beforeEach(async () => (buildArgs = await renderStaging()));

    for (const component of Object.keys(components)) {
        describe(`${component} image`, () => {
            const dir = path.join(__dirname, "..", "components", component, "image");
            const instructions = parseDockerfile(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"));
            const froms = instructions.filter((i) => i.keyword === "FROM").map((i) => i.args.split(/\s+/));

            it("has two stages: a build stage and the runtime", () => {
                expect(froms).to.have.length(2);
                expect(froms[0][1]?.toUpperCase()).to.equal("AS");
            });

            it("pins every base image to a version, never latest", () => {
                const resolved = froms.map(([image]) => image.replace(/\$\{(\w+)\}/g, (_, name: string) => buildArgs.get(component)![name] ?? ""));
                for (const image of resolved) {
                    expect(image, image).to.match(/^[\w.-]+(\/[\w.-]+)+:(?!latest$)[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/);
                }
            });

            it("runs as a fixed non-root user", () => {
                const users = instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
                expect(users.length).to.be.greaterThan(0);
                const last = users[users.length - 1];
                expect(last).to.match(/^[1-9]\d*(:[1-9]\d*)?$/);
            });

            it("declares every build argument the component passes, and each declared one is passed or has a default", () => {
                const declared = new Map(
                    instructions
                        .filter((i) => i.keyword === "ARG")
                        .map((i) => {
                            const [name, fallback] = i.args.split("=");
                            return [name, fallback] as const;
                        }),
                );
                const passed = Object.keys(buildArgs.get(component)!).filter((a) => !predefinedArgs.has(a));
                expect(passed.length).to.be.greaterThan(0);
                for (const arg of passed) {
                    expect(declared.has(arg), `${arg} is passed but not declared`).to.equal(true);
                }
                for (const [arg, fallback] of declared) {
                    expect(passed.includes(arg) || fallback !== undefined, `${arg} is declared but never passed`).to.equal(true);
                }
            });

            it("keeps the build context small with a .dockerignore", () => {
                expect(fs.readFileSync(path.join(dir, ".dockerignore"), "utf8")).to.match(/^\*$/m);
            });

            if (component === "webui") {
                it("leaves the frontend's source maps and its manual's screenshots out of what nginx serves", () => {
                    const build = instructions.find((i) => i.keyword === "RUN" && i.args.includes("npm run build"))!;
                    expect(build.args).to.match(/npm run build && rm -rf build\/screenshots && find build -name '\*\.map' -delete$/);
                    const copies = instructions.filter((i) => i.keyword === "COPY" && i.args.startsWith("--from=build"));
                    expect(copies.map((i) => i.args)).to.deep.equal(["--from=build /src/build /usr/share/nginx/html"]);
                });
            }

            it("builds with a real Docker daemon (opt-in: ARGUS_DOCKER_BUILD=1)", function () {
                const daemon = spawnSync("docker", ["info"], { stdio: "ignore" });
                if (process.env.ARGUS_DOCKER_BUILD !== "1" || daemon.status !== 0) {
                    console.log(`      (skipped: ${daemon.status !== 0 ? "no Docker daemon answers `docker info` here" : "set ARGUS_DOCKER_BUILD=1 to build"})`);
                    this.skip();
                }
                const args = Object.entries(buildArgs.get(component)!).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]);
                const build = spawnSync("docker", ["build", ...args, "-t", `argus-${component}:test`, dir], { stdio: "inherit", timeout: 30 * 60 * 1000 });
                expect(build.status).to.equal(0);
            });
        });
    }
});
