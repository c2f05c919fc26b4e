import { expect } from "chai";
import { derivedWorkers, workersMemoryHolds } from "../../stacks/sections/capacity";
import { parseMinimal } from "../helpers";
import { configError } from "./helpers";

const container = (cpuLimit: number, memoryLimit: number) => ({ cpuMillis: { request: 100, limit: cpuLimit }, memoryMiB: { request: 128, limit: memoryLimit } });

describe("gunicorn workers derived from the web container's limits", () => {
    it("takes 3 per core of the CPU limit in 2.x and 2 in 1.x, at least 2 and at most 8", () => {
        expect(derivedWorkers(container(2000, 4096), "server")).to.equal(6);
        expect(derivedWorkers(container(2000, 4096), "spa")).to.equal(4);
        expect(derivedWorkers(container(500, 4096), "server")).to.equal(2);
        expect(derivedWorkers(container(500, 4096), "spa")).to.equal(2);
        expect(derivedWorkers(container(8000, 16384), "server")).to.equal(8);
    });

    it("takes no more than the memory limit holds (150Mi a worker beside a 32Mi master), and always one", () => {
        expect(workersMemoryHolds(container(2000, 1024))).to.equal(6);
        expect(derivedWorkers(container(4000, 512), "server")).to.equal(3);
        expect(derivedWorkers(container(4000, 192), "spa")).to.equal(1);
    });

    it("gives each profile's web container what its limits hold, sync workers (one thread): 2.x review 2, staging 3, production 6; 1.x production 4", () => {
        expect(parseMinimal("review-1", { argusVersion: "2.9.1" }).api.capacity).to.deep.equal({ workers: 2, threads: 1, databaseConnMaxAge: 60 });
        expect(parseMinimal("staging", { argusVersion: "2.9.1" }).api.capacity.workers).to.equal(3);
        expect(parseMinimal("production", { domain: "uninett.no", argusVersion: "2.10.2" }).api.capacity).to.deep.equal({ workers: 6, threads: 1, databaseConnMaxAge: 60 });
        expect(parseMinimal("production", { domain: "uninett.no" }).api.capacity).to.deep.equal({ workers: 4, threads: 1, databaseConnMaxAge: 60 });
    });
});

describe("webWorkers, webThreads and databaseConnMaxAge set by the stack", () => {
    it("uses the workers and threads the stack sets, and its connection age (0: one per request)", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1", webWorkers: "3", webThreads: "8", databaseConnMaxAge: "0" }).api.capacity).to.deep.equal({ workers: 3, threads: 8, databaseConnMaxAge: 0 });
    });

    it("gives 1.x one thread per worker, and refuses more: it forks a process for each notification", () => {
        expect(parseMinimal("staging").api.capacity.threads).to.equal(1);
        expect(parseMinimal("staging", { webThreads: "1" }).api.capacity.threads).to.equal(1);
        expect(configError(() => parseMinimal("staging", { webThreads: "4" })).problems).to.deep.equal([
            {
                key: "webThreads",
                problem: "is 4, and Argus 1.x takes one thread per worker: it forks a process for each notification, which a threaded process cannot do safely.",
                fix: "pulumi config rm --stack staging webThreads (and raise webWorkers for more requests at once)",
            },
        ]);
    });

    it("refuses more workers than the container's memory limit holds, naming the limit and both fixes", () => {
        const error = configError(() => parseMinimal("review-1", { webWorkers: "5" }));
        expect(error.problems).to.deep.equal([
            {
                key: "webWorkers",
                problem: "5 workers need about 782Mi, and the django container's memory limit of 384Mi holds 2.",
                fix: "set fewer (pulumi config set --stack review-1 webWorkers 2), or raise the limit with resourceOverrides (django.memory=...).",
            },
        ]);
        expect(parseMinimal("review-1", { webWorkers: "5", resourceOverrides: "django.memory=256Mi/1Gi" }).api.capacity.workers).to.equal(5);
    });

    it("refuses counts outside their bounds", () => {
        const keys = configError(() => parseMinimal("staging", { argusVersion: "2.9.1", webWorkers: "17", webThreads: "33", databaseConnMaxAge: "3601" })).problems.map((p) => p.key);
        expect(keys).to.deep.equal(["webWorkers", "webThreads", "databaseConnMaxAge"]);
        expect(configError(() => parseMinimal("staging", { argusVersion: "2.9.1", webThreads: "0" })).problems.map((p) => p.key)).to.deep.equal(["webThreads"]);
    });
});
