import { expect } from "chai";
import { applyResourceOverrides, parseCpu, parseMemory, resourceCeiling, resourceFloor, resourceProfiles } from "../../stacks/resourceProfiles";
import { parseMinimal } from "../helpers";
import { configError, problemTexts } from "./helpers";

describe("resources", () => {
    it("sizes review apps small, staging medium and production large", () => {
        expect(parseMinimal("review-1").resources).to.deep.equal(resourceProfiles.small);
        expect(parseMinimal("staging").resources).to.deep.equal(resourceProfiles.medium);
        expect(parseMinimal("production", { domain: "uninett.no" }).resources).to.deep.equal(resourceProfiles.large);
        expect(parseMinimal("staging", { resourceProfile: "small" }).resources).to.deep.equal(resourceProfiles.small);
    });

    it("applies per-container overrides on top of the profile", () => {
        const resources = parseMinimal("staging", { resourceOverrides: "django.cpu=250m/2, redis.memory=64Mi/1Gi" }).resources;
        expect(resources.django).to.deep.equal({ cpuMillis: { request: 250, limit: 2000 }, memoryMiB: resourceProfiles.medium.django.memoryMiB });
        expect(resources.redis.memoryMiB).to.deep.equal({ request: 64, limit: 1024 });
        expect(resources.webui).to.deep.equal(resourceProfiles.medium.webui);
    });

    it("refuses negative, inverted, absurd and misspelt resources, one message each", () => {
        const error = configError(() =>
            parseMinimal("staging", { resourceProfile: "huge", resourceOverrides: "django.cpu=-1/2,nginx.memory=1Gi/512Mi,redis.cpu=1/64,djano.cpu=1/2,webui.memory=1GB/2GB" }),
        );
        expect(error.problems.map((p) => p.key)).to.deep.equal(["resourceProfile"]);
        const overrides = configError(() => parseMinimal("staging", { resourceOverrides: "django.cpu=-1/2,nginx.memory=1Gi/512Mi,redis.cpu=1/64,djano.cpu=1/2,webui.memory=1GB/2GB" }));
        expect(overrides.problems.map((p) => p.problem)).to.deep.equal([
            '"django.cpu=-1/2" has a quantity that is not like 250m or 0.5.',
            '"nginx.memory=1Gi/512Mi" needs 0 < request <= limit.',
            '"redis.cpu=1/64" asks for more than one container may have (8 cores).',
            '"djano.cpu=1/2" names no container of this layout; its containers are django, websockets, nginx, redis, webui, postgres.',
            '"webui.memory=1GB/2GB" has a quantity that is not like 512Mi or 1Gi.',
        ]);
        expect(error.message).to.contain('argus:resourceProfile: "huge" is not one of small, medium, large.');
    });

    it("refuses an override given twice, and limits too small for a container to start", () => {
        expect(problemTexts({ resourceOverrides: "django.cpu=100m/1,django.cpu=200m/2,django.memory=64Mi/128Mi,nginx.memory=4Mi/8Mi" })).to.deep.equal([
            'resourceOverrides: "django.cpu=200m/2" sets django.cpu a second time; keep one.',
            'resourceOverrides: "django.memory=64Mi/128Mi" gives django a limit below the 192Mi it needs to start.',
            'resourceOverrides: "nginx.memory=4Mi/8Mi" gives nginx a limit below the 16Mi it needs to start.',
        ]);
    });
});

describe("resource profiles", () => {
    it("gives every container of every profile at least what it needs to start", () => {
        for (const [profile, containers] of Object.entries(resourceProfiles)) {
            for (const [name, spec] of Object.entries(containers)) {
                const floor = resourceFloor[name as keyof typeof resourceFloor];
                expect(spec.cpuMillis.limit, `${profile} ${name} cpu`).to.be.at.least(floor.cpuMillis);
                expect(spec.memoryMiB.limit, `${profile} ${name} memory`).to.be.at.least(floor.memoryMiB);
                expect(spec.cpuMillis.request, `${profile} ${name} cpu`).to.be.at.most(spec.cpuMillis.limit);
                expect(spec.memoryMiB.request, `${profile} ${name} memory`).to.be.at.most(spec.memoryMiB.limit);
            }
        }
    });
});

