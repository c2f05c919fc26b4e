import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { RenderMocks } from "../../render/mocks";
import { findObject, renderWith } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** Every problem of a stack's config, as `key: problem Fix: fix`. */
/** Records the inputs the program sent, before the render redacts secrets. */
class CapturingMocks extends RenderMocks {
    readonly raw: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs) {
        this.raw.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return super.newResource(args);
    }
}

describe("a review app's own PostgreSQL", () => {
    it("runs the pinned official image as its postgres user, one Pod at a time, ready when it answers on TCP", async () => {
        const r = await renderWith("review-5", { databaseStorageGi: "2" });
        const deployment = findObject(r, "Deployment", "argus-review-5-database");
        expect((deployment.spec as any).strategy).to.deep.equal({ type: "Recreate" });
        expect((deployment.spec as any).replicas).to.equal(1);
        const pod = podSpecOf(deployment);
        const [postgres] = pod.containers;
        expect(postgres.image).to.equal("docker.io/library/postgres:15.18-bookworm");
        expect(postgres.securityContext).to.deep.include({ runAsUser: 999, runAsGroup: 999, runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
        const isReady = ["pg_isready", "--host", "127.0.0.1", "--port", "5432", "--username", "argus", "--dbname", "argus"];
        expect(postgres.readinessProbe.exec.command).to.deep.equal(isReady);
        expect(postgres.livenessProbe).to.deep.include({ exec: { command: isReady }, initialDelaySeconds: 60 });
        const secret = findObject(r, "Secret", "argus-review-5-database-credentials");
        expect(postgres.env).to.deep.equal([
            { name: "POSTGRES_USER", value: "argus" },
            { name: "POSTGRES_DB", value: "argus" },
            { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "POSTGRES_PASSWORD" } } },
            { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        ]);
        expect(pod.volumes).to.deep.include({ name: "data", emptyDir: { sizeLimit: "2Gi" } });
        expect(postgres.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).to.deep.equal(["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]);
        expect((findObject(r, "Service", "argus-review-5-database").spec as any).ports).to.deep.equal([{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }]);
    });

    it("gives Argus a URL the program builds from the generated password, and never shows it", async () => {
        const mocks = new CapturingMocks();
        const r = await renderWith("review-5", {}, {}, mocks);
        const runtimeSecret = mocks.raw.find((x) => x.type === "kubernetes:core/v1:Secret" && x.name === "argus-review-5-runtime-secrets")!;
        // The mocks answer every RandomPassword with the secret placeholder.
        expect(JSON.stringify(runtimeSecret.inputs.stringData)).to.contain('"DATABASE_URL":"postgresql://argus:[secret]@argus-review-5-database:5432/argus"');
        expect(findObject(r, "Secret", "runtime-secrets").stringData).to.include({ DATABASE_URL: "[secret]" });
        expect(r.manifestsYaml + r.resourcesJson).not.to.contain("postgresql://");
    });

    it("is migrated only once it answers: the migration Job waits for its Deployment, which is always awaited", async () => {
        const r = await renderWith("review-5", { awaitDeployments: "false" });
        const job = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job")!;
        expect(job.dependsOn).to.deep.equal(["kubernetes:apps/v1:Deployment::argus-review-5-database-workload-deployment"]);
        expect(findObject(r, "Deployment", "argus-review-5-database").metadata.annotations).to.deep.equal({
            "pulumi.com/timeoutSeconds": "600",
            "pulumi.com/waitFor": '["jsonpath={.status.updatedReplicas}=1","jsonpath={.status.availableReplicas}=1","jsonpath={.status.replicas}=1"]',
        });
    });

    it("admits only the stack's own Argus Pods, which reach it by label, in both layouts", async () => {
        for (const [overrides, clients] of [
            [{}, ["api", "migrate"]],
            [{ argusVersion: "2.9.1" }, ["web", "worker", "migrate", "housekeeping", "version-check"]],
        ] as const) {
            const r = await renderWith("review-5", overrides);
            const policy = findObject(r, "NetworkPolicy", "argus-review-5-database");
            const selects = (component: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": "argus", "app.kubernetes.io/instance": "argus-review-5", "app.kubernetes.io/component": component } } });
            expect(policy.spec).to.deep.include({ ingress: [{ from: clients.map(selects), ports: [{ protocol: "TCP", port: 5432 }] }], egress: [] });
            const migrate = findObject(r, "NetworkPolicy", "argus-review-5-migrate");
            expect((migrate.spec as any).egress[1]).to.deep.equal({ to: [selects("database")], ports: [{ protocol: "TCP", port: 5432 }] });
            expect(JSON.stringify(migrate.spec)).not.to.contain("ipBlock");
        }
    });

    it("is not there for a stack with a hosted database", async () => {
        const r = await renderWith("review-5", { database: "external" }, { databaseUrl: "postgresql://argus:pw@db.example.org:5432/argus" });
        expect(r.objects.filter((o) => o.metadata.name.includes("database"))).to.deep.equal([]);
    });
});
