import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgusConfig } from "../stacks/types";
import { ArgusApi } from "./api";
import { redisPlacement, redisServer } from "./api/redis";
import { ArgusRuntime } from "./argus";
import { ArgusDatabase } from "./database";
import type { PreviousRelease } from "./backup/spec";
import { ImageComponent, PreviousImage } from "./image";
import { instanceLabels } from "./labels";
import { instanceNamespace } from "./namespace";
import { networkPolicies } from "./networkPolicies";
import { dockerConfigJson } from "./pullSecret";
import { ArgusServer } from "./server";
import { ArgusWebui } from "./webui";
import { workloadName } from "./workload";

export type ArgusInstanceArgs = ArgusConfig & {
    /** This stack's own last outputs: the images it ran, whose layers the next build reuses. */
    readonly current: pulumi.StackReference;
    /** What the stack's last update left, which a backup's dump names (components/backup/spec.ts). */
    readonly previousRelease?: PreviousRelease;
};

/**
 * One Argus in one namespace, under one instance name: the runtime (image, settings, secrets, migrations)
 * and, by the release's layout, either the 1.x api and webui or the 2.x web server, worker and jobs.
 */
export class ArgusInstance extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly runtime: ArgusRuntime;
    /** 1.x only. */
    readonly api?: ArgusApi;
    /** 1.x only. */
    readonly webui?: ArgusWebui;
    /** 2.x only. */
    readonly server?: ArgusServer;

    constructor(name: string, args: ArgusInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Instance", name, {}, opts);
        const instance = args.identity.instanceName;

        this.namespace = instanceNamespace(name, instance, args, this);

        // Argus never talks to the Kubernetes API: its Pods get an account with no permissions and no token.
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-serviceaccount`,
            {
                metadata: { name: instance, namespace: this.namespace, labels: instanceLabels(instance) },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        const identity = { serviceAccountName: serviceAccount.metadata.name, pullSecret: this.pullSecret(name, args, instance) };
        const previousImage = this.previousImages(args);
        const redis = redisPlacement(args.api.replicas);
        const database =
            args.database.mode === "inCluster"
                ? new ArgusDatabase(
                      `${name}-database`,
                      { instance, namespace: this.namespace, config: args.database, resources: args.resources.postgres, identity, rollout: args.rollout },
                      { parent: this },
                  )
                : undefined;

        this.runtime = new ArgusRuntime(
            `${name}-runtime`,
            {
                instance,
                namespace: this.namespace,
                images: args.images,
                api: args.api,
                redisServer: args.layout === "spa" ? redisServer(redis, workloadName(instance, "redis")) : undefined,
                migrationResources: args.layout === "spa" ? args.resources.django : args.resources.web,
                identity,
                migrationTimeoutSeconds: args.rollout.migrationTimeoutSeconds,
                previousImage: previousImage?.("argus"),
                database: database && { url: database.url, ready: database.deployment },
                backup: args.backup && { config: args.backup, previous: args.previousRelease ?? {} },
            },
            { parent: this },
        );
        const shared = { instance, namespace: this.namespace, ingress: args.ingress, rollout: args.rollout, identity, resources: args.resources };

        if (args.layout === "spa") {
            const apiHost = args.hosts.api;
            if (!apiHost) {
                throw new Error("The 1.x layout needs an api host; stacks/ derives one when config names none.");
            }
            this.api = new ArgusApi(`${name}-api`, { ...shared, host: apiHost, api: args.api, images: args.images, redis, runtime: this.runtime }, { parent: this });
            this.webui = new ArgusWebui(
                `${name}-webui`,
                { ...shared, hosts: { webui: args.hosts.webui, api: apiHost }, apiService: this.api.serviceName, webui: args.webui, images: args.images, previousImage: previousImage?.("webui") },
                { parent: this },
            );
        } else {
            this.server = new ArgusServer(
                `${name}-server`,
                { ...shared, hosts: args.hosts, api: args.api, server: args.server, images: args.images, runtime: this.runtime },
                { parent: this },
            );
        }

        if (args.network.policies) {
            const layout = args.layout === "spa" ? { layout: "spa" as const, redis } : { layout: "server" as const, versionCheck: args.server.versionCheck, oidcPort: args.api.oidc?.port };
            for (const policy of networkPolicies({ instance, network: args.network, backup: args.backup !== undefined, ...layout })) {
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-netpol-${policy.name}`,
                    { metadata: { name: `${instance}-${policy.name}`, namespace: this.namespace, labels: instanceLabels(instance) }, spec: policy.spec },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({
            namespace: this.namespace,
            argusImageDigest: this.runtime.imageDigest,
            pullSecret: identity.pullSecret,
        });
    }

    /**
     * What this stack ran before this update, from its own outputs (`<image>Image`, `<image>ImageCacheFrom`):
     * the layer cache of the next build. Only stacks that build have one.
     */
    private previousImages(args: ArgusInstanceArgs): ((component: ImageComponent) => pulumi.Output<PreviousImage>) | undefined {
        if (args.images.delivery !== "build") {
            return undefined;
        }
        const current = args.current;
        return (component) =>
            pulumi.all([current.getOutput(`${component}Image`), current.getOutput(`${component}ImageCacheFrom`)]).apply(([reference, cacheFrom]) => ({ reference, cacheFrom }));
    }

    /** The pull Secret's name: an operator's, one made here from the deploy token in config, or none. */
    private pullSecret(name: string, args: ArgusInstanceArgs, instance: string): pulumi.Input<string> | undefined {
        const pull = args.images.pull;
        if (!pull || "existingSecret" in pull) {
            return pull?.existingSecret;
        }
        const secret = new k8s.core.v1.Secret(
            `${name}-registry-pull`,
            {
                metadata: { namespace: this.namespace, labels: instanceLabels(instance) },
                type: "kubernetes.io/dockerconfigjson",
                stringData: { ".dockerconfigjson": pulumi.secret(pull.token.apply((token) => dockerConfigJson(pull.server, pull.username, token))) },
            },
            { parent: this },
        );
        return secret.metadata.name;
    }
}
