import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderedBeforeEach } from "../helpers";
import { dockerfileOf, imageDir, Instruction } from "../support/dockerfile";

/** Build arguments Docker defines itself; a Dockerfile need not declare them. */
const predefinedArgs = new Set(["BUILDKIT_INLINE_CACHE"]);

/** Each image, and the resource that builds it in a staging render. */
const components = { argus: "argus-staging-runtime-image-build", webui: "argus-staging-webui-image-build" } as const;

/** What every image we build must be, read from its Dockerfile (components/<component>/image). */
describe("Dockerfiles", () => {
    const staging = renderedBeforeEach("staging");
    const buildArgs = (component: keyof typeof components) => (staging().resources.find((r) => r.name === components[component])!.inputs as any).build.args as Record<string, string>;

    for (const component of ["argus", "webui"] as const) {
        describe(`${component} image`, () => {
            const dir = imageDir(component);
            let instructions: Instruction[] = [];
            let froms: string[][] = [];
            beforeEach(() => {
                instructions = dockerfileOf(component);
                froms = instructions.filter((i) => i.keyword === "FROM").map((i) => i.args.split(/\s+/));
            });

            it("has two stages: a build stage and the runtime", () => {
                expect(froms).to.have.length(2);
                expect(froms[0][1]?.toUpperCase()).to.equal("AS");
            });

            it("pins every base image to a version, never latest", () => {
                const resolved = froms.map(([image]) => image.replace(/\$\{(\w+)\}/g, (_, name: string) => buildArgs(component)[name] ?? ""));
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
                const passed = Object.keys(buildArgs(component)).filter((a) => !predefinedArgs.has(a));
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
                const args = Object.entries(buildArgs(component)).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]);
                const build = spawnSync("docker", ["build", ...args, "-t", `argus-${component}:test`, dir], { stdio: "inherit", timeout: 30 * 60 * 1000 });
                expect(build.status).to.equal(0);
            });
        });
    }
});
