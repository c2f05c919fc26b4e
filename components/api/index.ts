import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ApiConfig, ContainerResources, ApiSecretsSource, ImageConfig, IngressConfig, RolloutConfig } from "../../stacks";
import { ArgusImage, PreviousImage } from "../image";
import { componentLabels, selectorLabels } from "../labels";
import { Workload, workloadName } from "../workload";
import { redisContainer, redisDataVolume, redisPlacement, redisPort, redisServer } from "./redis";
import { hardenedPodSpec, migrationJobAwait } from "../workload/spec";
import { argusRelease } from "../../releases/argus";
import { apiSettingsData, secretEnvNames, secretKeys } from "./settings";
import { apiContainers, apiImageBuildArgs, apiProxyConfig, apiVolumes, apiWebPort, migrationPod } from "./spec";

export interface ArgusApiArgs {
    /** Instance name; prefixes every Kubernetes name. */
    readonly instance: string;
    readonly namespace: pulumi.Input<string>;
    /** Public host of the api. */
    readonly host: string;
    readonly url: string;
    readonly api: ApiConfig;
    readonly images: ImageConfig;
    readonly ingress: IngressConfig;
    readonly rollout: RolloutConfig;
    readonly serviceAccountName: pulumi.Input<string>;
    readonly resources: ContainerResources;
    /** The docker-registry Secret Pods pull with, if any. */
    readonly pullSecret?: pulumi.Input<string>;
    /** The api image as the stack's last update left it: what the build reuses. */
    readonly previousImage?: pulumi.Input<PreviousImage | undefined>;
}

/** Seconds the migration Job may run before Kubernetes stops it. */
const migrationDeadlineSeconds = 600;

/**
 * The Argus api: its image, Secret and ConfigMaps, the migration Job of each image, and the Deployment
 * whose Pod runs gunicorn, daphne, nginx in front of both, and redis.
 */
export class ArgusApi extends pulumi.ComponentResource {
    /** The image as `repo@sha256:...`. */
    readonly imageDigest: pulumi.Output<string>;
    /** The image as `repo:<content tag>`. */
    readonly imageReference: string;
    /** The image its build reused layers of. */
    readonly imageCacheFrom: pulumi.Output<string | undefined>;
    readonly url: string;
    readonly deploymentName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly secretName: pulumi.Output<string>;
    readonly migrationJobName: pulumi.Output<string>;

    constructor(name: string, args: ArgusApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Api", name, {}, opts);
        const labels = componentLabels(args.instance, "api");
        const metadata = { namespace: args.namespace, labels };

        const release = argusRelease(args.images.argusVersion);
        const image = new ArgusImage(
            `${name}-image`,
            { component: "api", buildArgs: apiImageBuildArgs(release, args.images.extraPythonPackages), images: args.images, previous: args.previousImage },
            { parent: this },
        );
        this.imageDigest = image.digest;
        this.imageReference = image.reference;
        this.imageCacheFrom = image.cacheFrom;

        const identity = { serviceAccountName: args.serviceAccountName, pullSecret: args.pullSecret };
        const redis = redisPlacement(args.api.replicas);
        if (redis === "shared") {
            new Workload(
                `${name}-redis`,
                {
                    instance: args.instance,
                    component: "redis",
                    namespace: args.namespace,
                    replicas: 1,
                    pod: { containers: [redisContainer(args.images.redis, "shared", args.resources.redis)], volumes: [redisDataVolume] },
                    webPort: redisPort,
                    servicePort: redisPort.containerPort,
                    identity,
                    rollout: args.rollout,
                },
                { parent: this },
            );
        }

        this.secretName = this.secretFor(name, args.api.secrets, metadata);
        const settings = new k8s.core.v1.ConfigMap(
            `${name}-settings`,
            {
                metadata,
                data: apiSettingsData(release, args.api, redisServer(redis, workloadName(args.instance, "redis"))),
            },
            { parent: this },
        );
        const nginxConfig = new k8s.core.v1.ConfigMap(
            `${name}-nginx`,
            { metadata, data: { "nginx.conf": apiProxyConfig() } },
            { parent: this },
        );

        const podArgs = {
            image: image.digest,
            release,
            nginxImage: args.images.nginx,
            redisImage: args.images.redis,
            redis,
            settingsConfigMap: settings.metadata.name,
            nginxConfigMap: nginxConfig.metadata.name,
            secretName: this.secretName,
            secretEnv: secretEnvNames(args.api),
            host: args.host,
            resources: args.resources,
        };

        // Named after the image's content tag: each new image migrates once, before its Pods start, and a
        // preview knows the name even before the image is built.
        const contentSuffix = image.reference.slice(-12);
        const migrateLabels = componentLabels(args.instance, "migrate");
        const migration = new k8s.batch.v1.Job(
            `${name}-migrate`,
            {
                metadata: {
                    name: `${args.instance}-migrate-${contentSuffix}`,
                    namespace: args.namespace,
                    labels: migrateLabels,
                    annotations: migrationJobAwait(migrationDeadlineSeconds),
                },
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: migrationDeadlineSeconds,
                    template: {
                        metadata: { labels: migrateLabels },
                        spec: hardenedPodSpec(migrationPod(podArgs), selectorLabels(args.instance, "migrate"), identity),
                    },
                },
            },
            { parent: this },
        );
        this.migrationJobName = migration.metadata.name;

