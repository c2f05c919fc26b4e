import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageConfig, WebuiConfig } from "../../stacks/types";
import { ArgusImage, PreviousImage } from "../image";
import { componentLabels } from "../labels";
import { websocketIngressAnnotations } from "../nginx";
import { Workload } from "../workload";
import { InstancePartArgs } from "../workload/spec";
import { webuiConfigData, webuiContainer, webuiVolumes, webuiWebPort } from "./spec";

export interface ArgusWebuiArgs extends InstancePartArgs {
    readonly hosts: { readonly webui: string; readonly api: string };
    readonly webui: WebuiConfig;
    readonly images: ImageConfig;
    /** The api Service, which the webui nginx passes websockets to: the ConfigMap waits for it to exist. */
    readonly apiService: pulumi.Input<string>;
    /** The webui image as the stack's last update left it: what the build reuses. */
    readonly previousImage?: pulumi.Input<PreviousImage | undefined>;
}

/**
 * The Argus web UI: an image with the built React app (the same for every stack), a ConfigMap with this
 * stack's runtime-config.json and nginx.conf, and the Deployment that serves them.
 */
export class ArgusWebui extends pulumi.ComponentResource {
    readonly imageDigest: pulumi.Output<string>;
    /** The image as `repo:<content tag>`. */
    readonly imageReference: string;
    /** The image its build reused layers of. */
    readonly imageCacheFrom: pulumi.Output<string>;
    readonly deploymentName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly configMapName: pulumi.Output<string>;

    constructor(name: string, args: ArgusWebuiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Webui", name, {}, opts);

        const image = new ArgusImage(
            `${name}-image`,
            { component: "webui", buildArgs: { FRONTEND_VERSION: args.images.frontendVersion }, images: args.images, previous: args.previousImage },
            { parent: this },
        );
        this.imageDigest = image.digest;
        this.imageReference = image.reference;
        this.imageCacheFrom = image.cacheFrom;

        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { namespace: args.namespace, labels: componentLabels(args.instance, "webui") },
                // nginx resolves the api Service's name at start: made from its Output, the ConfigMap (and so
                // the Deployment) comes after the Service.
                data: pulumi.output(args.apiService).apply((apiService) =>
                    webuiConfigData({ apiHost: args.hosts.api, webuiHost: args.hosts.webui, tls: args.ingress.tls !== undefined, webui: args.webui }, apiService),
                ),
            },
            { parent: this },
        );
        this.configMapName = config.metadata.name;

        const workload = new Workload(
            `${name}-workload`,
            {
                instance: args.instance,
                component: "webui",
                namespace: args.namespace,
                replicas: args.webui.replicas,
                pod: { containers: [webuiContainer(image.digest, args.resources.webui)], volumes: webuiVolumes(config.metadata.name) },
                service: { target: webuiWebPort },
                identity: args.identity,
                // The webui's websockets come in through its own host (./spec.ts, runtimeConfig).
                ingress: args.ingress.webui ? { hosts: [args.hosts.webui], config: args.ingress, annotations: { ...websocketIngressAnnotations } } : undefined,
                rollout: args.rollout,
            },
            { parent: this },
        );
        this.deploymentName = workload.deployment.metadata.name;
        this.serviceName = workload.serviceName!;

        this.registerOutputs({
            imageDigest: this.imageDigest,
            imageReference: this.imageReference,
            deploymentName: this.deploymentName,
            serviceName: this.serviceName,
            configMapName: this.configMapName,
        });
    }
}
