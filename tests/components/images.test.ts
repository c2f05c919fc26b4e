import { expect } from "chai";
import { argusImageBuildArgs } from "../../components/argus/spec";
import { dockerImageArgs } from "../../components/image";
import { argusRelease } from "../../releases/argus";
import { Rendering } from "../../render";
import { findObject, parseMinimal, renderedBeforeEach, sharedRender } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";
import { dockerfileOf, instruction } from "../support/dockerfile";

/** The images each stack runs and builds (components/image.ts, and the Argus image's build arguments in components/argus/spec.ts). */

const workloadImages = (r: Rendering) =>
    r.objects.filter((o) => o.kind === "Deployment" || o.kind === "Job").flatMap((o) => podSpecOf(o).containers.map((c: any) => ({ where: `${o.metadata.name}/${c.name}`, image: c.image as string })));
const imageBuild = (r: Rendering, name: string) => r.resources.find((x) => x.type === "docker:index/image:Image" && x.name === name)!.inputs as any;

describe("the images a stack runs", () => {
    const production = renderedBeforeEach("production");
    const staging = renderedBeforeEach("staging");
    const review = renderedBeforeEach("review-123");

    it("are ours by digest and stock images by pinned versions", () => {
        const images = workloadImages(production()).map((i) => i.image);
        // With the backup's official postgres image (pg_dump of the server's major).
        expect(images).to.have.length(7);
        for (const image of images) {
            expect(image).to.match(/@sha256:[0-9a-f]{64}$|:[0-9][\w.-]*$/);
            expect(image).not.to.match(/:latest$/);
        }
        expect(images.filter((i) => i.includes("/argus-deploy/argus@sha256:"))).to.have.length(3);
        expect(images.filter((i) => i.includes("/argus-deploy/webui@sha256:"))).to.have.length(1);
    });

    it("in production are built nowhere: production runs, by digest, the images staging pushed under the same content tags", () => {
        expect(production().resources.filter((r) => r.type === "docker:index/image:Image")).to.deep.equal([]);
        for (const output of ["argusImage", "webuiImage", "argusImageDigest", "webuiImageDigest"]) {
            expect(production().outputs[output], output).to.equal(staging().outputs[output]);
        }
        for (const { where, image } of workloadImages(production()).filter((i) => i.image.includes("/argus-deploy/"))) {
            expect(image, where).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/(argus|webui)@sha256:[0-9a-f]{64}$/);
        }
    });

    it("of a review stack are pushed to its own repository, never to the one production promotes from", () => {
        expect(review().outputs.argusImage).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/review\/argus:[0-9a-f]{20}$/);
        expect(staging().outputs.argusImage).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/argus:[0-9a-f]{20}$/);
    });

    it("are built from the Dockerfile beside each component, with the versions from config, and never on preview by default", () => {
        const api = imageBuild(staging(), "argus-staging-runtime-image-build");
        const webui = imageBuild(staging(), "argus-staging-webui-image-build");
        expect(api.imageName).to.equal(staging().outputs.argusImage);
        // Relative to the project, so another checkout or runner shows no change.
        expect(api.build.context).to.equal("components/argus/image");
        expect(api.build.dockerfile).to.equal("components/argus/image/Dockerfile");
        expect(api.build.args).to.include({
            ARGUS_REQUIREMENT: "argus-server[spa]==1.37.0",
            ARGUS_UPSTREAM_SETTINGS: "argus.spa.settings",
            PYTHON_IMAGE: "docker.io/library/python:3.12.8-slim-bookworm",
            EXTRA_PACKAGES: "",
        });
        expect(webui.build.context).to.equal("components/webui/image");
        expect(webui.build.args).to.include({ FRONTEND_VERSION: "v1.14.1" });
        expect(api.buildOnPreview).to.equal(false);
        expect(api.skipPush).to.equal(false);
    });
});

