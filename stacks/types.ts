/**
 * The typed config of one stack: what parseStackConfig (stacks/index.ts) reads and validates from raw config,
 * and the slices the components get. Each slice's interface lives with its section (stacks/sections/); this is the one
 * place components import them from, as types only, so no component loads the config parser.
 */
import type { ArgusLayout } from "../releases/argusRelease";
import { ContainerResources } from "./resourceProfiles";
import { ApiConfig } from "./sections/api";
import { BackupConfig } from "./sections/backup";
import { ClusterConfig } from "./sections/cluster";
import { DatabaseConfig } from "./sections/database";
import { Hosts } from "./sections/hosts";
import { ImageConfig } from "./sections/images";
import { IngressConfig } from "./sections/ingress";
import { NetworkConfig } from "./sections/network";
import { RolloutConfig } from "./sections/rollout";
import { ServerConfig } from "./sections/server";
import { WebuiConfig } from "./sections/webui";
import { StackIdentity } from "./stackName";

export type { ContainerResources, ResourceSpec } from "./resourceProfiles";
export type { StackIdentity } from "./stackName";
export type { ApiConfig, ApiSettings } from "./sections/api";
export type { WebCapacity } from "./sections/capacity";
export type { WebAutoscaling } from "./sections/autoscaling";
export type { BackupConfig } from "./sections/backup";
export type { ClusterConfig } from "./sections/cluster";
export type { DatabaseConfig } from "./sections/database";
export type { Hosts } from "./sections/hosts";
export type { ImageConfig, ImageDelivery, RegistryCredentials } from "./sections/images";
export type { IngressConfig } from "./sections/ingress";
export type { ExtraSettings, OwnedSettings } from "./sections/extraSettings";
export type { Mailbox } from "./sections/mail";
export type { OidcConfig } from "./sections/login";
export type { Destination, NetworkConfig } from "./sections/network";
export type { RolloutConfig } from "./sections/rollout";
export type { ApiSecretsSource, FirstAdmin } from "./sections/secrets";
export type { ServerConfig } from "./sections/server";
export type { TicketConfig } from "./sections/ticket";
export type { WebuiConfig } from "./sections/webui";

/** Everything one stack deploys, read and validated once. Components get slices of this, never raw config. */
export interface ArgusConfig {
    readonly identity: StackIdentity;
    /** Which layout the Argus release needs (releases/argus.ts): 1.x with the React webui, or 2.x. */
    readonly layout: ArgusLayout;
    readonly namespace: string;
    readonly createNamespace: boolean;
    /** The review deployer's RoleBinding first in the namespace this stack makes (stacks/sections/cluster.ts NamespaceConfig). */
    readonly bindReviewDeployer: boolean;
    /** The webui host serves the webui (1.x) or all of Argus (2.x); 1.x always has an api host, 2.x only if set. */
    readonly hosts: Hosts;
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
    /** The dump taken before each migration; undefined when the stack takes none. */
    readonly backup?: BackupConfig;
    readonly cluster: ClusterConfig;
    /** What only the 2.x layout runs: the task worker and the housekeeping jobs. */
    readonly server: ServerConfig;
    /** Objects the stack uses but an operator makes, as `Kind/name`: they must exist before `pulumi up`. */
    readonly externalObjects: readonly string[];
}
