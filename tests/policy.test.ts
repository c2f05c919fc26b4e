import { expect } from "chai";
import { allViolations, declaredExternals, PolicyResource, resourceRules, resourceViolations, stackViolations } from "../policy/rules";
import { Rendering } from "../render";
import { nameRules, policyRules } from "../render/checks";
import { Overrides, renderWith } from "./helpers";

/** A stack as the engine hands it to a stack policy: each resource's props, and the Stack's outputs. */
function engineResources(r: Rendering, withOutputs = true): PolicyResource[] {
    return [
        ...(withOutputs ? [{ type: "pulumi:pulumi:Stack", props: r.outputs }] : []),
        ...r.resources.map((x) => ({ type: x.type, props: x.inputs })),
    ];
}

describe("the policy pack (policy/), the render's checks in the engine", () => {
    it("passes every stack in both layouts, resource by resource and across resources", async () => {
        for (const stack of ["production", "staging", "review-123"]) {
            for (const overrides of [{ apiReplicas: "2" }, { argusVersion: "2.9.1", webuiReplicas: null, versionCheck: "true" }] as Overrides[]) {
                const resources = engineResources(await renderWith(stack, overrides));
                const perResource = resources.flatMap((r) => resourceRules.flatMap((rule) => resourceViolations(rule, r)));
                expect([...perResource, ...stackViolations(resources)], `${stack} ${JSON.stringify(overrides)}`).to.deep.equal([]);
            }
        }
    });

    it("runs every check of the render: the resource policies and the stack policy together", async () => {
        expect(resourceRules.map((r) => r.name)).to.deep.equal([...policyRules.map((r) => r.name), ...nameRules.map((r) => r.name), "schema"]);
        const resources = engineResources(await renderWith("staging"));
        const webui = resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && (x.props as any).metadata.name === "argus-staging-webui")!;
        (webui.props as any).spec.template.spec.containers[0].image = "nginx:latest";
        (webui.props as any).spec.template.metadata.labels["app.kubernetes.io/component"] = "other";
        expect(allViolations(resources)).to.deep.equal([
            'Deployment argus-staging/argus-staging-webui: [pinned-image] container webui runs "nginx:latest", which is untagged or latest.',
            "Service argus-staging/argus-staging-webui: [service-selects-pods] selects no Pod template of a Deployment.",
            'Service argus-staging/argus-staging-webui: [reference] port http targets "http", which no container of its Pods exposes.',
        ]);
        expect(resourceRules.flatMap((rule) => resourceViolations(rule, webui))).to.deep.equal(['[pinned-image] container webui runs "nginx:latest", which is untagged or latest.']);
        expect(stackViolations(resources)).to.deep.equal([
            "Service argus-staging/argus-staging-webui: [service-selects-pods] selects no Pod template of a Deployment.",
            'Service argus-staging/argus-staging-webui: [reference] port http targets "http", which no container of its Pods exposes.',
        ]);
    });

    it("in a preview, a value unknown to one rule disarms that rule for that resource only", async () => {
        // The engine's own proxy (@pulumi/policy 1.21.0 proxy.js), with the image digest unknown as in a preview that builds.
        const proxy = require("@pulumi/policy/proxy");
        const resources = engineResources(await renderWith("staging"));
        const api = resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && (x.props as any).metadata.name === "argus-staging-api")!;
        const props = JSON.parse(JSON.stringify(api.props));
        props.spec.template.spec.containers[0].image = proxy.unknownStringValue;
        props.spec.template.spec.containers[1].securityContext.allowPrivilegeEscalation = true;
        const previewed = { type: api.type, props: proxy.unknownCheckingProxy(props) };
        const outcome = (rule: (typeof resourceRules)[number]) => {
            try {
                return resourceViolations(rule, previewed);
            } catch (err) {
                return err instanceof proxy.UnknownValueError ? "advisory" : err;
            }
        };
        const byRule = Object.fromEntries(resourceRules.map((rule) => [rule.name, outcome(rule)]));
        expect(byRule["pinned-image"]).to.equal("advisory");
        expect(byRule.schema, JSON.stringify(byRule.schema)).to.equal("advisory");
        expect(byRule["non-root"]).to.deep.equal(["[non-root] container websockets allows privilege escalation."]);
        expect(byRule.limits).to.deep.equal([]);
        expect(byRule.probes).to.deep.equal([]);
        expect(byRule.name).to.deep.equal([]);
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
