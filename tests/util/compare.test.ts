import { expect } from "chai";
import { compareText } from "../../util/compare";

describe("compareText", () => {
    it("orders by code units, not by a locale: capitals first, then letters beyond z", () => {
        // A locale-aware sort would put "a" before "B", and Swedish "ä" after "z" or next to "a" depending on the machine.
        expect(["b", "ä", "B", "a", "A", "z"].sort(compareText)).to.deep.equal(["A", "B", "a", "b", "z", "ä"]);
    });

    it("is zero only for equal strings", () => {
        expect(compareText("argus", "argus")).to.equal(0);
        expect(compareText("argus-api", "argus")).to.be.greaterThan(0);
        expect(compareText("argus", "argus-api")).to.be.lessThan(0);
    });
});
