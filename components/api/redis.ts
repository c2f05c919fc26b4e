import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec } from "../../stacks/types";
import { execProbe, quickProbe, readyAndLive, resourceRequirements, restrictedSecurityContext, uids, WebPort } from "../workload/containers";

/**
 * Redis is Argus' channel layer: daphne fans a change out to every websocket client through it. One api
 * Pod keeps redis in the Pod, on 127.0.0.1; several api Pods must share one, or a change saved through one
 * Pod never reaches the websocket clients of another.
 */
export type RedisPlacement = "in-pod" | "shared";

export const redisPort: WebPort = { name: "redis", containerPort: 6379 };

export function redisPlacement(apiReplicas: number): RedisPlacement {
    return apiReplicas > 1 ? "shared" : "in-pod";
}

/** The `host:port` the api reaches redis at (ARGUS_REDIS_SERVER). */
export function redisServer(placement: RedisPlacement, sharedServiceName: string): string {
    return placement === "shared" ? `${sharedServiceName}:${redisPort.containerPort}` : `127.0.0.1:${redisPort.containerPort}`;
}

export const redisDataVolume: k8s.types.input.core.v1.Volume = { name: "redis-data", emptyDir: { sizeLimit: "128Mi" } };

/** Key of the shared redis' password in its Secret, and the variable the api containers and redis read. */
export const redisPasswordKey = "REDIS_PASSWORD";

/** The environment variable of a container that reads the shared redis' password from its Secret. */
export function redisPasswordEnv(secretName: pulumi.Input<string>, name = redisPasswordKey): k8s.types.input.core.v1.EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: secretName, key: redisPasswordKey } } };
}

/**
 * A redis that keeps nothing across restarts (it only passes messages and caches). In the Pod it listens
 * on loopback only; shared, on the Pod network, where a NetworkPolicy admits the api Pods alone, and it
 * requires the password in `passwordSecret` as well.
 */
export function redisContainer(image: string, resources: ResourceSpec, passwordSecret?: pulumi.Input<string>): k8s.types.input.core.v1.Container {
    const port = String(redisPort.containerPort);
    // Kubernetes expands $(REDIS_PASSWORD) from the env; the Pod spec never holds the value. redis-cli
    // authenticates the probe with REDISCLI_AUTH.
    const listen = passwordSecret ? ["--bind", "0.0.0.0", "--protected-mode", "no", "--requirepass", `$(${redisPasswordKey})`] : ["--bind", "127.0.0.1"];
    return {
        name: "redis",
        image,
        command: ["redis-server", ...listen, "--port", port, "--save", "", "--appendonly", "no"],
        ...(passwordSecret ? { env: [redisPasswordEnv(passwordSecret), redisPasswordEnv(passwordSecret, "REDISCLI_AUTH")] } : {}),
        ports: [{ name: redisPort.name, containerPort: redisPort.containerPort }],
        ...readyAndLive(execProbe(["redis-cli", "-h", "127.0.0.1", "-p", port, "ping"], quickProbe)),
        securityContext: restrictedSecurityContext(uids.redis),
        resources: resourceRequirements(resources),
        volumeMounts: [{ name: redisDataVolume.name, mountPath: "/data" }],
    };
}
