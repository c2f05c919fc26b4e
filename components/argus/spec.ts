/** What every container that runs the Argus image needs, in both layouts: build arguments, commands, environment. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgusRelease } from "../../releases/argusRelease";
import { argusConstraints } from "../../releases/constraints";
import { compareText } from "../../util/compare";
import type { FirstAdmin, ResourceSpec, WebCapacity } from "../../stacks/types";
import { execProbe, literalEnv, resourceRequirements, restrictedSecurityContext, uids } from "../workload/containers";

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Python base images by minor version, pinned to a patch release; the contract says which minor a release runs on. */
export const pythonImages: Readonly<Record<string, string>> = {
    "3.12": "docker.io/library/python:3.12.8-slim-bookworm",
    "3.13": "docker.io/library/python:3.13.1-slim-bookworm",
};

/** Build arguments of the Argus image (components/argus/image/Dockerfile), from the release contract. */
/** A requirement `name[extras]==version` with more extras added, merged and sorted. */
export function withExtras(requirement: string, extras: readonly string[]): string {
    const match = /^([^[=]+)(?:\[([^\]]*)\])?==(.+)$/.exec(requirement);
    if (!match || extras.length === 0) {
        return requirement;
    }
    const all = [...new Set([...(match[2] ? match[2].split(",") : []), ...extras])].sort(compareText);
    return `${match[1]}[${all.join(",")}]==${match[3]}`;
}

export function argusImageBuildArgs(release: ArgusRelease, extraPythonPackages: readonly string[], argusExtras: readonly string[] = []): Record<string, string> {
    const pythonImage = pythonImages[release.python];
    if (!pythonImage) {
        throw new Error(`No Python ${release.python} base image is pinned for Argus ${release.version}; add one to pythonImages.`);
    }
    return {
        PYTHON_IMAGE: pythonImage,
        ARGUS_REQUIREMENT: withExtras(release.pipRequirement, argusExtras),
        RUNTIME_PACKAGES: release.runtimePackages.join(" "),
        // The versions upstream locked for the release (releases/constraints.ts), space-separated.
        ARGUS_CONSTRAINTS: argusConstraints(release.version).join(" "),
        ARGUS_UPSTREAM_SETTINGS: release.settingsModule,
        EXTRA_PACKAGES: extraPythonPackages.join(" "),
    };
}

/** The port gunicorn serves HTTP on, in both layouts. */
export const gunicornPort = 8000;

/**
 * gunicorn serving the release's WSGI app, on 127.0.0.1 behind the nginx of its Pod (components/appProxy.ts), the one
 * peer it trusts with X-Forwarded-*.
 * With more than one thread, threaded workers (gthread, one of gunicorn 23.0.0's own worker classes): a request
 * waiting on the database no longer holds a whole process; with one, the sync worker, one request per process
 * (stacks/sections/capacity.ts says how many of each; the README's "Outage storm" what it changed).
 */
export function gunicornCommand(release: ArgusRelease, listen: { readonly address: string; readonly trustedProxies: string }, capacity: Pick<WebCapacity, "workers" | "threads">): string[] {
    return [
        "gunicorn",
        "--bind", `${listen.address}:${gunicornPort}`,
        ...(capacity.threads > 1 ? ["--worker-class", "gthread", "--threads", String(capacity.threads)] : ["--worker-class", "sync"]),
        "--workers", String(capacity.workers),
        // The root filesystem is read-only; workers' heartbeat files go to the /tmp emptyDir.
        "--worker-tmp-dir", "/tmp",
        "--forwarded-allow-ips", listen.trustedProxies,
        "--access-logfile", "-",
        release.wsgiApplication,
    ];
}

/** Exits non-zero until every migration of the image ran (argus-docker's docker-compose.yml gates its worker on it). */
export const migratedCheck = ["django-admin", "migrate", "--check"];

/**
 * The startup probe of every container that serves Argus: the database answers to the Secret's credentials and
 * has this image's schema. Until it passes the container is not ready, and after three minutes it is restarted,
 * so a wrong password or an unreachable database shows as Pods that never become ready, not as errors served to
 * users. Readiness and liveness after the start stay local (HTTP or TCP), so a later outage of the database does
 * not take every Pod out of its Service at once.
 */
export const migratedStartupProbe = execProbe(migratedCheck, { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 60, failureThreshold: 18 });

