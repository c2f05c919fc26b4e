import { expect } from "chai";
import { configProblems, parseMinimal } from "../helpers";
import { officialPostgresMajors, postgresImageMajor } from "../../stacks/sections/backup";
import { specifies } from "./helpers";

/** stacks/sections/backup.ts: whether a stack dumps its database before each migration, and with what. */
describe("the backup before each migration: when", () => {
    it("is on for production, off for staging and review stacks, unless set", () => {
        expect(parseMinimal("production").backup).to.not.equal(undefined);
        expect(parseMinimal("staging").backup).to.equal(undefined);
        expect(parseMinimal("review-123").backup).to.equal(undefined);
        expect(parseMinimal("production", { backupBeforeMigration: "false" }).backup).to.equal(undefined);
        expect(parseMinimal("staging", { backupBeforeMigration: "true" }).backup).to.not.equal(undefined);
    });

    it("refuses its other keys on a stack that takes no backup, naming the key to remove", () => {
        expect(configProblems("staging", { backupKeep: "10", backupStorageClass: "fast" })).to.deep.equal([
            "backupStorageClass: has no effect: this stack takes no backup before migrations (backupBeforeMigration). Fix: pulumi config rm --stack staging backupStorageClass",
            "backupKeep: has no effect: this stack takes no backup before migrations (backupBeforeMigration). Fix: pulumi config rm --stack staging backupKeep",
        ]);
    });

    specifies("backupBeforeMigration", {
        accepted: ["", "true", "false"],
        refused: ["yes", "True"],
        problem: (v) => `"${v}" is not true, false or empty (on for production only).`,
    });
});

describe("the backup before each migration: what", () => {
    it("pins every default: pg_dump 15 of the official image, 5 GiB on the default StorageClass, 5 dumps kept", () => {
        expect(parseMinimal("production").backup).to.deep.equal({ postgresMajor: 15, image: "docker.io/library/postgres:15-bookworm", storageGi: 5, storageClass: "", keep: 5 });
    });

    it("takes the major, size, class and number of dumps chosen", () => {
        expect(parseMinimal("production", { backupPostgresMajor: "17", backupStorageGi: "20", backupStorageClass: "fast", backupKeep: "10" }).backup).to.deep.equal({
            postgresMajor: 17,
            image: "docker.io/library/postgres:17-bookworm",
            storageGi: 20,
            storageClass: "fast",
            keep: 10,
        });
    });

    it("runs pg_dump of a stack's own database's image, whose major it takes from the tag", () => {
        expect(parseMinimal("review-123", { backupBeforeMigration: "true", postgresImage: "docker.io/library/postgres:16.9-bookworm" }).backup).to.deep.include({ postgresMajor: 16, image: "docker.io/library/postgres:16.9-bookworm" });
        expect(configProblems("review-123", { backupBeforeMigration: "true", backupPostgresMajor: "17" })).to.deep.equal([
            "backupPostgresMajor: 17 differs from the major of the inCluster database's image (15), which the backup takes. Fix: pulumi config rm --stack review-123 backupPostgresMajor",
        ]);
    });

    it("reads the major from an official image's tag", () => {
        expect(["postgres:15.18-bookworm", "docker.io/library/postgres:17", "registry.example.org/library/postgres:16-alpine3.22", "postgres@sha256:0123", "mypostgres:15"].map(postgresImageMajor)).to.deep.equal([15, 17, 16, undefined, undefined]);
    });

    it("offers the majors the official image is published for", () => {
        expect([...officialPostgresMajors]).to.deep.equal([14, 15, 16, 17, 18]);
    });

    specifies("backupPostgresMajor", {
        accepted: ["14", "15", "18"],
        refused: ["13", "19", "15.4", "latest"],
        problem: (v) => `"${v}" is not a major the official postgres image is published for (14, 15, 16, 17, 18).`,
        with: { backupBeforeMigration: "true" },
    });
    specifies("backupKeep", { accepted: ["1", "100"], refused: ["0", "101"], problem: (v) => `${v} is outside 1..100.`, with: { backupBeforeMigration: "true" } });
    specifies("backupStorageGi", { accepted: ["1", "1000"], refused: ["0", "1001"], problem: (v) => `${v} is outside 1..1000.`, with: { backupBeforeMigration: "true" } });
});
