import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ApiConfig, ImageConfig } from "../../stacks/types";
import { ArgusRuntime } from "../argus";
import { componentLabels } from "../labels";
import { websocketIngressAnnotations } from "../nginx";
import { Workload } from "../workload";
import { InstancePartArgs } from "../workload/spec";
import * as random from "@pulumi/random";
import { RedisPlacement, redisContainer, redisDataVolume, redisPasswordKey, redisPort } from "./redis";
import { appProxyPort } from "../appProxy";
import { apiContainers, apiProxyConfig, apiVolumes } from "./spec";

export interface ArgusApiArgs extends InstancePartArgs {
    /** Public host of the api. */
    readonly host: string;
    readonly api: ApiConfig;
    readonly images: ImageConfig;
    /** Where the channel layer runs: in each api Pod, or shared by all of them. */
    readonly redis: RedisPlacement;
    /** The Argus image, settings and secrets, and the migration Job the Deployment waits for. */
    readonly runtime: ArgusRuntime;
}

/**
 * The Argus 1.x api: the Deployment whose Pod runs gunicorn, daphne, nginx in front of both, and redis (or
 * a redis shared by all api Pods), with its Service and Ingress.
 */
export class ArgusApi extends pulumi.ComponentResource {
    readonly deploymentName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: ArgusApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Api", name, {}, opts);
        const metadata = { namespace: args.namespace, labels: componentLabels(args.instance, "api") };

        let redisPasswordSecret: pulumi.Output<string> | undefined;
        if (args.redis === "shared") {
            const password = new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, { parent: this });
            redisPasswordSecret = new k8s.core.v1.Secret(
                `${name}-redis-auth`,
                { metadata, type: "Opaque", stringData: { [redisPasswordKey]: password.result } },
                { parent: this },
            ).metadata.name;
            new Workload(
                `${name}-redis`,
                {
                    instance: args.instance,
                    component: "redis",
                    namespace: args.namespace,
                    replicas: 1,
                    pod: { containers: [redisContainer(args.images.redis, args.resources.redis, redisPasswordSecret)], volumes: [redisDataVolume] },
                    service: { target: redisPort, port: redisPort.containerPort },
                    identity: args.identity,
                    rollout: args.rollout,
                },
                { parent: this },
            );
        }

        const nginxConfig = new k8s.core.v1.ConfigMap(`${name}-nginx`, { metadata, data: { "nginx.conf": apiProxyConfig() } }, { parent: this });
        const pod = {
            run: args.runtime.run,
            nginxImage: args.images.nginx,
            redisImage: args.images.redis,
            redis: args.redis,
            nginxConfigMap: nginxConfig.metadata.name,
            redisPasswordSecret,
            host: args.host,
            resources: args.resources,
            capacity: args.api.capacity,
        };

        const workload = new Workload(
            `${name}-workload`,
            {
                instance: args.instance,
                component: "api",
                namespace: args.namespace,
                replicas: args.api.replicas,
                pod: { containers: apiContainers(pod), volumes: apiVolumes(nginxConfig.metadata.name, args.redis) },
                service: { target: appProxyPort },
                identity: args.identity,
                ingress: args.ingress.api
                    ? {
                          hosts: [args.host],
                          config: args.ingress,
                          annotations: { ...websocketIngressAnnotations },
                      }
                    : undefined,
                rollout: args.rollout,
                runsAfter: [args.runtime.migration],
            },
            { parent: this },
        );
        this.deploymentName = workload.deployment.metadata.name;
        this.serviceName = workload.serviceName!;

        this.registerOutputs({ deploymentName: this.deploymentName, serviceName: this.serviceName });
    }
}