        const workload = new Workload(
            `${name}-workload`,
            {
                instance: args.instance,
                component: "api",
                namespace: args.namespace,
                replicas: args.api.replicas,
                pod: { containers: apiContainers(podArgs), volumes: apiVolumes(nginxConfig.metadata.name, redis) },
                webPort: apiWebPort,
                identity,
                ingress: args.ingress.api
                    ? {
                          host: args.host,
                          config: args.ingress,
                          // ingress-nginx closes idle upstream connections after 60 s; websockets stay open for long.
                          annotations: {
                              "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                              "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
                          },
                      }
                    : undefined,
                rollout: args.rollout,
                runsAfter: [migration],
            },
            { parent: this },
        );
        this.url = args.url;
        this.deploymentName = workload.deployment.metadata.name;
        this.serviceName = workload.serviceName;

        this.registerOutputs({
            url: this.url,
            imageDigest: this.imageDigest,
            imageReference: this.imageReference,
            deploymentName: this.deploymentName,
            serviceName: this.serviceName,
            secretName: this.secretName,
            migrationJobName: this.migrationJobName,
        });
    }

    /** The name of the Secret with the api's secrets: an operator's existing one, or one made here. */
    private secretFor(
        name: string,
        source: ApiSecretsSource,
        metadata: k8s.types.input.meta.v1.ObjectMeta,
    ): pulumi.Output<string> {
        if ("existingSecretName" in source) {
            return pulumi.output(source.existingSecretName);
        }
        const djangoSecretKey =
            source.djangoSecretKey ??
            new random.RandomPassword(`${name}-django-secret-key`, { length: 50, special: true, overrideSpecial: "!#%&*()-_=+[]{}<>:?" }, { parent: this }).result;
        const secret = new k8s.core.v1.Secret(
            `${name}-secrets`,
            {
                metadata,
                type: "Opaque",
                stringData: {
                    [secretKeys.databaseUrl]: source.databaseUrl,
                    [secretKeys.djangoSecretKey]: pulumi.secret(djangoSecretKey),
                    ...(source.dataportenSecret ? { [secretKeys.dataportenSecret]: source.dataportenSecret } : {}),
                    ...(source.ticketAuthenticationSecret ? { [secretKeys.ticketAuthenticationSecret]: source.ticketAuthenticationSecret } : {}),
                },
            },
            { parent: this },
        );
        return secret.metadata.name;
    }
}
