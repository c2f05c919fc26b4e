import { expect } from "chai";
import { ArgusConfig } from "../../stacks/types";
import { parseMinimal } from "../helpers";
import { configError, problems, specifies } from "./helpers";

describe("network settings", () => {
    it("refuses address ranges that are not CIDRs and a bad ingress namespace", () => {
        const error = configError(() => parseMinimal("staging", { databaseCidr: "10.0.0.0", emailHost: "smtp.example.org", emailCidr: "300.1.1.1/8", ingressControllerNamespace: "Ingress" }));
        expect(error.problems.map((p) => p.key)).to.deep.equal(["ingressControllerNamespace", "databaseCidr", "emailCidr"]);
        expect(error.message).to.contain('argus:databaseCidr: "10.0.0.0" is not an IPv4 address range like 10.20.0.0/16.');
    });

    it("refuses an empty dnsEgress, which would allow DNS queries to every address", () => {
        for (const value of ["", " ", " , "]) {
            expect(problems({ dnsEgress: value }), JSON.stringify(value)).to.deep.equal([
                "dnsEgress: is empty, which would let the Pods send DNS queries anywhere; name where they go. Fix: pulumi config set --stack staging dnsEgress kube-dns",
            ]);
        }
    });
});

describe("values the parsed network config carries", () => {
    const parsed = (plain: Record<string, string>, secrets: Record<string, string> = {}): ArgusConfig => parseMinimal("staging", plain, secrets);

    it("reads DNS egress as kube-dns or a list of ranges", () => {
        expect(parsed({}).network.dns).to.equal("kube-dns");
        expect(parsed({ dnsEgress: "169.254.20.10/32, 10.0.0.10/32" }).network.dns).to.deep.equal(["169.254.20.10/32", "10.0.0.10/32"]);
    });

    it("sends the database and a configured mail server to their ranges, or anywhere when none is given", () => {
        expect(parsed({}).network).to.deep.include({ database: { cidr: "0.0.0.0/0", port: 5432 }, email: undefined });
        expect(parsed({ databaseCidr: "10.0.0.0/8", databasePort: "6432", emailHost: "smtp.example.org", emailCidr: "10.1.0.0/16" }).network).to.deep.include({
            database: { cidr: "10.0.0.0/8", port: 6432 },
            email: { cidr: "10.1.0.0/16", port: 587 },
        });
    });
});

describe("what each network setting takes, value by value", () => {
    for (const key of ["databaseCidr", "emailCidr"]) {
        specifies(key, {
            accepted: ["10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32"],
            refused: ["256.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "10.0.0/8", "a10.0.0.0/8", "10.0.0.0/8x", "10.0.0.0/-1"],
            problem: (v) => `"${v}" is not an IPv4 address range like 10.20.0.0/16.`,
            with: { emailHost: "smtp.example.org" },
        });
    }

    specifies("dnsEgress", {
        accepted: ["kube-dns", " kube-dns ", "169.254.20.10/32", "169.254.20.10/32, 10.0.0.10/32"],
        refused: ["kube-dns,10.0.0.1/32", "coredns", "10.0.0.300/32"],
        problem: (v) => `"${v.split(",")[0]}" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.`,
    });

    specifies("ingressControllerNamespace", {
        accepted: ["a", "a-1", "1a", "a".repeat(63)],
        refused: ["A", "-a", "a-", "a.b", "a".repeat(64), "a_b"],
        problem: (v) => `"${v}" is not a namespace name.`,
    });
});
