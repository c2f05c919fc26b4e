import { expect } from "chai";
import { deployerUsername, reviewNamespaceMaxLength, reviewNamespacePattern } from "../../deployers/names";
import { maxInstanceNameLength, parseStackName, StackIdentity } from "../../stacks/stackName";

/** Whether the policy's check (its regex and length bound, as CEL evaluates them) accepts a namespace name. */
const policyAccepts = (name: string) => new RegExp(reviewNamespacePattern).test(name) && name.length <= reviewNamespaceMaxLength;

describe("the review namespaces the policy accepts", () => {
    const longest = "s".repeat(maxInstanceNameLength - "argus-review-".length);
    let namespaces: Record<string, string>;
    beforeEach(() => {
        namespaces = Object.fromEntries(
            ["review-1", "review-x", "review-a-b", `review-${longest}`].map((stack) => [stack, (parseStackName(stack) as StackIdentity).instanceName]),
        );
    });

    it("are the namespaces of review-<slug> stacks, the longest slug included", () => {
        expect(Object.values(namespaces).filter((n) => !policyAccepts(n))).to.deep.equal([]);
    });

    it("are not the namespaces of production, staging, other teams, or a name one character too long", () => {
        const refused = ["argus", "argus-staging", "argus-staging2", "kube-system2", "argus-review", "argus-review-", "argus-review--x", "argus-review-X", "x-argus-review-1", `argus-review-${longest}s`];
        expect(refused.filter(policyAccepts)).to.deep.equal([]);
        expect(parseStackName(`review-${longest}s`)).to.be.a("string");
    });
});

describe("the deployers' usernames", () => {
    it("are their ServiceAccounts' usernames in argus-deployers", () => {
        expect(deployerUsername("review")).to.equal("system:serviceaccount:argus-deployers:review");
    });
});