describe("a new release of one image", () => {
    /** Each workload's containers and their images, by Deployment or Job name without its content suffix. */
    const imagesByWorkload = (r: Rendering) => Object.fromEntries(workloadImages(r).map(({ where, image }) => [where.replace(/-[0-9a-f]{12}\//, "/"), image]));
    let renders: { before: Rendering; newArgus: Rendering; newFrontend: Rendering };
    beforeEach(async () => {
        renders = {
            before: await sharedRender("staging"),
            newArgus: await sharedRender("staging", { argusVersion: "1.36.2" }),
            newFrontend: await sharedRender("staging", { frontendVersion: "v1.14.0" }),
        };
    });

    it("of Argus rolls the api and its migration onto the new image, and leaves the webui image alone", () => {
        const { before, newArgus } = renders;
        expect(newArgus.outputs.argusImageDigest).not.to.equal(before.outputs.argusImageDigest);
        expect(newArgus.outputs.webuiImageDigest).to.equal(before.outputs.webuiImageDigest);
        const [was, now] = [imagesByWorkload(before), imagesByWorkload(newArgus)];
        for (const where of ["argus-staging-api/django", "argus-staging-api/websockets", "argus-staging-migrate/migrate"]) {
            expect(now[where], where).to.equal(newArgus.outputs.argusImageDigest).and.not.equal(was[where]);
        }
        expect(now["argus-staging-webui/webui"]).to.equal(was["argus-staging-webui/webui"]);
    });

    it("of the frontend rolls only the webui, in the render too", () => {
        const { before, newFrontend } = renders;
        expect(newFrontend.outputs.argusImage).to.equal(before.outputs.argusImage);
        expect(newFrontend.outputs.webuiImage).not.to.equal(before.outputs.webuiImage);
        expect(newFrontend.outputs.migrationJob).to.equal(before.outputs.migrationJob);
    });
});

describe("the docker.Image of a build (dockerImageArgs)", () => {
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

    it("logs in with the stack's registry credentials when it has them", () => {
        const credentials = parseMinimal("staging", { registryUsername: "ci-user" }, { registryPassword: "Sentinel-registry" }).images;
        const image = dockerImageArgs({ component: "argus", buildArgs: {}, images: { ...credentials, buildOnPreview: true } }, "repo/argus:abc", undefined);
        expect(image).to.deep.include({ buildOnPreview: true });
        expect(image.registry).to.include({ server: "registry.example.org", username: "ci-user" });
    });
});

describe("production's lookup of the images staging pushed", () => {
    const withCredentials = renderedBeforeEach("production", { registryUsername: "ci-user" }, { registryPassword: "Sentinel-registry" });
    const without = renderedBeforeEach("production");
    const registryAuth = (r: Rendering) => r.resources.filter((x) => x.type === "pulumi:providers:docker").map((p) => (p.inputs as any).registryAuth);

    it("logs in with the stack's registry credentials when it has them, and never shows the password", () => {
        expect(withCredentials().resourcesJson + withCredentials().manifestsYaml).not.to.contain("Sentinel");
        // The password makes the whole login a secret in the engine's view.
        expect(registryAuth(withCredentials())).to.deep.equal(["[secret]", "[secret]"]);
        expect(registryAuth(without())).to.deep.equal([undefined, undefined]);
    });
});

describe("the Python packages of the Argus image", () => {
    const extraPackages = renderedBeforeEach("staging", { extraPythonPackages: "argus-ticket-rt==1.2.0, argus-notification-msteams==0.3.1" });
    const extras = renderedBeforeEach("staging", { argusVersion: "2.10.2", argusExtras: "apprise", jsonLogging: "true" });
    const plain210 = renderedBeforeEach("staging", { argusVersion: "2.10.2" });

    it("are the release's runtime packages, space-separated, and a release without a pinned Python is refused", () => {
        const release = argusRelease("1.37.0");
        expect(argusImageBuildArgs(release, []).RUNTIME_PACKAGES).to.equal(release.runtimePackages.join(" "));
        expect(release.runtimePackages.length).to.be.greaterThan(0);
        expect(() => argusImageBuildArgs({ ...release, python: "2.7" }, [])).to.throw("No Python 2.7 base image is pinned for Argus 1.37.0");
    });

    it("are the contract's requirement with gunicorn, and the extra packages from config", () => {
        const wheels = instruction(dockerfileOf("argus"), "RUN", "pip wheel").args;
        expect(wheels).to.contain('"${ARGUS_REQUIREMENT}"').and.to.contain("${RUNTIME_PACKAGES}").and.to.contain("${EXTRA_PACKAGES}");
        expect(argusRelease("1.37.0").runtimePackages).to.include("gunicorn==23.0.0");
        expect(argusRelease("2.9.1").runtimePackages).to.include.members(["gunicorn==23.0.0", "psycopg[c]"]);
        expect(imageBuild(extraPackages(), "argus-staging-runtime-image-build").build.args.EXTRA_PACKAGES).to.equal("argus-ticket-rt==1.2.0 argus-notification-msteams==0.3.1");
    });

    it("include the extras config chooses, and JSON logging as one switch", () => {
        const build = extras().resources.find((x) => x.type === "docker:index/image:Image" && x.name.includes("runtime"))!;
        expect((build.inputs as any).build.args.ARGUS_REQUIREMENT).to.equal("argus-server[apprise,jsonlogging]==2.10.2");
        expect(findObject(extras(), "ConfigMap", "runtime-settings").data).to.include({ DJANGO_LOGGING_MODULE: "argus_site.json_logging.LOGGING", TIME_ZONE: "Europe/Oslo" });
        expect(findObject(plain210(), "ConfigMap", "runtime-settings").data).not.to.have.property("DJANGO_LOGGING_MODULE");
    });
});
