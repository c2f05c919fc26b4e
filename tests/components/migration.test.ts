import { expect } from "chai";
import { Rendering } from "../../render";
import { ConfigError } from "../../stacks";
import { resourceProfiles } from "../../stacks/resourceProfiles";
import { findObject, parseMinimal, quantities, renderedBeforeEach, sharedRender } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The migration Job (components/argus): migrates the database for each new image, then makes the first admin. */

const migrationPod = (r: Rendering) => podSpecOf(findObject(r, "Job", "migrate"));

describe("the migration Job", () => {
    const staging = renderedBeforeEach("staging");
    const server = renderedBeforeEach("staging", { argusVersion: "2.9.1", resourceOverrides: "web.cpu=300m/3" });

    it("is named after the api image's content, so a preview knows it", () => {
        expect(staging().outputs.migrationJob).to.equal(`argus-staging-migrate-${String(staging().outputs.argusImage).slice(-12)}`);
    });

    it("is sized like the container that runs Argus: django in 1.x, web in 2.x", () => {
        const medium = resourceProfiles.medium;
        expect(migrationPod(staging()).containers[0].resources).to.deep.equal(quantities(medium.django));
        expect(migrationPod(server()).containers[0].resources).to.deep.include({ limits: { cpu: "3000m", memory: `${medium.web.memoryMiB.limit}Mi` } });
    });
});

describe("the migrations of Argus 2.10", () => {
    const withAdmin = renderedBeforeEach("staging", { argusVersion: "2.10.2", adminUsername: "admin" }, { adminPassword: "pw" });
    const withoutAdmin = renderedBeforeEach("staging", { argusVersion: "2.10.2" });
    const before210 = renderedBeforeEach("staging", { argusVersion: "2.9.1" });

    it("migrate, then prune the rows of the migration files 2.10 removed, then make the first admin", () => {
        const pod = migrationPod(withAdmin());
        expect(pod.initContainers.map((c: { name: string; args: string[] }) => [c.name, c.args.join(" ")])).to.deep.equal([
            ["migrate", "django-admin migrate --noinput"],
            ["migrate-2", "django-admin migrate --prune argus_notificationprofile --noinput"],
            ["migrate-3", "django-admin migrate --prune argus_incident --noinput"],
            ["migrate-4", "django-admin migrate --prune argus_auth --noinput"],
        ]);
        expect(pod.containers.map((c: { name: string }) => c.name)).to.deep.equal(["initial-setup"]);
        const alone = migrationPod(withoutAdmin());
        expect([alone.initContainers.length, alone.containers[0].name]).to.deep.equal([3, "migrate-4"]);
        expect(migrationPod(before210()).initContainers).to.equal(undefined);
    });
});

describe("the first admin", () => {
    const withEmail = renderedBeforeEach("staging", { adminUsername: "admin", adminEmail: "ops@example.org" }, { adminPassword: "Sentinel-admin-pw" });
    const withoutEmail = renderedBeforeEach("staging", { adminUsername: "admin" }, { adminPassword: "pw" });

    it("is created after the migrations by initial_setup, its password from the Secret only", () => {
        const r = withEmail();
        const pod = migrationPod(r);
        expect(pod.initContainers.map((c: any) => c.args)).to.deep.equal([["django-admin", "migrate", "--noinput"]]);
        const [setup] = pod.containers;
        expect(setup.args).to.deep.equal(["django-admin", "initial_setup", "--username=$(ADMIN_USERNAME)", "--password=$(ADMIN_PASSWORD)", "--email=$(ADMIN_EMAIL)"]);
        const secret = findObject(r, "Secret", "runtime-secrets");
        expect(setup.env).to.deep.include({ name: "ADMIN_PASSWORD", valueFrom: { secretKeyRef: { key: "ADMIN_PASSWORD", name: secret.metadata.name } } });
        expect(setup.env).to.deep.include({ name: "ADMIN_USERNAME", value: "admin" });
        expect(secret.stringData).to.have.property("ADMIN_PASSWORD", "[secret]");
        expect(r.manifestsYaml + r.resourcesJson).not.to.contain("Sentinel");
    });

    it("is created without an email when none is given", () => {
        const [setup] = migrationPod(withoutEmail()).containers;
        expect(setup.args).to.deep.equal(["django-admin", "initial_setup", "--username=$(ADMIN_USERNAME)", "--password=$(ADMIN_PASSWORD)"]);
        expect(setup.env.map((e: any) => e.name)).not.to.include("ADMIN_EMAIL");
    });

    describe("added to a stack whose image did not change", () => {
        let before: Rendering;
        beforeEach(async () => (before = await sharedRender("staging")));

        it("runs the Job again", () => {
            expect(withoutEmail().outputs.argusImage).to.equal(before.outputs.argusImage);
            expect(withoutEmail().outputs.migrationJob).not.to.equal(before.outputs.migrationJob);
        });
    });

    it("needs a password, and an existing Secret holds it instead of config", () => {
        expect(() => parseMinimal("staging", { adminUsername: "admin" })).to.throw(ConfigError, "argus:adminPassword: is required when adminUsername is set.");
        expect(() => parseMinimal("staging", { adminUsername: "ad min" }, { adminPassword: "pw" })).to.throw(ConfigError, 'argus:adminUsername: "ad min" is not a Django user name');
    });
});
