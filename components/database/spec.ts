/**
 * The pure parts of a stack's own PostgreSQL: its container, volumes and URL. Facts about the official
 * postgres image (docker-library/postgres, `docker-entrypoint.sh` and the Debian Dockerfile): it runs as the
 * `postgres` user, uid 999; the entrypoint initialises PGDATA from POSTGRES_USER, POSTGRES_PASSWORD and
 * POSTGRES_DB on first start, and while it does, the server it starts listens on the Unix socket alone.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec } from "../../stacks/types";
import { execProbe, quickProbe, resourceRequirements, restrictedSecurityContext, WebPort } from "../workload/containers";

export const postgresPort: WebPort = { name: "postgres", containerPort: 5432 };

/** The `postgres` user of the official image. */
export const postgresUid = 999;

/** Argus' database and the role that owns it. */
export const databaseName = "argus";

/** Key of the generated password in the database's Secret; the entrypoint reads the same variable. */
export const passwordKey = "POSTGRES_PASSWORD";

const dataDir = "/var/lib/postgresql/data";

/** Where PostgreSQL writes, each an emptyDir (the root filesystem is read-only): data, its socket, temp files. */
export function databaseVolumes(storageGi: number): k8s.types.input.core.v1.Volume[] {
    return [
        { name: "data", emptyDir: { sizeLimit: `${storageGi}Gi` } },
        { name: "socket", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ];
}

/**
 * The postgres container. Ready when the server answers on TCP, which it does only after the first start's
 * initialisation (`pg_isready` is in the image).
 */
export function postgresContainer(image: string, resources: ResourceSpec, secretName: pulumi.Input<string>): k8s.types.input.core.v1.Container {
    const ready = execProbe(["pg_isready", "--host", "127.0.0.1", "--port", String(postgresPort.containerPort), "--username", databaseName, "--dbname", databaseName], quickProbe);
    return {
        name: "postgres",
        image,
        env: [
            { name: "POSTGRES_USER", value: databaseName },
            { name: "POSTGRES_DB", value: databaseName },
            { name: passwordKey, valueFrom: { secretKeyRef: { name: secretName, key: passwordKey } } },
            // A folder inside the volume: initdb wants one it creates itself, owned by the user it runs as.
            { name: "PGDATA", value: `${dataDir}/pgdata` },
        ],
        ports: [{ name: postgresPort.name, containerPort: postgresPort.containerPort }],
        readinessProbe: ready,
        // A first start initialises the data folder before the server listens on TCP: give it a minute.
        livenessProbe: { ...ready, initialDelaySeconds: 60, periodSeconds: 30 },
        securityContext: restrictedSecurityContext(postgresUid),
        resources: resourceRequirements(resources),
        volumeMounts: [
            { name: "data", mountPath: dataDir },
            { name: "socket", mountPath: "/var/run/postgresql" },
            { name: "tmp", mountPath: "/tmp" },
        ],
    };
}

/** The URL Argus connects with (DATABASE_URL): the Service's name in the namespace, the generated password. */
export function databaseUrl(serviceName: pulumi.Input<string>, password: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.secret(pulumi.interpolate`postgresql://${databaseName}:${password}@${serviceName}:${postgresPort.containerPort}/${databaseName}`);
}
