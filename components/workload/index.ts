import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IngressConfig, RolloutConfig } from "../../stacks/types";
import { ArgusComponent, componentLabels, selectorLabels } from "../labels";
import {
    deploymentAwait,
    serviceAwait,
    ingressAwait,
    autoscalerSpec,
    deploymentSpec,
    disruptionBudgetSpec,
    fewestReplicas,
    hardenedPodSpec,
    ingressAnnotations,
    ingressSpec,
    PodIdentity,
    PodSpec,
    Replicas,
    servicePort,
    serviceSpec,
} from "./spec";
import { WebPort } from "./containers";

export interface WorkloadIngress {
    /** Every host is a rule to the Service, and all of them share one certificate. */
    readonly hosts: readonly string[];
    readonly config: IngressConfig;
    /** Extra annotations, e.g. websocket timeouts. */
    readonly annotations?: Record<string, string>;
}

export interface WorkloadArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly component: ArgusComponent;
    readonly namespace: pulumi.Input<string>;
    /** A fixed count, or an autoscaler's range (a HorizontalPodAutoscaler then owns the count). */
    readonly replicas: Replicas;
    /** Containers and volumes; pod-level hardening is added here. */
    readonly pod: PodSpec;
    /** The Service in front: the container port it targets, and its own port (default 80). None: no Service. */
    readonly service?: { readonly target: WebPort; readonly port?: number };
    /** Pod template annotations; a change rolls the Deployment. */
    readonly podAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly identity: PodIdentity;
    /** The public face; no Ingress is made when undefined. */
    readonly ingress?: WorkloadIngress;
    readonly rollout: RolloutConfig;
    /** What must be ready before the Deployment rolls out, e.g. the migration Job of its image. */
    readonly runsAfter?: pulumi.Resource[];
    /** How a new Pod template replaces the old Pods; defaults to rolling, which keeps capacity. */
    readonly rolloutStrategy?: "rolling" | "recreate";
}

/** The name of a component's Deployment, Service and Ingress. */
export function workloadName(instance: string, component: ArgusComponent): string {
    return `${instance}-${component}`;
}

/**
 * One part of Argus: a Deployment and, when it serves on a port, the Service in front of it and optionally
 * its Ingress. The Service selects exactly the labels the Pod template carries.
 */
export class Workload extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service?: k8s.core.v1.Service;
    readonly ingress?: k8s.networking.v1.Ingress;
    readonly disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
    readonly autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** In-cluster name of the Service, when there is one. */
    readonly serviceName?: pulumi.Output<string>;

    constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Workload", name, {}, opts);
        const objectName = workloadName(args.instance, args.component);
        const labels = componentLabels(args.instance, args.component);
        const selector = selectorLabels(args.instance, args.component);
        const metadata = (annotations?: Record<string, string>) => ({
            name: objectName,
            namespace: args.namespace,
            labels,
            ...(annotations ? { annotations } : {}),
        });

        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: metadata(deploymentAwait(args.rollout, args.replicas)),
                spec: deploymentSpec(
                    args.replicas,
                    selector,
                    labels,
                    hardenedPodSpec(args.pod, selector, args.identity),
                    args.podAnnotations ?? {},
                    args.rolloutStrategy,
                ),
            },
            // On the Deployment itself, not only on this component, so the ordering never rests on how the
            // engine treats a component's dependencies.
            { parent: this, dependsOn: args.runsAfter },
        );
        if (args.service) {
            this.service = new k8s.core.v1.Service(
                `${name}-service`,
                { metadata: metadata(serviceAwait), spec: serviceSpec(selector, args.service.target, args.service.port ?? servicePort) },
                { parent: this },
            );
            this.serviceName = this.service.metadata.name;
        }

        if (typeof args.replicas !== "number") {
            this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                `${name}-hpa`,
                // The Deployment's name as an Output: the autoscaler is made once its target exists.
                { metadata: metadata(), spec: autoscalerSpec(this.deployment.metadata.name, args.replicas) },
                { parent: this },
            );
        }

        if (fewestReplicas(args.replicas) > 1) {
            this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                { metadata: metadata(), spec: disruptionBudgetSpec(selector) },
                { parent: this },
            );
        }

        if (args.ingress && this.serviceName) {
            const { hosts, config, annotations } = args.ingress;
            const tls = config.tls && {
                secretName: config.tls.secretName ?? `${objectName}-tls`,
                clusterIssuer: config.tls.clusterIssuer,
            };
            const spec = { hosts, className: config.className, serviceName: this.serviceName, tls, annotations };
            this.ingress = new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                {
                    metadata: metadata({ ...ingressAwait(args.rollout), ...ingressAnnotations(spec) }),
                    spec: ingressSpec(spec),
                },
                { parent: this },
            );
        }

        this.registerOutputs({
            deploymentName: this.deployment.metadata.name,
            serviceName: this.serviceName,
            ingressName: this.ingress?.metadata.name,
            autoscalerName: this.autoscaler?.metadata.name,
        });
    }
}
