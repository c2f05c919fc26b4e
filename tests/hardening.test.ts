import { expect } from "chai";
import { drainBeforeStop, drainSeconds, patientProbe, quickProbe, restrictedSecurityContext, terminationGracePeriodSeconds, uids } from "../components/workload/containers";
import { deploymentSpec, disruptionBudgetSpec, hardenedPodSpec, serviceSpec, spreadAffinity } from "../components/workload/spec";
import { argusContainer, argusTmpVolume } from "../components/argus/spec";
import { argusRelease } from "../releases/argus";
import { resourceProfiles } from "../stacks/resources";

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
