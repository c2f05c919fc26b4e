import { expect } from "chai";
import { allViolations, declaredExternals, PolicyResource, resourceRules, resourceViolations, stackViolations } from "../../policy/rules";
import { Rendering } from "../../render";
import { hardeningRules } from "../../rules/hardening";
import { nameRules } from "../../rules/names";
import { Overrides, renderWith, sharedRenders } from "../helpers";

/** A stack as the engine hands it to a stack policy: each resource's props, and the Stack's outputs. */
function engineResources(r: Rendering, withOutputs = true): PolicyResource[] {
    return [
        ...(withOutputs ? [{ type: "pulumi:pulumi:Stack", props: r.outputs }] : []),
        ...r.resources.map((x) => ({ type: x.type, props: x.inputs })),
    ];
}

/** The staging Deployment named `name` among the resources. */
function deployment(resources: PolicyResource[], name: string): PolicyResource {
    return resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && (x.props as any).metadata.name === name)!;
}

describe("the policy pack (policy/) on every stack in both layouts", () => {
    const stacks = ["production", "staging", "review-123"];
    const layouts = [{ apiReplicas: "2" }, { argusVersion: "2.9.1", webuiReplicas: null, versionCheck: "true" }] as Overrides[];
    const renders = layouts.map((overrides) => ({ overrides, renderings: sharedRenders(stacks, overrides) }));
    let rendered: { what: string; resources: PolicyResource[] }[];
    beforeEach(async () => {
        rendered = [];
        for (const { overrides, renderings } of renders) {
            const all = await renderings();
            for (const stack of stacks) rendered.push({ what: `${stack} ${JSON.stringify(overrides)}`, resources: engineResources(all.get(stack)!) });
        }
    });

    it("passes every stack in both layouts, resource by resource and across resources", () => {
        for (const { what, resources } of rendered) {
            const perResource = resources.flatMap((r) => resourceRules.flatMap((rule) => resourceViolations(rule, r)));
            expect([...perResource, ...stackViolations(resources)], what).to.deep.equal([]);
        }
    });
});

describe("the policy pack runs every check of the render", () => {
    let resources: PolicyResource[];
    let webui: PolicyResource;
    beforeEach(async () => {
        resources = engineResources(await renderWith("staging"));
        webui = deployment(resources, "argus-staging-webui");
        (webui.props as any).spec.template.spec.containers[0].image = "nginx:latest";
        (webui.props as any).spec.template.metadata.labels["app.kubernetes.io/component"] = "other";
    });

    it("has a resource policy per single-object rule: hardening, names, then the schema", () => {
        expect(resourceRules.map((r) => r.name)).to.deep.equal([...hardeningRules.map((r) => r.name), ...nameRules.map((r) => r.name), "schema"]);
    });

    it("runs every check of the render: the resource policies and the stack policy together", () => {
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
});

describe("the policy pack in a preview, where a value may be unknown", () => {
    // The engine's own proxy (@pulumi/policy 1.21.0 proxy.js), with the image digest unknown as in a preview that builds.
    const proxy = require("@pulumi/policy/proxy");
    let byRule: Record<string, unknown>;
    beforeEach(async () => {
        const api = deployment(engineResources(await renderWith("staging")), "argus-staging-api");
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
        byRule = Object.fromEntries(resourceRules.map((rule) => [rule.name, outcome(rule)]));
    });

    it("in a preview, a value unknown to one rule disarms that rule for that resource only", () => {
        expect(byRule["pinned-image"]).to.equal("advisory");
        expect(byRule.schema, JSON.stringify(byRule.schema)).to.equal("advisory");
        expect(byRule["non-root"]).to.deep.equal(["[non-root] container websockets allows privilege escalation."]);
        expect(byRule.limits).to.deep.equal([]);
        expect(byRule.probes).to.deep.equal([]);
        expect(byRule.name).to.deep.equal([]);
    });
});

describe("the objects an operator makes, as the policy pack learns them", () => {
    let r: Rendering;
    beforeEach(async () => {
        r = await renderWith("staging", { existingApiSecret: "argus-api", databaseUrl: null });
    });

    it("takes the objects an operator makes from the stack's externalObjects output", () => {
        expect(declaredExternals(engineResources(r))).to.deep.equal(["Secret/argus-api"]);
        expect(stackViolations(engineResources(r))).to.deep.equal([]);
        expect(stackViolations(engineResources(r, false))).to.include(
            'Job argus-staging/argus-staging-migrate-' + String(r.outputs.argusImage).slice(-12) +
                ': [reference] container migrate env DATABASE_URL names Secret "argus-api", which neither the render makes nor the stack declares external.',
        );
    });
});