/** The image's probe script (image/argus_site/probe.py): `http PORT PATH HOST`, `tcp PORT` or `tasks SECONDS`. */
export function imageProbeCommand(...args: (string | number)[]): string[] {
    return ["python", "-m", "argus_site.probe", ...args.map(String)];
}

/** What a container needs to run the Argus image: the image, its release, its settings and secrets. */
export interface ArgusRun {
    /** The image, by digest. */
    readonly image: pulumi.Input<string>;
    readonly release: ArgusRelease;
    readonly settingsConfigMap: pulumi.Input<string>;
    readonly secretName: pulumi.Input<string>;
    /** The Secret keys the containers read, each as the variable of the same name. */
    readonly secretEnv: readonly string[];
}

/** Environment of every container that runs the Argus server: settings from the ConfigMap, secrets by reference. */
export function argusEnvironment(run: ArgusRun): Pick<Container, "env" | "envFrom"> {
    const env = run.secretEnv.map((key): EnvVar => ({ name: key, valueFrom: { secretKeyRef: { name: run.secretName, key } } }));
    return { envFrom: [{ configMapRef: { name: run.settingsConfigMap } }], env };
}

/** The writable folder every Argus container gets; the root filesystem is read-only. */
export const argusTmpVolume: k8s.types.input.core.v1.Volume = { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } };

/** A container running `command` in the Argus image, hardened, with its settings and secrets. */
export function argusContainer(name: string, command: readonly string[], run: ArgusRun, resources: ResourceSpec): Container {
    return {
        name,
        image: run.image,
        // The image's entrypoint is tini, which runs these as its child.
        args: [...command],
        ...argusEnvironment(run),
        securityContext: restrictedSecurityContext(uids.argus),
        resources: resourceRequirements(resources),
        volumeMounts: [{ name: argusTmpVolume.name, mountPath: "/tmp" }],
    };
}

/** Key of the admin's password in the api Secret, and the variable the setup container reads. */
export const adminPasswordKey = "ADMIN_PASSWORD";

/**
 * `initial_setup --username --password [--email]` (src/argus/dev/management/commands/initial_setup.py, v1.24.0
 * to v2.10.2): creates the admin unless a user of that name exists (then it only warns), so it is safe to run
 * again. Kubernetes expands `$(VAR)` from the container's env: the password comes from the Secret and never
 * appears in the Pod spec. Each value is joined to its option with `=`: argparse takes a separate value that
 * starts with "-" for an option and fails (test:argus met a generated password starting with "-").
 */
function firstAdminContainer(run: ArgusRun, admin: FirstAdmin, resources: ResourceSpec): Container {
    const base = argusContainer(
        "initial-setup",
        ["django-admin", "initial_setup", "--username=$(ADMIN_USERNAME)", `--password=$(${adminPasswordKey})`, ...(admin.email ? ["--email=$(ADMIN_EMAIL)"] : [])],
        run,
        resources,
    );
    return {
        ...base,
        env: [
            ...((base.env as EnvVar[]) ?? []),
            // Only this container gets the admin's password; the other Argus containers never see it.
            { name: adminPasswordKey, valueFrom: { secretKeyRef: { name: run.secretName, key: adminPasswordKey } } },
            literalEnv("ADMIN_USERNAME", admin.username),
            ...(admin.email ? [literalEnv("ADMIN_EMAIL", admin.email)] : []),
        ],
    };
}

/** A container's name for a migration step: `migrate`, then `migrate-2`, `migrate-3`, ... */
function migrationStepName(index: number): string {
    return index === 0 ? "migrate" : `migrate-${index + 1}`;
}

/**
 * The Pod of the migration Job: the release's migration commands in order (`migrate`, and for 2.10 the
 * prune of removed migration files), then, when config names a first admin, `initial_setup` once the schema
 * is there. Each step but the last is an init container, so each runs only after the one before succeeded.
 */
export function migrationPod(run: ArgusRun, resources: ResourceSpec, admin?: FirstAdmin): k8s.types.input.core.v1.PodSpec {
    const steps = [
        ...run.release.migrations.map((command, i) => argusContainer(migrationStepName(i), command, run, resources)),
        ...(admin ? [firstAdminContainer(run, admin, resources)] : []),
    ];
    return {
        restartPolicy: "Never",
        ...(steps.length > 1 ? { initContainers: steps.slice(0, -1) } : {}),
        containers: steps.slice(-1),
        volumes: [argusTmpVolume],
    };
}
