import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { containerNginxPaths, healthPath } from "../nginx";
import type { ResourceSpec } from "../../stacks/types";

/** The named container port a Service sends its traffic to. */
export interface WebPort {
    readonly name: string;
    readonly containerPort: number;
}

type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;

/** Seconds a terminating Pod keeps serving so the ingress controller stops sending it traffic first. */
export const drainSeconds = 15;

/** Grace period after preStop: the drain pause plus time for in-flight requests to finish. */
export const terminationGracePeriodSeconds = drainSeconds + 30;

/** Fixed numeric UIDs of the images, so `runAsNonRoot` can be verified by the kubelet. */
export const uids = {
    /** The `argus` user of our api image. */
    argus: 10001,
    /** The `nginx` user of nginx-unprivileged and of our webui image built on it. */
    nginx: 101,
    /** The `redis` user of the official redis image. */
    redis: 999,
} as const;

/** The restricted Pod Security Standard for one container: non-root, no privileges, read-only root. */
export function restrictedSecurityContext(uid: number): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsUser: uid,
        runAsGroup: uid,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function resourceRequirements(spec: ResourceSpec): k8s.types.input.core.v1.ResourceRequirements {
    return {
        requests: { cpu: `${spec.cpuMillis.request}m`, memory: `${spec.memoryMiB.request}Mi` },
        limits: { cpu: `${spec.cpuMillis.limit}m`, memory: `${spec.memoryMiB.limit}Mi` },
    };
}

/** Keeps a container alive through the drain pause; `sleep` exists in every image we run. */
export const drainBeforeStop: k8s.types.input.core.v1.Lifecycle = {
    preStop: { exec: { command: ["sleep", String(drainSeconds)] } },
};

export interface ProbeTiming {
    readonly initialDelaySeconds: number;
    readonly periodSeconds: number;
    readonly timeoutSeconds: number;
    readonly failureThreshold: number;
}

/** Probe timings of the seed's django container, used where a check may be slow. */
export const patientProbe: ProbeTiming = { initialDelaySeconds: 15, periodSeconds: 30, timeoutSeconds: 15, failureThreshold: 3 };

/** Timings for cheap local checks. */
export const quickProbe: ProbeTiming = { initialDelaySeconds: 2, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };

export function httpProbe(path: string, port: string, timing: ProbeTiming, host?: string): Probe {
    return {
        httpGet: { path, port, ...(host ? { httpHeaders: [{ name: "Host", value: host }] } : {}) },
        ...timing,
    };
}

export function execProbe(command: string[], timing: ProbeTiming): Probe {
    return { exec: { command }, ...timing };
}

/** Readiness and liveness from one probe: a container that cannot answer is neither ready nor alive. */
export function readyAndLive(probe: Probe): Pick<Container, "readinessProbe" | "livenessProbe"> {
    return { readinessProbe: probe, livenessProbe: probe };
}

export interface NginxContainerArgs {
    readonly name: string;
    readonly image: pulumi.Input<string>;
    readonly port: WebPort;
    /** Mount point of the ConfigMap volume `configVolume` holding nginx.conf. */
    readonly configDir: string;
    readonly configVolume: string;
    /** emptyDir volume for the pid file and request buffers. */
    readonly tmpVolume: string;
    readonly resources: ResourceSpec;
}

/** An unprivileged nginx running our generated nginx.conf, probed on its own health location. */
export function nginxContainer(args: NginxContainerArgs): Container {
    return {
        name: args.name,
        image: args.image,
        command: ["nginx", "-c", `${args.configDir}/nginx.conf`, "-g", "daemon off;"],
        ports: [{ name: args.port.name, containerPort: args.port.containerPort }],
        ...readyAndLive(httpProbe(healthPath, args.port.name, quickProbe)),
        lifecycle: drainBeforeStop,
        securityContext: restrictedSecurityContext(uids.nginx),
        resources: resourceRequirements(args.resources),
        volumeMounts: [
            { name: args.configVolume, mountPath: args.configDir, readOnly: true },
            { name: args.tmpVolume, mountPath: containerNginxPaths.writableDir },
        ],
    };
}

/**
 * An env variable with a literal value. The kubelet expands `$(NAME)` in an env value from the container's
 * other variables, and `$$` becomes `$` (EnvVar.value in pkg/apis/core/types.go, Kubernetes v1.34.4;
 * third_party/forked/golang/expansion/expand.go): `$(` is written `$$(`, so the process gets the value as
 * config gave it, never another variable's contents.
 */
export function literalEnv(name: string, value: string): k8s.types.input.core.v1.EnvVar {
    return { name, value: value.split("$(").join("$$(") };
}
