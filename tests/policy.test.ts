import { expect } from "chai";
import { declaredExternals, StackResource, stackViolations } from "../policy/rules";
import { Rendering } from "../render";
import { Overrides, renderWith } from "./helpers";

/** A stack as the engine hands it to a stack policy: each resource's props, and the Stack's outputs. */
function engineResources(r: Rendering, withOutputs = true): StackResource[] {
    return [
        ...(withOutputs ? [{ type: "pulumi:pulumi:Stack", props: r.outputs }] : []),
        ...r.resources.map((x) => ({ type: x.type, props: x.inputs })),
    ];
}

describe("the policy pack (policy/), the render's checks in the engine", () => {
    it("passes every stack in both layouts", async () => {
        for (const stack of ["production", "staging", "review-123"]) {
            for (const overrides of [{ apiReplicas: "2" }, { argusVersion: "2.9.1", webuiReplicas: null, versionCheck: "true" }] as Overrides[]) {
                expect(stackViolations(engineResources(await renderWith(stack, overrides))), `${stack} ${JSON.stringify(overrides)}`).to.deep.equal([]);
            }
        }
    });

    it("reports what the render refuses, one message per broken rule", async () => {
        const resources = engineResources(await renderWith("staging"));
        const webui = resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && (x.props as any).metadata.name === "argus-staging-webui")!;
        (webui.props as any).spec.template.spec.containers[0].image = "nginx:latest";
        expect(stackViolations(resources)).to.deep.equal([
            'Deployment argus-staging/argus-staging-webui: [pinned-image] container webui runs "nginx:latest", which is untagged or latest.',
        ]);
    });

    it("takes the objects an operator makes from the stack's externalObjects output", async () => {
        const r = await renderWith("staging", { existingApiSecret: "argus-api", databaseUrl: null });
        expect(declaredExternals(engineResources(r))).to.deep.equal(["Secret/argus-api"]);
        expect(stackViolations(engineResources(r))).to.deep.equal([]);
        expect(stackViolations(engineResources(r, false))).to.include(
            'Job argus-staging/argus-staging-migrate-' + String(r.outputs.argusImage).slice(-12) +
                ': [reference] container migrate env DATABASE_URL names Secret "argus-api", which neither the render makes nor the stack declares external.',
        );
    });
});