describe("resource quantities", () => {
    it("reads CPU as millicores or cores with up to three decimals, and nothing else", () => {
        expect(parseCpu("250m")).to.equal(250);
        expect(parseCpu("2")).to.equal(2000);
        expect(parseCpu("0.5")).to.equal(500);
        expect(parseCpu("1.125")).to.equal(1125);
        for (const text of ["x250m", "250mx", "250 m", "1.2345", "1.x", "x1", "1x", "-1", "m", ""]) {
            expect(parseCpu(text), text).to.equal(undefined);
        }
    });

    it("reads memory in Mi or Gi, and nothing else", () => {
        expect(parseMemory("512Mi")).to.equal(512);
        expect(parseMemory("2Gi")).to.equal(2048);
        for (const text of ["x512Mi", "512Mix", "512MB", "1.5Gi", "512", "Mi", ""]) {
            expect(parseMemory(text), text).to.equal(undefined);
        }
    });
});

describe("resource overrides", () => {
    const apply = (overrides: string) => applyResourceOverrides(resourceProfiles.medium, overrides);

    it("accepts a request equal to its limit, and leaves the other resource and containers alone", () => {
        const { resources, problems } = apply("django.cpu=1/1");
        expect(problems).to.deep.equal([]);
        expect(resources.django).to.deep.equal({ cpuMillis: { request: 1000, limit: 1000 }, memoryMiB: resourceProfiles.medium.django.memoryMiB });
        expect(resources.websockets).to.deep.equal(resourceProfiles.medium.websockets);
    });

    it("refuses a zero request, and a request above its limit", () => {
        expect(apply("django.cpu=0/1").problems).to.deep.equal(['"django.cpu=0/1" needs 0 < request <= limit.']);
        expect(apply("django.memory=1Gi/512Mi").problems).to.deep.equal(['"django.memory=1Gi/512Mi" needs 0 < request <= limit.']);
    });

    it("holds each resource to its own ceiling and floor", () => {
        // 9000Mi is under the memory ceiling (16Gi) though above the CPU ceiling's number (8000).
        expect(resourceCeiling).to.deep.equal({ cpuMillis: 8000, memoryMiB: 16384 });
        expect(apply("django.memory=512Mi/9000Mi").problems).to.deep.equal([]);
        expect(apply("django.cpu=1/9").problems).to.deep.equal(['"django.cpu=1/9" asks for more than one container may have (8 cores).']);
        expect(apply("django.memory=1Gi/17Gi").problems).to.deep.equal(['"django.memory=1Gi/17Gi" asks for more than one container may have (16Gi).']);
        // The CPU floor of django is 100m, its memory floor 192Mi: each is checked against its own.
        expect(apply("django.cpu=150m/150m").problems).to.deep.equal([]);
        expect(apply("django.memory=150Mi/150Mi").problems).to.deep.equal(['"django.memory=150Mi/150Mi" gives django a limit below the 192Mi it needs to start.']);
        expect(apply("django.cpu=50m/50m").problems).to.deep.equal(['"django.cpu=50m/50m" gives django a limit below the 100m it needs to start.']);
        // Both bounds are allowed themselves.
        expect(apply("django.cpu=100m/100m,websockets.cpu=1/8").problems).to.deep.equal([]);
    });

    it("refuses anything not of the form container.resource=request/limit, naming the form", () => {
        for (const part of ["django.cpu=1", "xdjango.cpu=1/2 y", "!django.cpu=1/2", "django.disk=1/2", "django.cpu=1/2/3x"]) {
            expect(apply(part).problems, part).to.have.length(1);
        }
        expect(apply("django.cpu=1").problems).to.deep.equal([
            '"django.cpu=1" is not of the form <container>.<cpu|memory>=<request>/<limit>, comma-separated, e.g. django.cpu=250m/2,django.memory=512Mi/1Gi.',
        ]);
    });
});
