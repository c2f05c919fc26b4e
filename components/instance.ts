import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgusConfig } from "../stacks";
import { ArgusApi } from "./api";
import { redisPlacement } from "./api/redis";
import { instanceLabels } from "./labels";
import { networkPolicies } from "./networkPolicies";
import { PreviousImage } from "./image";
import { dockerConfigJson } from "./pullSecret";
import { ArgusWebui } from "./webui";

export type ArgusInstanceArgs = ArgusConfig;

/** One Argus: the api and the webui it serves, in one namespace, under one instance name. */
export class ArgusInstance extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly api: ArgusApi;
    readonly webui: ArgusWebui;

    constructor(name: string, args: ArgusInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Instance", name, {}, opts);
        const instance = args.identity.instanceName;

        this.namespace = args.createNamespace
            ? new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  {
                      metadata: {
                          name: args.namespace,
                          labels: {
                              ...instanceLabels(instance),
                              // Every Pod here meets the restricted Pod Security Standard; let the cluster enforce it.
                              "pod-security.kubernetes.io/enforce": "restricted",
                          },
                      },
                  },
                  { parent: this },
              ).metadata.name
            : pulumi.output(args.namespace);

        // Argus never talks to the Kubernetes API: its Pods get an account with no permissions and no token.
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-serviceaccount`,
            {
                metadata: { name: instance, namespace: this.namespace, labels: instanceLabels(instance) },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        // What this stack ran before this update, from its own outputs: the layer cache of the next build.
        const current =
            args.images.delivery === "build"
                ? new pulumi.StackReference(`${name}-current`, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` }, { parent: this })
                : undefined;
        const shared = {
            instance,
            pullSecret: this.pullSecret(name, args, instance),
            namespace: this.namespace,
            images: args.images,
            ingress: args.ingress,
            rollout: args.rollout,
            serviceAccountName: serviceAccount.metadata.name,
            resources: args.resources,
        };
        const previousImage = (component: "api" | "webui"): pulumi.Output<PreviousImage> | undefined =>
            current &&
            pulumi.all([current.getOutput(`${component}Image`), current.getOutput(`${component}ImageCacheFrom`)]).apply(([reference, cacheFrom]) => ({ reference, cacheFrom }));
        this.api = new ArgusApi(`${name}-api`, { ...shared, host: args.hosts.api, url: args.urls.api, api: args.api, previousImage: previousImage("api") }, { parent: this });
        this.webui = new ArgusWebui(
            `${name}-webui`,
            { ...shared, hosts: args.hosts, url: args.urls.webui, webui: args.webui, previousImage: previousImage("webui") },
            { parent: this },
        );

        if (args.network.policies) {
            for (const policy of networkPolicies({ instance, network: args.network, redis: redisPlacement(args.api.replicas) })) {
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-netpol-${policy.name}`,
                    { metadata: { name: `${instance}-${policy.name}`, namespace: this.namespace, labels: instanceLabels(instance) }, spec: policy.spec },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({
            pullSecret: shared.pullSecret,
            namespace: this.namespace,
            apiUrl: this.api.url,
            webuiUrl: this.webui.url,
            apiImageDigest: this.api.imageDigest,
            webuiImageDigest: this.webui.imageDigest,
        });
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
