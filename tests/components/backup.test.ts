import { expect } from "chai";
import { backupScript, replacedRelease } from "../../components/backup/spec";
import { Rendering } from "../../render";
import { findObject, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The backup before each migration (components/backup): its volume and the Job that dumps the database. */

const backupJob = (r: Rendering) => findObject(r, "Job", "-backup-");

describe("the backup Job", () => {
    const production = renderedBeforeEach("production");
    const otherImage = renderedBeforeEach("production", { extraPythonPackages: "argus-ticket-rt==1.2.0" });
    const server = renderedBeforeEach("production", { argusVersion: "2.9.1", webuiReplicas: null });

    it("is named like the migration Job, after the image's content, so each new image gets a dump of its own", () => {
        const suffix = String(production().outputs.migrationJob).slice(-12);
        expect(backupJob(production()).metadata.name).to.equal(`argus-backup-${suffix}`);
        expect(production().outputs.backupJob).to.equal(`argus-backup-${suffix}`);
        expect(backupJob(otherImage()).metadata.name).to.not.equal(backupJob(production()).metadata.name);
        expect(backupJob(otherImage()).metadata.name.slice(-12)).to.equal(String(otherImage().outputs.migrationJob).slice(-12));
    });

    it("is awaited to completion, replaced when a run failed, and gives up after one retry or the migration's deadline", () => {
        const job = backupJob(production());
        expect(job.metadata.annotations).to.include({ "pulumi.com/replaceUnready": "true", "pulumi.com/timeoutSeconds": "660" });
        expect(job.metadata.annotations).to.not.have.property("pulumi.com/skipAwait");
        expect(job.spec).to.deep.include({ backoffLimit: 1, activeDeadlineSeconds: 600 });
    });

    it("runs pg_dump in the official image as its postgres user with the project's restricted defaults, the claim writable through fsGroup", () => {
        const pod = podSpecOf(backupJob(production()));
        const [container] = pod.containers;
        expect(container.image).to.equal("docker.io/library/postgres:15-bookworm");
        expect(container.securityContext).to.deep.equal({
            runAsUser: 999,
            runAsGroup: 999,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, fsGroup: 999 });
        expect(pod).to.deep.include({ restartPolicy: "Never", automountServiceAccountToken: false });
        expect(pod.volumes).to.deep.include({ name: "backups", persistentVolumeClaim: { claimName: "argus-backups" } });
        expect(container.volumeMounts).to.deep.include({ name: "backups", mountPath: "/backups" });
    });

    it("reads DATABASE_URL from the api Secret in its script, never from the manifest's command", () => {
        const r = production();
        const [container] = podSpecOf(backupJob(r)).containers;
        expect(container.env).to.deep.equal([{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: r.outputs.secret, key: "DATABASE_URL" } } }]);
        expect(container.command).to.deep.equal(["bash", "-c", backupScript, "backup", "none", "1.37.0", "5"]);
        expect(backupScript).to.match(/pg_dump --format=custom --dbname="postgresql:\/\/\$\{DATABASE_URL#\*:\/\/\}"/);
        expect(JSON.stringify(backupJob(r))).to.not.match(/postgresql:\/\/[^$"]/);
    });

    it("names the release replaced and the new one (2.x too)", () => {
        expect(podSpecOf(backupJob(server())).containers[0].command.slice(-3)).to.deep.equal(["none", "2.9.1", "5"]);
    });
});

describe("the backups' volume", () => {
    const production = renderedBeforeEach("production");
    const sized = renderedBeforeEach("production", { backupStorageGi: "20", backupStorageClass: "fast" });

    it("asks for 5 GiB of the cluster's default StorageClass, written by one Pod at a time, or what config says", () => {
        expect(findObject(production(), "PersistentVolumeClaim", "argus-backups").spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } });
        // Not awaited: a WaitForFirstConsumer class binds it only once the backup's Pod exists.
        expect(findObject(production(), "PersistentVolumeClaim", "argus-backups").metadata.annotations).to.deep.equal({ "pulumi.com/skipAwait": "true" });
        expect(findObject(sized(), "PersistentVolumeClaim", "argus-backups").spec).to.deep.include({ storageClassName: "fast", resources: { requests: { storage: "20Gi" } } });
    });
});

describe("the release a dump names as replaced", () => {
    it("is what the stack ran before this update, none on its first", () => {
        expect(replacedRelease({}, "repo/argus:abc")).to.equal("none");
        expect(replacedRelease({ argusVersion: "2.9.1", argusImage: "repo/argus:old", backupReplaces: "1.37.0" }, "repo/argus:new")).to.equal("2.9.1");
    });

    it("stays what the image's backup named when an update keeps the image, so the Job is not replaced and no second dump runs", () => {
        expect(replacedRelease({ argusVersion: "2.10.2", argusImage: "repo/argus:new", backupReplaces: "2.9.1" }, "repo/argus:new")).to.equal("2.9.1");
    });
});
