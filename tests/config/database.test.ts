import { expect } from "chai";
import { ConfigError, parseStackConfig } from "../../stacks";
import { mapSource, minimalConfig, parseMinimal } from "../helpers";

function problems(stack: string, plain: Record<string, string>, secrets: Record<string, string> = {}): string[] {
    try {
        parseMinimal(stack, plain, secrets);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
    }
}

describe("where the database lives", () => {
    it("is the default of review stacks only; any stack can choose", () => {
        expect(parseMinimal("review-5").database).to.deep.equal({ mode: "inCluster", image: "docker.io/library/postgres:15.18-bookworm", storageGi: 1 });
        expect(parseMinimal("staging").database).to.deep.equal({ mode: "external" });
        expect(parseMinimal("production").database).to.deep.equal({ mode: "external" });
        expect(parseMinimal("staging", { database: "inCluster", databaseStorageGi: "4" }, { databaseUrl: "" }).database).to.deep.include({ mode: "inCluster", storageGi: 4 });
        expect(parseMinimal("review-5", { database: "external" }).database).to.deep.equal({ mode: "external" });
    });
});

describe("database settings that contradict each other", () => {
    it("refuses a URL or an operator's Secret beside the stack's own database", () => {
        expect(problems("review-5", {}, { databaseUrl: "postgresql://argus:pw@db/argus" })).to.deep.equal([
            "databaseUrl: is set, but this stack runs its own database (database inCluster), whose URL the program makes. Fix: pulumi config rm --stack review-5 databaseUrl (or pulumi config set --stack review-5 database external)",
        ]);
        expect(problems("review-5", { existingApiSecret: "argus-secrets" })).to.deep.equal([
            "existingApiSecret: is set, but this stack runs its own database (database inCluster, the default of review stacks), whose URL the program makes. Fix: pulumi config set --stack review-5 database external (or pulumi config rm --stack review-5 existingApiSecret)",
        ]);
    });

    it("refuses an external database without a URL or Secret, naming both fixes", () => {
        const none = (() => {
            try {
                parseStackConfig("review-5", mapSource({ ...minimalConfig, database: "external" }));
            } catch (err) {
                return (err as ConfigError).problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
            }
            return [];
        })();
        expect(none).to.deep.equal([
            "databaseUrl: is required for an external database (or existingApiSecret). Fix: pulumi config set --secret --stack review-5 databaseUrl postgresql://argus:PASSWORD@db.example.org:5432/argus (or, for a database of the stack's own: pulumi config set --stack review-5 database inCluster)",
        ]);
    });

    it("refuses keys of the other kind of database, an unknown kind and an unpinned image", () => {
        expect(problems("staging", { postgresImage: "docker.io/library/postgres:16.4-bookworm", databaseStorageGi: "2" })).to.deep.equal([
            "postgresImage: applies to an inCluster database only, and this stack's database is external. Fix: pulumi config rm --stack staging postgresImage",
            "databaseStorageGi: applies to an inCluster database only, and this stack's database is external. Fix: pulumi config rm --stack staging databaseStorageGi",
        ]);
        expect(problems("review-5", { databaseCidr: "10.0.0.0/8" })).to.deep.equal([
            "databaseCidr: applies to an external database only, and this stack's database is inCluster. Fix: pulumi config rm --stack review-5 databaseCidr",
        ]);
        expect(problems("review-5", { database: "postgres" })[0]).to.equal('database: "postgres" is neither inCluster nor external. Fix: pulumi config set --stack review-5 database external');
        expect(problems("review-5", { postgresImage: "docker.io/library/postgres:latest" })).to.deep.equal([
            'postgresImage: "docker.io/library/postgres:latest" is not pinned to a version (a tag other than latest, or a digest). Fix: pulumi config set --stack review-5 postgresImage docker.io/library/postgres:15.18-bookworm',
        ]);
    });
});
