/**
 * The typed config of one stack: what stacks/index.ts reads and validates from raw config, and the slices
 * the components get. Nothing here reads config.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgusLayout } from "../releases/argus";
import { ContainerResources } from "./resources";
import { StackIdentity } from "./stackName";

/** Everything one stack deploys, read and validated once. Components get slices of this, never raw config. */
export interface ArgusConfig {
    readonly identity: StackIdentity;
    /** Which layout the Argus release needs (releases/argus.ts): 1.x with the React webui, or 2.x. */
    readonly layout: ArgusLayout;
    readonly namespace: string;
    readonly createNamespace: boolean;
    /** The webui host serves the webui (1.x) or all of Argus (2.x); 1.x always has an api host, 2.x only if set. */
    readonly hosts: { readonly webui: string; readonly api?: string };
    /** Public URLs: https when the Ingresses serve TLS. */
    readonly urls: { readonly webui: string; readonly api?: string };
    readonly images: ImageConfig;
    readonly api: ApiConfig;
    readonly webui: WebuiConfig;
    readonly ingress: IngressConfig;
    readonly rollout: RolloutConfig;
    readonly resources: ContainerResources;
    readonly network: NetworkConfig;
    readonly database: DatabaseConfig;
    readonly cluster: ClusterConfig;
    /** What only the 2.x layout runs: the task worker and the housekeeping jobs. */
    readonly server: ServerConfig;
    /** Objects the stack uses but an operator makes, as `Kind/name`: they must exist before `pulumi up`. */
    readonly externalObjects: readonly string[];
}

export interface ServerConfig {
    readonly workerReplicas: number;
    readonly prune: { readonly schedule: string; readonly minAgeDays: number };
    readonly versionCheck: boolean;
    /** When sync_heartbeat_incidents runs (releases that have it). */
    readonly heartbeatSchedule: string;
}

/** Who may talk to whom, when NetworkPolicies are on. */
/**
 * Where Argus' PostgreSQL lives: a hosted one outside the cluster (its URL in config or an operator's
 * Secret), or one of the stack's own, which the program runs and builds the URL of (review apps).
 */
export type DatabaseConfig =
    | { readonly mode: "external" }
    | {
          readonly mode: "inCluster";
          /** The official postgres image, pinned. */
          readonly image: string;
          /** Size limit of its data folder. */
          readonly storageGi: number;
      };

export interface NetworkConfig {
    readonly policies: boolean;
    /** DNS servers: the kube-dns Pods, or address ranges (NodeLocal DNSCache). */
    readonly dns: "kube-dns" | readonly string[];
    readonly ingressControllerNamespace: string;
    /** Where Argus reaches PostgreSQL: an address range, or the stack's own database Pods. */
    readonly database: Destination | "inCluster";
    /** Only when the api sends mail. */
    readonly email?: Destination;
}

export interface Destination {
    /** An address range; 0.0.0.0/0 when config does not narrow it. */
    readonly cidr: string;
    readonly port: number;
}

/**
 * How a stack gets its images: review and staging build and push them; production promotes, running the
 * digests staging pushed under the same content tags, and builds nothing.
 */
export type ImageDelivery = "build" | "promote";

export interface ImageConfig {
    /** Where this stack's images live: imageRepository, or imageRepository/review for review stacks. */
    readonly repository: string;
    readonly delivery: ImageDelivery;
    readonly registry?: RegistryCredentials;
    readonly buildOnPreview: boolean;
    /** How Pods authenticate to the registry: an operator's Secret, or a deploy token we make one from. */
    readonly pull?: { readonly existingSecret: string } | { readonly server: string; readonly username: string; readonly token: pulumi.Output<string> };
    readonly argusVersion: string;
    readonly frontendVersion: string;
    /** Pinned pip requirements added to the api image. */
    readonly extraPythonPackages: readonly string[];
    /** Optional extras of argus-server the image installs (the release's, `argusExtras` and `jsonLogging`). */
    readonly argusExtras: readonly string[];
    readonly nginx: string;
    readonly redis: string;
}

export interface RegistryCredentials {
    readonly server: string;
    readonly username: string;
    readonly password: pulumi.Output<string>;
}

