import * as k8s from "@pulumi/kubernetes";
import { ResourceSpec } from "../../stacks";
import { execProbe, quickProbe, readyAndLive, resourceRequirements, restrictedSecurityContext, uids } from "../workload/containers";
import { WebPort } from "../workload/spec";

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

/**
 * A redis that keeps nothing across restarts (it only passes messages and caches). In the Pod it listens
 * on loopback only; shared, on the Pod network, where a NetworkPolicy admits the api Pods alone.
 */
export function redisContainer(image: string, placement: RedisPlacement, resources: ResourceSpec): k8s.types.input.core.v1.Container {
    const port = String(redisPort.containerPort);
    const listen = placement === "shared" ? ["--bind", "0.0.0.0", "--protected-mode", "no"] : ["--bind", "127.0.0.1"];
    return {
        name: "redis",
        image,
        command: ["redis-server", ...listen, "--port", port, "--save", "", "--appendonly", "no"],
        ports: [{ name: redisPort.name, containerPort: redisPort.containerPort }],
        ...readyAndLive(execProbe(["redis-cli", "-h", "127.0.0.1", "-p", port, "ping"], quickProbe)),
        securityContext: restrictedSecurityContext(uids.redis),
        resources: resourceRequirements(resources),
        volumeMounts: [{ name: redisDataVolume.name, mountPath: "/data" }],
    };
}
