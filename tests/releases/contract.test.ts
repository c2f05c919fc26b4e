import { expect } from "chai";
import { argusRelease, compareVersions, defaultArgusVersion, supportedArgusVersions } from "../../releases/argus";

/**
 * Facts recorded from Uninett/Argus at each tag (git show <tag>:<file>), and confirmed by importing the
 * settings with Django 5.2: the contract must reproduce them. Required variables: get_str_env(...,
 * required=True) in site/settings/backend.py and spa/spa_settings.py, plus backend.py's ImproperlyConfigured
 * without ARGUS_FRONTEND_URL.
 */
const required = ["ARGUS_FRONTEND_URL", "ARGUS_SPA_COOKIE_DOMAIN", "DEFAULT_FROM_EMAIL", "EMAIL_HOST", "SECRET_KEY", "STATIC_ROOT"];
const recorded = {
    // First release with ARGUS_SPA_COOKIE_DOMAIN; channels[daphne] still a plain dependency; ASGI in argus.ws.
    "1.24.0": { pipRequirement: "argus-server==1.24.0", asgiApplication: "argus_site.asgi:application", readsEmailUseTls: false },
    // Last release before the move (pyproject.toml and base.py at v1.31.0).
    "1.31.0": { pipRequirement: "argus-server==1.31.0", asgiApplication: "argus_site.asgi:application", readsEmailUseTls: false },
    // The SPA's dependencies became the `spa` extra and the ASGI app moved (pyproject.toml, spa_settings.py at v1.32.0).
    "1.32.0": { pipRequirement: "argus-server[spa]==1.32.0", asgiApplication: "argus_site.asgi:application", readsEmailUseTls: false },
    // EMAIL_USE_TLS read from the environment (base.py at v1.36.0).
    "1.36.0": { pipRequirement: "argus-server[spa]==1.36.0", asgiApplication: "argus_site.asgi:application", readsEmailUseTls: true },
    // The last 1.x.
    "1.37.0": { pipRequirement: "argus-server[spa]==1.37.0", asgiApplication: "argus_site.asgi:application", readsEmailUseTls: true },
} as const;

describe("the Argus release contract", () => {
    for (const [version, facts] of Object.entries(recorded)) {
        it(`${version}: pip requirement, WSGI and ASGI apps, settings module, Python and variables as read at the tag`, () => {
            const release = argusRelease(version);
            expect(release.pipRequirement).to.equal(facts.pipRequirement);
            expect(release.asgiApplication).to.equal(facts.asgiApplication);
            expect(release.wsgiApplication).to.equal("argus.site.wsgi:application");
            expect(release.settingsModule).to.equal("argus.spa.settings");
            expect(release.python).to.equal("3.12");
            expect(release.requiredEnv).to.deep.equal(required);
            expect(release.readEnv).to.include.members([...required, "DATABASE_URL", "ARGUS_REDIS_SERVER", "ARGUS_DATAPORTEN_KEY", "ARGUS_DATAPORTEN_SECRET", "EMAIL_PORT"]);
            expect(release.readEnv.includes("EMAIL_USE_TLS")).to.equal(facts.readsEmailUseTls);
            // Names no supported release reads: the pre-1.24 cookie variable, and TIME_ZONE (hard-coded in base.py).
            expect(release.readEnv).not.to.include.members(["ARGUS_COOKIE_DOMAIN"]);
            expect(release.readEnv).not.to.include("TIME_ZONE");
        });
    }

    it("covers 1.24.0 to 1.37.0 without 1.25.0, whose tag points at the 1.36.0 commit, and 2.8.0 to 2.10.2, in order", () => {
        expect(supportedArgusVersions[0]).to.equal("1.24.0");
        expect(supportedArgusVersions.filter((v) => v.startsWith("1.")).pop()).to.equal("1.37.0");
        expect(supportedArgusVersions.filter((v) => v.startsWith("2."))).to.deep.equal(["2.8.0", "2.8.1", "2.9.0", "2.9.1", "2.10.0", "2.10.1", "2.10.2"]);
        expect(supportedArgusVersions).not.to.include("1.25.0");
        const sorted = [...supportedArgusVersions].sort(compareVersions);
        expect(sorted).to.deep.equal([...supportedArgusVersions]);
        expect(defaultArgusVersion).to.equal("1.37.0");
    });

    it("compares versions numerically, not as text", () => {
        expect(compareVersions("1.9.0", "1.10.0")).to.be.lessThan(0);
        expect(compareVersions("1.36.1", "1.36.0")).to.be.greaterThan(0);
        expect(compareVersions("v1.30.0", "1.30.0")).to.equal(0);
    });

    it("throws for a release it does not cover, naming the supported range", () => {
        expect(() => argusRelease("2.0.0")).to.throw(/Argus 2\.0\.0 is not covered .*1\.24\.0 to 1\.37\.0.*2\.8\.0 to 2\.10\.2/);
    });
});

