import { expect } from "chai";
import { drainBeforeStop, drainSeconds, patientProbe, quickProbe, restrictedSecurityContext, terminationGracePeriodSeconds, uids } from "../../components/workload/containers";
import { deploymentSpec, disruptionBudgetSpec, hardenedPodSpec, serviceSpec, spreadAffinity } from "../../components/workload/spec";
import { argusContainer, argusTmpVolume } from "../../components/argus/spec";
import { argusRelease } from "../../releases/argus";
import { resourceProfiles } from "../../stacks/resourceProfiles";
import { findObject, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** Every workload's Pod (components/workload): its hardening, identity, availability and rollout. */

/** Every default of the Pod hardening, pinned: a change to one is a deliberate, reviewed change. */
describe("Pod hardening defaults", () => {
    it("every container: a fixed non-root user, no escalation, no capabilities, RuntimeDefault seccomp, read-only root", () => {
        expect(restrictedSecurityContext(10001)).to.deep.equal({
            runAsUser: 10001,
            runAsGroup: 10001,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(uids).to.deep.equal({ argus: 10001, nginx: 101, redis: 999 });
    });

    it("every Pod: its own ServiceAccount without a token, no service links, non-root, spread, the grace to drain", () => {
        const selector = { "app.kubernetes.io/name": "argus" };
        expect(hardenedPodSpec({ containers: [] }, selector, { serviceAccountName: "argus", pullSecret: "pull" })).to.deep.equal({
            serviceAccountName: "argus",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 45,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            affinity: spreadAffinity(selector),
            imagePullSecrets: [{ name: "pull" }],
            containers: [],
        });
        expect(spreadAffinity(selector)).to.deep.equal({
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } },
                    { weight: 50, podAffinityTerm: { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: selector } } },
                ],
            },
        });
        expect({ drainSeconds, terminationGracePeriodSeconds }).to.deep.equal({ drainSeconds: 15, terminationGracePeriodSeconds: 45 });
        expect(drainBeforeStop).to.deep.equal({ preStop: { exec: { command: ["sleep", "15"] } } });
    });

    it("every rollout keeps capacity, every disruption leaves a replica, every Service is internal", () => {
        const spec = deploymentSpec(2, { a: "b" }, { a: "b" }, { containers: [] }, {});
        expect(spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(disruptionBudgetSpec({ a: "b" })).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { a: "b" } } });
        expect(serviceSpec({ a: "b" }, { name: "http", containerPort: 8080 }, 80)).to.deep.equal({
            type: "ClusterIP",
            selector: { a: "b" },
            ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        });
    });

    it("every Argus container writes only to a memory-backed /tmp of 64Mi", () => {
        expect(argusTmpVolume).to.deep.equal({ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } });
        const run = { image: "repo/argus@sha256:0", release: argusRelease("1.37.0"), settingsConfigMap: "settings", secretName: "secrets", secretEnv: ["DATABASE_URL"] };
        const container = argusContainer("web", ["gunicorn"], run, resourceProfiles.small.django);
        expect(container.securityContext).to.deep.equal(restrictedSecurityContext(10001));
        expect(container.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
        expect(container.resources).to.deep.equal({ requests: { cpu: "50m", memory: "192Mi" }, limits: { cpu: "500m", memory: "384Mi" } });
    });

    it("probe timings: patient for Django, quick for local checks", () => {
        expect(patientProbe).to.deep.equal({ initialDelaySeconds: 15, periodSeconds: 30, timeoutSeconds: 15, failureThreshold: 3 });
        expect(quickProbe).to.deep.equal({ initialDelaySeconds: 2, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    });
});

describe("the Pods of a rendered stack", () => {
    const review = renderedBeforeEach("review-9");

    it("run under the instance's own ServiceAccount, without an API token", () => {
        const account = findObject(review(), "ServiceAccount", "argus-review-9");
        expect(account.automountServiceAccountToken).to.equal(false);
        const pods = review().objects.filter((o) => o.kind === "Deployment" || o.kind === "Job").map(podSpecOf);
        expect(pods).to.have.length(4);
        for (const pod of pods) {
            expect(pod.serviceAccountName).to.equal("argus-review-9");
            expect(pod.automountServiceAccountToken).to.equal(false);
            // The database's data volume belongs to the postgres group.
            const fsGroup = pod.containers[0].name === "postgres" ? { fsGroup: 999 } : {};
            expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, ...fsGroup, seccompProfile: { type: "RuntimeDefault" } });
        }
    });

    it("are held to the restricted Pod Security Standard in a namespace the program makes", () => {
        expect(findObject(review(), "Namespace", "argus-review-9").metadata.labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
    });
});

describe("availability", () => {
    const production = renderedBeforeEach("production");
    const staging = renderedBeforeEach("staging");

    it("adds a PodDisruptionBudget only where there is more than one replica", () => {
        const budgets = production().objects.filter((o) => o.kind === "PodDisruptionBudget");
        expect(budgets.map((b) => b.metadata.name)).to.deep.equal(["argus-webui"]);
        expect(budgets[0].spec).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: (findObject(production(), "Deployment", "argus-webui").spec as any).selector.matchLabels } });
    });

    it("rolls out without losing capacity, and drains before a Pod stops", () => {
        const deployment = findObject(staging(), "Deployment", "argus-staging-api");
        expect((deployment.spec as any).strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        expect(podSpecOf(deployment).terminationGracePeriodSeconds).to.be.greaterThan(15);
    });
});