export interface ApiConfig {
    readonly replicas: number;
    readonly secrets: ApiSecretsSource;
    readonly settings: ApiSettings;
    /** Client id for Dataporten login; its secret comes with the other secrets. */
    readonly dataportenKey?: string;
    /** The ticket system; its credentials come with the other secrets. */
    readonly ticket?: TicketConfig;
    /** The first superuser; its password comes with the other secrets. */
    readonly admin?: FirstAdmin;
}

/** The first superuser, made by `initial_setup` after the migrations. */
export interface FirstAdmin {
    readonly username: string;
    readonly email?: string;
}

export interface TicketConfig {
    /** Dotted path of the plugin class (TICKET_PLUGIN). */
    readonly plugin: string;
    readonly endpoint: string;
    /** TICKET_INFORMATION, as compact JSON. */
    readonly information: string;
}

/** Where DATABASE_URL, SECRET_KEY and ARGUS_DATAPORTEN_SECRET come from: an operator's Secret, or config. */
export type ApiSecretsSource =
    | { readonly existingSecretName: string }
    | {
          /** Unset with an inCluster database, whose URL the program builds (components/database). */
          readonly databaseUrl?: pulumi.Output<string>;
          /** Unset: a random key kept in the stack state. */
          readonly djangoSecretKey?: pulumi.Output<string>;
          readonly dataportenSecret?: pulumi.Output<string>;
          readonly ticketAuthenticationSecret?: pulumi.Output<string>;
          readonly adminPassword?: pulumi.Output<string>;
      };

/** The api's non-secret settings; they end up in a ConfigMap. */
export interface ApiSettings {
    readonly frontendUrl: string;
    /** The hosts Django answers to (ALLOWED_HOSTS): 1.x the api host; 2.x the webui host and the api host if set. */
    readonly publicHosts: readonly string[];
    readonly cookieDomain: string;
    readonly defaultFromEmail: string;
    readonly timeZone: string;
    readonly sendNotifications: boolean;
    /** Always a host: Argus requires EMAIL_HOST even where no mail is sent. */
    readonly emailHost: string;
    readonly emailPort: number;
    readonly emailUseTls: boolean;
    readonly debug: boolean;
    readonly authTokenExpiresAfterDays: number;
    /** ARGUS_FALLBACK_FILTER as compact JSON; undefined: Argus' default. */
    readonly fallbackFilter?: string;
    readonly admins: readonly Mailbox[];
    readonly serverEmail: string;
    readonly socialAuthImmutableUserFields: readonly string[];
    /** Dotted class paths; empty: Argus' default. */
    readonly mediaPlugins: readonly string[];
    /** DJANGO_LOGGING_MODULE: a logging dictionary's dotted path; undefined: Django's default logging. */
    readonly loggingModule?: string;
}

export interface Mailbox {
    readonly name: string;
    readonly address: string;
}

export interface WebuiConfig {
    readonly replicas: number;
    readonly autoRefreshInterval: number;
    readonly realtimeMaxRetries: number;
}

export interface IngressConfig {
    readonly webui: boolean;
    readonly api: boolean;
    readonly className: string;
    /** An existing certificate Secret covering both hosts, or a cert-manager issuer that makes one per host. */
    readonly tls?: { readonly secretName?: string; readonly clusterIssuer?: string };
}

/** The cluster a stack deploys to: the Kubernetes provider's settings. */
export interface ClusterConfig {
    /** Unset: the file $KUBECONFIG names. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** Unset: the kubeconfig's current context. */
    readonly context?: string;
    /** Review stacks: let `pulumi destroy` finish when the namespace or cluster is already gone. */
    readonly deleteUnreachable: boolean;
    /** Update objects that already exist under our names instead of failing: moving from the old YAML. */
    readonly adoptExistingObjects: boolean;
}

export interface RolloutConfig {
    readonly awaitDeployments: boolean;
    readonly awaitIngresses: boolean;
    readonly timeoutSeconds: number;
    /** The migration Job's deadline; `pulumi up` waits a minute longer. */
    readonly migrationTimeoutSeconds: number;
}
