import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ApiConfig, ImageConfig, ServerConfig } from "../../stacks/types";
import { ArgusRuntime } from "../argus";
import { appProxyPort } from "../appProxy";
import { componentLabels, selectorLabels } from "../labels";
import { Workload } from "../workload";
import { hardenedPodSpec, InstancePartArgs } from "../workload/spec";
import { cronJobSpec, housekeeping, housekeepingPod, serverProxyConfig, webContainerName, webPod, workerPod } from "./spec";

export interface ArgusServerArgs extends InstancePartArgs {
    /** The webui host serves Argus; the api host, when set, reaches the same Service. */
    readonly hosts: { readonly webui: string; readonly api?: string };
    readonly api: ApiConfig;
    readonly server: ServerConfig;
    /** The stock nginx image of the web Pod's proxy. */
    readonly images: Pick<ImageConfig, "nginx">;
    /** The Argus image, settings and secrets, and the migration Job everything here waits for. */
    readonly runtime: ArgusRuntime;
}

/**
 * Argus 2.x: one image run as a web server (UI, API v2, static files) behind a Service and Ingress, as a
 * task worker that sends the notifications, and as scheduled housekeeping jobs.
 */
export class ArgusServer extends pulumi.ComponentResource {
    readonly webDeploymentName: pulumi.Output<string>;
    readonly webServiceName: pulumi.Output<string>;
    readonly workerDeploymentName: pulumi.Output<string>;
    /** The web HorizontalPodAutoscaler's name, when webMaxReplicas asks for one. */
    readonly webAutoscalerName?: pulumi.Output<string>;
    readonly cronJobNames: pulumi.Output<string>[];

    constructor(name: string, args: ArgusServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Server", name, {}, opts);
        const { run, migration } = args.runtime;
        const common = { instance: args.instance, namespace: args.namespace, identity: args.identity, rollout: args.rollout, runsAfter: [migration] };

        const nginxConfig = new k8s.core.v1.ConfigMap(
            `${name}-nginx`,
            { metadata: { namespace: args.namespace, labels: componentLabels(args.instance, "web") }, data: { "nginx.conf": serverProxyConfig() } },
            { parent: this },
        );
        const hosts = [...(args.ingress.webui ? [args.hosts.webui] : []), ...(args.hosts.api && args.ingress.api ? [args.hosts.api] : [])];
        const web = new Workload(
            `${name}-web`,
            {
                ...common,
                component: "web",
                replicas: args.api.autoscaling ? { ...args.api.autoscaling, container: webContainerName } : args.api.replicas,
                pod: webPod({
                    run,
                    host: args.hosts.webui,
                    resources: args.resources,
                    capacity: args.api.capacity,
                    nginxImage: args.images.nginx,
                    nginxConfigMap: nginxConfig.metadata.name,
                }),
                service: { target: appProxyPort },
                ingress: hosts.length > 0 ? { hosts, config: args.ingress } : undefined,
            },
            { parent: this },
        );
        const worker = new Workload(
            `${name}-worker`,
            { ...common, component: "worker", replicas: args.server.workerReplicas, pod: workerPod(run, args.resources.worker) },
            { parent: this },
        );

        this.cronJobNames = housekeeping(run.release, args.server).map((job) => {
            const labels = componentLabels(args.instance, job.component);
            const pod = hardenedPodSpec(housekeepingPod(run, job.command, args.resources.worker), selectorLabels(args.instance, job.component), args.identity);
            return new k8s.batch.v1.CronJob(
                `${name}-${job.name}`,
                { metadata: { name: `${args.instance}-${job.name}`, namespace: args.namespace, labels }, spec: cronJobSpec(job.schedule, labels, pod) },
                // Like the Deployments: no run before the schema of its image exists.
                { parent: this, dependsOn: [migration] },
            ).metadata.name;
        });

        this.webDeploymentName = web.deployment.metadata.name;
        this.webServiceName = web.serviceName!;
        this.workerDeploymentName = worker.deployment.metadata.name;
        this.webAutoscalerName = web.autoscaler?.metadata.name;
        this.registerOutputs({
            webDeploymentName: this.webDeploymentName,
            webServiceName: this.webServiceName,
            workerDeploymentName: this.workerDeploymentName,
            webAutoscalerName: this.webAutoscalerName,
            cronJobNames: this.cronJobNames,
        });
    }
}
