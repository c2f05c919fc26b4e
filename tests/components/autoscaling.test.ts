import { expect } from "chai";
import { autoscalerSpec, deploymentAwait, deploymentSpec, fewestReplicas } from "../../components/workload/spec";
import { componentLabels } from "../../components/labels";
import { findObject, renderedBeforeEach } from "../helpers";

/** The 2.x web server with an autoscaler (components/workload with autoscaling; stacks/sections/autoscaling.ts). */

const autoscaling = { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 70, container: "web" };
const rollout = { awaitDeployments: true, awaitIngresses: true, timeoutSeconds: 600, migrationTimeoutSeconds: 600 };

describe("an autoscaled Deployment's spec", () => {
    it("names no replicas, so no update sets back the count the autoscaler chose; a fixed count stays", () => {
        expect(deploymentSpec(autoscaling, { a: "b" }, { a: "b" }, { containers: [] }, {})).to.not.have.property("replicas");
        expect(deploymentSpec(2, { a: "b" }, { a: "b" }, { containers: [] }, {}).replicas).to.equal(2);
    });

    it("counts the autoscaler's minimum as its fewest Pods (a PodDisruptionBudget from 2)", () => {
        expect(fewestReplicas(autoscaling)).to.equal(2);
        expect(fewestReplicas(3)).to.equal(3);
    });
});

describe("the rollout await of an autoscaled Deployment", () => {
    it("compares each count with the Deployment's own spec.replicas, as the autoscaler left it, not with a number", () => {
        expect(deploymentAwait(rollout, autoscaling)).to.deep.equal({
            "pulumi.com/timeoutSeconds": "600",
            "pulumi.com/waitFor": JSON.stringify([
                "jsonpath={$[?$.status.updatedReplicas==$.spec.replicas]}",
                "jsonpath={$[?$.status.availableReplicas==$.spec.replicas]}",
                "jsonpath={$[?$.status.replicas==$.spec.replicas]}",
            ]),
        });
    });

    it("is skipped like any other with awaitDeployments false", () => {
        expect(deploymentAwait({ ...rollout, awaitDeployments: false }, autoscaling)).to.deep.equal({ "pulumi.com/skipAwait": "true" });
    });
});

describe("the autoscaler's spec", () => {
    it("targets the Deployment by name, from the fewest to the most Pods, by the app container's average CPU use against its request (not nginx's beside it)", () => {
        expect(autoscalerSpec("argus-web", autoscaling)).to.deep.equal({
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "argus-web" },
            minReplicas: 2,
            maxReplicas: 5,
            metrics: [{ type: "ContainerResource", containerResource: { name: "cpu", container: "web", target: { type: "Utilization", averageUtilization: 70 } } }],
        });
    });
});

describe("a 2.x stack with webMaxReplicas", () => {
    const autoscaled = renderedBeforeEach("staging", { argusVersion: "2.10.2", apiReplicas: "2", webMaxReplicas: "4", webTargetCpuPercent: "60" });
    const fixed = renderedBeforeEach("staging", { argusVersion: "2.10.2" });

    it("makes one autoscaling/v2 HorizontalPodAutoscaler, named and labelled like the web Deployment it targets", () => {
        const autoscalers = autoscaled().objects.filter((o) => o.kind === "HorizontalPodAutoscaler");
        expect(autoscalers.map((h) => [h.apiVersion, h.metadata.namespace, h.metadata.name])).to.deep.equal([["autoscaling/v2", "argus-staging", "argus-staging-web"]]);
        expect(autoscalers[0].metadata.labels).to.deep.equal(componentLabels("argus-staging", "web"));
        expect(autoscalers[0].spec).to.deep.equal(autoscalerSpec("argus-staging-web", { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 60, container: "web" }));
        expect(fixed().objects.filter((o) => o.kind === "HorizontalPodAutoscaler")).to.deep.equal([]);
    });

    it("leaves spec.replicas out of the web Deployment only; the worker keeps its count", () => {
        expect(findObject(autoscaled(), "Deployment", "argus-staging-web").spec).to.not.have.property("replicas");
        expect((findObject(autoscaled(), "Deployment", "argus-staging-worker").spec as { replicas: number }).replicas).to.equal(1);
        expect((findObject(fixed(), "Deployment", "argus-staging-web").spec as { replicas: number }).replicas).to.equal(1);
    });

    it("awaits the web rollout against the live count, and keeps the PodDisruptionBudget of its 2 fewest Pods", () => {
        expect(findObject(autoscaled(), "Deployment", "argus-staging-web").metadata.annotations).to.deep.include(deploymentAwait({ ...rollout, timeoutSeconds: 600 }, autoscaling));
        expect(autoscaled().objects.filter((o) => o.kind === "PodDisruptionBudget").map((b) => b.metadata.name)).to.include("argus-staging-web");
    });
});
