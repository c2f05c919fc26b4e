import { expect } from "chai";
import { Rendering } from "../../render";
import { KubernetesObject } from "../../rules/objects";
import { sharedRenders } from "../helpers";

/**
 * Services are never awaited (components/workload/spec.ts, `serviceAwait`; docs/awaits.md, step 5); the
 * Deployments' rollouts and the migration Job's completion are, since they are what keep the deploy's order.
 */

const stacks = ["production", "staging", "review-123"];
// Every Service each layout can make: two api replicas bring the shared redis, review its own database.
const layouts: Record<string, Record<string, string | null>> = {
    "1.x": { apiReplicas: "2" },
    "2.x": { argusVersion: "2.10.2", webuiReplicas: null, apiReplicas: "2", workerReplicas: "2", versionCheck: "true" },
};
const skipAwait = "pulumi.com/skipAwait";

const named = (r: Rendering, kind: string): KubernetesObject[] => r.objects.filter((o) => o.kind === kind);
const awaitOf = (o: KubernetesObject): string | undefined => (o.metadata.annotations as Record<string, string> | undefined)?.[skipAwait];
const label = (layout: string, r: Rendering, o: KubernetesObject) => `${layout} ${r.stack}: ${o.kind} ${o.metadata.name}`;

describe("what pulumi up waits for, on every stack in both layouts", () => {
    const renders = Object.fromEntries(Object.entries(layouts).map(([layout, overrides]) => [layout, sharedRenders(stacks, overrides)]));
    let all: [string, Rendering][];
    beforeEach(async () => {
        all = [];
        for (const layout of Object.keys(layouts)) for (const r of (await renders[layout]()).values()) all.push([layout, r]);
    });

    it("makes the Services it should: api, webui, shared redis, 2.x web, and review's database", () => {
        const services = all.map(([layout, r]) => [layout, r.stack, named(r, "Service").map((s) => s.metadata.name).sort()]);
        expect(services).to.deep.equal([
            ["1.x", "production", ["argus-api", "argus-redis", "argus-webui"]],
            ["1.x", "staging", ["argus-staging-api", "argus-staging-redis", "argus-staging-webui"]],
            ["1.x", "review-123", ["argus-review-123-api", "argus-review-123-database", "argus-review-123-redis", "argus-review-123-webui"]],
            ["2.x", "production", ["argus-web"]],
            ["2.x", "staging", ["argus-staging-web"]],
            ["2.x", "review-123", ["argus-review-123-database", "argus-review-123-web"]],
        ]);
    });

    it("awaits no Service: each carries pulumi.com/skipAwait \"true\"", () => {
        const services = all.flatMap(([layout, r]) => named(r, "Service").map((s) => [label(layout, r, s), awaitOf(s)] as const));
        expect(services).to.deep.equal(services.map(([name]) => [name, "true"]));
    });

    it("awaits every Deployment and the migration Job, whose waits keep the order: none carries skipAwait", () => {
        const awaited = all.flatMap(([layout, r]) => [...named(r, "Deployment"), ...named(r, "Job")].map((o) => [label(layout, r, o), awaitOf(o)] as const));
        expect(awaited.filter(([name]) => name.includes(" Job ")), "one migration Job per render").to.have.length(all.length);
        expect(awaited).to.deep.equal(awaited.map(([name]) => [name, undefined]));
    });
});
