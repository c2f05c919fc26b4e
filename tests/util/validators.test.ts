import { expect } from "chai";
import { isCidr, isDnsSubdomain } from "../../util/validators";

describe("the shared validators", () => {
    it("isCidr: four octets of at most 255 and a prefix of at most 32", () => {
        expect(["0.0.0.0/0", "255.255.255.255/32", "10.1.2.3/08"].map(isCidr)).to.deep.equal([true, true, true]);
        expect(["255.255.255.256/32", "1.2.3.4/33", "1.2.3.4", "1.2.3/8", "1.2.3.4.5/8", "1.2.3.4/", "1111.2.3.4/8"].map(isCidr)).to.deep.equal(new Array(7).fill(false));
    });

    it("isDnsSubdomain: lower-case labels joined by dots, at most 253", () => {
        expect(["a", "a-b.c", "1.2", "a".repeat(253)].map(isDnsSubdomain)).to.deep.equal([true, true, true, true]);
        expect(["a".repeat(254), "a.", ".a", "a-", "-a", "a..b", "A", ""].map(isDnsSubdomain)).to.deep.equal(new Array(8).fill(false));
    });
});