/**
 * 2.x facts recorded at the tags, and confirmed by importing argus.site.settings.prod at v2.8.0 and v2.9.1
 * without each required variable.
 */
const recordedServer = {
    // The task queue arrives (CHANGELOG.md and NOTES.md at v2.8.0); psycopg2 is Argus' own driver here.
    "2.8.0": { readsPypiUrl: false },
    "2.8.1": { readsPypiUrl: false },
    // PYPI_URL from ARGUS_PYPI_URL (base.py at v2.9.0).
    "2.9.0": { readsPypiUrl: true },
    "2.9.1": { readsPypiUrl: true },
} as const;

describe("the Argus release contract, 2.x", () => {
    for (const [version, facts] of Object.entries(recordedServer)) {
        it(`${version}: one image run as web server and task worker, with the settings, probe and jobs read at the tag`, () => {
            const release = argusRelease(version);
            expect(release).to.deep.include({
                layout: "server",
                python: "3.13",
                pipRequirement: `argus-server==${version}`,
                settingsModule: "argus.site.settings.prod",
                wsgiApplication: "argus.site.wsgi:application",
                probePath: "/api/",
            });
            expect(release.asgiApplication, "no daphne in 2.x").to.equal(undefined);
            expect(release.runtimePackages).to.include("psycopg[c]");
            expect(release.requiredEnv).to.deep.equal(["ARGUS_FRONTEND_URL", "DEFAULT_FROM_EMAIL", "EMAIL_HOST", "SECRET_KEY", "STATIC_ROOT"]);
            expect(release.readEnv).to.include.members(["EMAIL_USE_TLS", "ARGUS_BANNER_MESSAGE", "DATABASE_URL"]);
            expect(release.readEnv).not.to.include.members(["ARGUS_SPA_COOKIE_DOMAIN"]);
            expect(release.readEnv).not.to.include("ARGUS_DATAPORTEN_KEY");
            expect(release.readEnv).not.to.include("ARGUS_REDIS_SERVER");
            expect(release.readEnv.includes("ARGUS_PYPI_URL")).to.equal(facts.readsPypiUrl);
            expect(release.taskQueue).to.deep.equal({ worker: ["django-admin", "db_worker"], prune: ["django-admin", "prune_db_task_results"] });
            expect(release.periodic.map((p) => p.command.slice(0, 2).join(" "))).to.deep.equal(["django-admin check_started_maintenance", "django-admin check_ended_maintenance"]);
        });
    }

    it("gives the maintenance commands --minutes only up to 2.8.x, which the real 2.9.1 refuses (npm run test:argus)", () => {
        const commands = (v: string) => argusRelease(v).periodic.map((p) => p.command);
        expect(commands("2.8.1")).to.deep.equal([
            ["django-admin", "check_started_maintenance", "--minutes", "5"],
            ["django-admin", "check_ended_maintenance", "--minutes", "5"],
        ]);
        for (const v of ["2.9.0", "2.9.1"]) {
            expect(commands(v)).to.deep.equal([
                ["django-admin", "check_started_maintenance"],
                ["django-admin", "check_ended_maintenance"],
            ]);
        }
    });

    it("installs django-tasks beside django-tasks-db in 2.x, whose newest release no longer brings it (npm run test:argus)", () => {
        for (const v of ["2.8.0", "2.9.1"]) {
            expect(argusRelease(v).runtimePackages).to.include("django-tasks==0.12.0");
        }
        expect(argusRelease("1.37.0").runtimePackages.some((p) => p.startsWith("django-tasks"))).to.equal(false);
    });

    it("1.x has no task queue and no periodic jobs, but a daphne app", () => {
        const release = argusRelease("1.37.0");
        expect(release.taskQueue).to.equal(undefined);
        expect(release.periodic).to.deep.equal([]);
        expect(release.asgiApplication).to.equal("argus_site.asgi:application");
        expect(release.probePath).to.equal("/admin/login/");
    });
});
