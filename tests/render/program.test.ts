import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../render/program";

class Group extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Group", name, {}, opts);
        this.registerOutputs({});
    }
}
class Thing extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, { value: name }, opts);
    }
}
const thing = (name: string, opts?: pulumi.CustomResourceOptions) => new Thing(name, opts);

describe("running a program under the mock runtime (runProgram)", () => {
    it("records each resource's parent (the stack by default) and the resources it names in dependsOn, and returns the outputs", async () => {
        const run = await runProgram("proj", "dev", { values: {}, secretKeys: [] }, async () => {
            const a = thing("a");
            const group = new Group("g");
            thing("b", { parent: group, dependsOn: a });
            thing("c", { dependsOn: [a, group] });
            return { answer: 42 };
        });
        const recorded = Object.fromEntries(run.resources.map((r) => [r.name, { parent: r.parent, dependsOn: r.dependsOn, custom: r.custom }]));
        expect(recorded).to.deep.equal({
            "proj-dev": { parent: undefined, dependsOn: undefined, custom: false },
            a: { parent: "pulumi:pulumi:Stack::proj-dev", dependsOn: undefined, custom: true },
            g: { parent: "pulumi:pulumi:Stack::proj-dev", dependsOn: undefined, custom: false },
            b: { parent: "test:index:Group::g", dependsOn: ["test:index:Thing::a"], custom: true },
            c: { parent: "pulumi:pulumi:Stack::proj-dev", dependsOn: ["test:index:Thing::a", "test:index:Group::g"], custom: true },
        });
        expect(run.outputs).to.deep.equal({ answer: 42 });
    });

    it("gives the program the config, with secret keys as secrets", async () => {
        let seen: unknown[] = [];
        await runProgram("proj", "dev", { values: { "proj:plain": "p", "proj:hidden": "h" }, secretKeys: ["proj:hidden"] }, async () => {
            const config = new pulumi.Config("proj");
            seen = [config.get("plain"), pulumi.Output.isInstance(config.getSecret("hidden"))];
            return {};
        });
        expect(seen).to.deep.equal(["p", true]);
    });
});
