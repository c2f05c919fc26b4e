import { expect } from "chai";
import { ConfigError } from "../../stacks";
import { defaultFrontendVersion, supportedFrontendVersions } from "../../releases/frontend";
import { parseMinimal } from "../helpers";
import { configError, specifies } from "./helpers";

describe("image settings", () => {
    it("refuses unpinned stock images and the latest tag", () => {
        const error = configError(() => parseMinimal("staging", { nginxImage: "nginx", redisImage: "redis:latest" }));
        expect(error.problems.map((p) => p.key)).to.include.members(["nginxImage", "redisImage"]);
    });

    it("trims the package list's spacing and drops empty items", () => {
        expect(parseMinimal("staging", { extraPythonPackages: " x==1 , ,y==2 " }).images.extraPythonPackages).to.deep.equal(["x==1", "y==2"]);
    });

    it("keeps a package's extras together, whatever separates the packages", () => {
        for (const list of ["argus-ticket-rt[jira,rt]==1.0,argus-notification-msteams==0.2", "argus-ticket-rt[jira,rt]==1.0 argus-notification-msteams==0.2", " argus-ticket-rt[jira,rt]==1.0 ,\targus-notification-msteams==0.2 "]) {
            expect(parseMinimal("staging", { extraPythonPackages: list.replace("\t", " ") }).images.extraPythonPackages, list).to.deep.equal(["argus-ticket-rt[jira,rt]==1.0", "argus-notification-msteams==0.2"]);
        }
    });
});

describe("what each image setting takes, value by value", () => {
    specifies("imageRepository", {
        accepted: ["registry.example.org/sikt/argus", "registry.example.org:5000/a/b-c", "localhost:5000/argus", "r.io/a.b_c/d__e", "r.io/a--b"],
        refused: ["Registry.example.org/x", "registry.example.org", "registry.example.org/argus:1.0", "registry.example.org/argus/", "https://registry.example.org/x", "registry.example.org/-a", " registry.example.org/a", "r.io:http/a", "r.io/a___b", "r.io/a.-b"],
        problem: (v) => `"${v}" is not a registry path (host/path, lower case, no tag).`,
    });

    specifies("extraPythonPackages", {
        accepted: ["argus-ticket-jira==1.0.0", "pkg[extra1]==2.0rc1", "a.b_c==1!2.0+local", " x==1 , y==2 "],
        refused: ["pkg>=1.0", "pkg==", "==1.0", "pkg==v1", "pkg[x]", "-pkg==1.0", "pkg==1.0;python_version>'3'"],
        problem: (v) => `"${v}" is not a package pinned as name==version.`,
    });
});

describe("argusVersion in config", () => {
    const problemOf = (version: string) => {
        try {
            parseMinimal("production", { argusVersion: version });
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            return (err as ConfigError).problems.find((p) => p.key === "argusVersion");
        }
        return undefined;
    };

    for (const version of ["1.23.0", "1.25.0", "1.38.0", "2.0.0", "2.7.0", "2.9.2", "latest", "v1.30.0"]) {
        it(`refuses ${version}, naming the supported range and why`, () => {
            const problem = problemOf(version);
            expect(problem?.problem).to.equal(
                `"${version}" is not a release this program knows how to run; supported are 1.24.0 to 1.37.0 (not 1.25.0), the 1.x releases ` +
                    "that name the cookie variable ARGUS_SPA_COOKIE_DOMAIN and still serve the React frontend, and 2.8.0 to 2.10.2, the 2.x " +
                    "releases with the task queue this program runs a worker for.",
            );
            expect(problem?.fix).to.equal("pulumi config set --stack production argusVersion 1.36.2");
        });
    }

    for (const version of ["1.24.0", "1.30.0", "1.37.0", "2.8.0", "2.9.1"]) {
        it(`accepts ${version}`, () => {
            expect(problemOf(version)).to.equal(undefined);
        });
    }
});

describe("frontendVersion in config", () => {
    it("accepts exactly the releases that read runtime-config.json, v1.14.1 by default", () => {
        expect([...supportedFrontendVersions]).to.deep.equal(["v1.13.0", "v1.14.0", "v1.14.1"]);
        expect(defaultFrontendVersion).to.equal("v1.14.1");
        for (const version of supportedFrontendVersions) {
            expect(parseMinimal("production", { frontendVersion: version }).images.frontendVersion).to.equal(version);
        }
    });

    for (const version of ["v1.13.1", "v1.12.0", "1.14.1", "main"]) {
        it(`refuses ${version}`, () => {
            expect(() => parseMinimal("production", { frontendVersion: version })).to.throw(
                ConfigError,
                `argus:frontendVersion: "${version}" is not a usable Argus-frontend release; supported are v1.13.0, v1.14.0, v1.14.1: the releases that read runtime-config.json at start.`,
            );
        });
    }
});
