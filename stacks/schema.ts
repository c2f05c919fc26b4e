/**
 * Every configuration key the program reads, with its type and default.
 *
 * This table is the single source of truth: `Pulumi.yaml` declares the same keys (a test keeps the two
 * in step), the loader applies these defaults, and unknown keys are reported against it.
 */

import { defaultArgusVersion } from "../releases/argus";
import { defaultFrontendVersion } from "../releases/frontend";

export type ConfigType = "string" | "integer" | "boolean";

export interface ConfigKeySpec {
    readonly type: ConfigType;
    readonly description: string;
    /** A valid value, shown in the fix of an error message. */
    readonly example: string;
    /** Omitted for keys every stack must set. An empty string means "derive it" or "off". */
    readonly default?: string | number | boolean;
    /** Must be set with `pulumi config set --secret`. */
    readonly secret?: boolean;
    /** The masked CI variable the pipeline sets this key from; offline renders use the example in its place. */
    readonly ciVariable?: string;
    /** The value may span lines (JSON, a kubeconfig); every other value is one line. */
    readonly multiline?: boolean;
}

/** Config keys live under this namespace: `argus:<key>`. */
export const configNamespace = "argus";

export const configSchema = {
    domain: {
        type: "string",
        description: "DNS domain every host of this stack lives under, e.g. uninett.no or paas2.uninett.no.",
        example: "paas2.uninett.no",
    },
    namespace: {
        type: "string",
        description: "Kubernetes namespace. Empty: the instance name (argus, argus-staging, argus-review-<slug>).",
        example: "argus-staging",
        default: "",
    },
    createNamespace: {
        type: "boolean",
        description: "Create the namespace (review stacks own theirs); false when the cluster team provides it.",
        example: "true",
        default: false,
    },
    webuiHost: {
        type: "string",
        description: "Public host of the webui. Empty: <instance name>.<domain>.",
        example: "argus.uninett.no",
        default: "",
    },
    apiHost: {
        type: "string",
        description: "Public host of the api. 1.x: empty means api.<webui host>, so the webui host works as cookie domain. 2.x: optional second host of the same Argus.",
        example: "api.argus.uninett.no",
        default: "",
    },
    imageRepository: {
        type: "string",
        description: "Registry path of the images, e.g. registry.example.org/sikt/argus (CI: $CI_REGISTRY_IMAGE). Staging pushes <path>/<image>:<content hash>, production runs those, review stacks push under <path>/review.",
        example: "registry.example.org/sikt/argus",
    },
    registryUsername: {
        type: "string",
        description: "User for pushing images. Empty: use the credentials of the local Docker client.",
        example: "$CI_REGISTRY_USER",
        default: "",
    },
    registryPassword: {
        type: "string",
        description: "Password or token for pushing images (secret).",
        example: "$CI_REGISTRY_PASSWORD",
        default: "",
        secret: true,
    },
    buildOnPreview: {
        type: "boolean",
        description: "Build the images during `pulumi preview` too (checks the Dockerfiles; never pushes).",
        example: "true",
        default: false,
    },
    imagePullSecret: {
        type: "string",
        description: "Name of an existing docker-registry Secret in the namespace the Pods pull with. Empty: none, or the one registryPullToken makes.",
        example: "argus-registry",
        default: "",
    },
    registryPullUsername: {
        type: "string",
        description: "User of the registry deploy token the cluster pulls images with (a GitLab deploy token with read_registry). Needs registryPullToken.",
        example: "gitlab+deploy-token-42",
        default: "",
    },
    registryPullToken: {
        type: "string",
        description: "The deploy token (secret). With it the program makes a kubernetes.io/dockerconfigjson Secret in the namespace and every Pod pulls with it.",
        example: "<deploy token>",
        default: "",
        secret: true,
        ciVariable: "ARGUS_REGISTRY_PULL_TOKEN",
    },
    kubeconfig: {
        type: "string",
        description: "kubeconfig of the cluster this stack deploys to (secret). Empty: the file $KUBECONFIG names (in CI, the environment's file variable).",
        example: "<kubeconfig YAML>",
        default: "",
        secret: true,
        multiline: true,
    },
    adoptExistingObjects: {
        type: "boolean",
        description: "Take over objects that already exist under this program's names (the old YAML deployment) by updating them; for the first `pulumi up` of a move only (docs/operations.md).",
        example: "true",
        default: false,
    },
    kubeContext: {
        type: "string",
        description: "Context of the kubeconfig to deploy to. Empty: its current context.",
        example: "paas2-argus-staging",
        default: "",
    },
    argusVersion: {
        type: "string",
        description: "Argus server release (PyPI argus-server): 1.24.0 to 1.37.0 (not 1.25.0) deploy the 1.x layout with the React webui, 2.8.0 to 2.10.2 the 2.x layout (releases/argus.ts).",
        example: "1.36.2",
        default: defaultArgusVersion,
    },
    frontendVersion: {
        type: "string",
        description: "Argus-frontend release (git tag) built into the webui image: v1.13.0, v1.14.0 or v1.14.1 (releases/frontend.ts).",
        example: "v1.14.0",
        default: defaultFrontendVersion,
    },
    extraPythonPackages: {
        type: "string",
        description: "Extra pip packages for the api image, each pinned as name==version, comma-separated (e.g. the seed's argus-ticket-rt). Empty: none.",
        example: "argus-ticket-rt==1.2.0",
        default: "",
    },
    nginxImage: {
        type: "string",
        description: "Stock unprivileged nginx image for the api proxy container, pinned to a version.",
        example: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine",
        default: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine",
    },
    redisImage: {
        type: "string",
        description: "Stock redis image for the api Pod's channel layer, pinned to a version.",
        example: "docker.io/library/redis:7.4.2-alpine",
        default: "docker.io/library/redis:7.4.2-alpine",
    },
    resourceProfile: {
        type: "string",
        description: "Requests and limits of every container: small, medium or large. Empty: small for review, medium for staging, large for production.",
        example: "large",
        default: "",
    },
    resourceOverrides: {
        type: "string",
        description: "Per-container changes to the profile: <container>.<cpu|memory>=<request>/<limit>, comma-separated (containers: django, websockets, nginx, redis, webui in 1.x; web, worker in 2.x; postgres of an inCluster database).",
        example: "django.cpu=250m/2,django.memory=512Mi/1Gi",
        default: "",
    },
    apiReplicas: {
        type: "integer",
        description: "Number of Argus web server Pods (1.x: api Pods; with more than one they share one Redis instead of each having its own).",
        example: "2",
        default: 1,
    },
    webuiReplicas: {
        type: "integer",
        description: "Number of webui Pods.",
        example: "2",
        default: 1,
    },
    workerReplicas: {
        type: "integer",
        description: "2.x: number of task worker Pods (django-tasks db_worker), which send the notifications.",
        example: "2",
        default: 1,
    },
    pruneSchedule: {
        type: "string",
        description: "2.x: cron schedule (UTC) of the job that removes old task results (prune_db_task_results).",
        example: "30 2 * * *",
        default: "17 3 * * *",
    },
    pruneMinAgeDays: {
        type: "integer",
        description: "2.x: days a finished task result is kept before the prune job removes it.",
        example: "30",
        default: 14,
    },
    versionCheck: {
        type: "boolean",
        description: "2.x: look up the newest Argus release daily (check_version), which lets the Pods reach the Internet on port 443.",
        example: "true",
        default: false,
    },
    heartbeatSchedule: {
        type: "string",
        description: "2.x from 2.10: cron schedule (UTC) of sync_heartbeat_incidents, which opens an incident for a source whose heartbeats stopped and closes it when they come back. Upstream: no less often than the smallest heartbeat frequency.",
        example: "* * * * *",
        default: "*/5 * * * *",
    },
    argusExtras: {
        type: "string",
        description: "Optional extras of argus-server to install, comma-separated, from those the release has (2.10: apprise, which Slack and other Apprise media need, and jsonlogging). Empty: none.",
        example: "apprise",
        default: "",
    },
    jsonLogging: {
        type: "boolean",
        description: "Log as JSON lines (2.10 and later): installs the jsonlogging extra and points DJANGO_LOGGING_MODULE at our JSON logging config.",
        example: "true",
        default: false,
    },
    adminUsername: {
        type: "string",
        description: "First superuser, created by initial_setup after the migrations if no user of that name exists. Needs adminPassword. Empty: none.",
        example: "admin",
        default: "",
    },
    adminEmail: {
        type: "string",
        description: "Email address of the first superuser. Empty: none.",
        example: "argus-admin@example.org",
        default: "",
    },
    adminPassword: {
        type: "string",
        description: "Password of the first superuser (secret), unless existingApiSecret holds it as ADMIN_PASSWORD.",
        example: "<password>",
        default: "",
        secret: true,
    },
    database: {
        type: "string",
        description: "Where Argus' PostgreSQL lives: inCluster (a PostgreSQL of the stack's own in its namespace, with a generated password; its data lives as long as its Pod) or external (databaseUrl or existingApiSecret). Empty: inCluster for review stacks, external for staging and production.",
        example: "external",
        default: "",
    },
    postgresImage: {
        type: "string",
        description: "Stock PostgreSQL image of an inCluster database, pinned to a version (the official postgres image: its entrypoint, user 999 and PGDATA).",
        example: "docker.io/library/postgres:15.18-bookworm",
        default: "docker.io/library/postgres:15.18-bookworm",
    },
    databaseStorageGi: {
        type: "integer",
        description: "Size limit in GiB of an inCluster database's data (an emptyDir: kept while its Pod lives, lost when the Pod is replaced).",
        example: "2",
        default: 1,
    },
    databaseUrl: {
        type: "string",
        description: "PostgreSQL URL, postgresql://user:password@host:5432/db (secret). Required for an external database unless existingApiSecret is set.",
        example: "postgresql://argus:PASSWORD@db.example.org:5432/argus",
        default: "",
        secret: true,
        ciVariable: "ARGUS_DATABASE_URL",
    },
    djangoSecretKey: {
        type: "string",
        description: "Django SECRET_KEY (secret). Empty: a random 50-character key kept in the stack state.",
        example: "<50 random characters>",
        default: "",
        secret: true,
    },
    existingApiSecret: {
        type: "string",
        description: "Name of an existing Secret to use instead of creating one: keys DATABASE_URL and SECRET_KEY, plus ARGUS_DATAPORTEN_SECRET with dataportenKey and TICKET_AUTHENTICATION_SECRET with ticketPlugin.",
        example: "argus-api-secrets",
        default: "",
    },
    timeZone: {
        type: "string",
        description: "Time zone of the api (Django TIME_ZONE, which Argus hard-codes; our settings module applies it).",
        example: "UTC",
        default: "Europe/Oslo",
    },
    authTokenExpiresAfterDays: {
        type: "integer",
        description: "Days an API token lives (AUTH_TOKEN_EXPIRES_AFTER_DAYS; Argus' own default is 14, the seed's 180).",
        example: "30",
        default: 180,
    },
    fallbackFilter: {
        type: "string",
        description: "System-wide fallback incident filter as a JSON object (ARGUS_FALLBACK_FILTER), e.g. {\"acked\": false}. Empty: none.",
        example: '{"acked": false}',
        default: "",
        multiline: true,
    },
    admins: {
        type: "string",
        description: "Who gets Django's error mails (ADMINS): Name <address>, comma-separated. Empty: nobody.",
        example: "Argus team <argus-admin@example.org>",
        default: "",
    },
    serverEmail: {
        type: "string",
        description: "Sender address of Django's error mails (SERVER_EMAIL). Empty: defaultFromEmail.",
        example: "argus-errors@argus.uninett.no",
        default: "",
    },
    socialAuthImmutableUserFields: {
        type: "string",
        description: "User fields a Feide login never overwrites (SOCIAL_AUTH_IMMUTABLE_USER_FIELDS), comma-separated. Empty: none.",
        example: "first_name,last_name",
        default: "",
    },
    mediaPlugins: {
        type: "string",
        description: "Notification media plugins (MEDIA_PLUGINS) as dotted class paths, comma-separated; install their packages with extraPythonPackages. Empty: Argus' default, email only.",
        example: "argus.notificationprofile.media.email.EmailNotification,argus_notification_sms.SMSNotification",
        default: "",
    },
    ticketPlugin: {
        type: "string",
        description: "Ticket system plugin (TICKET_PLUGIN) as a dotted class path, e.g. argus_ticket_rt.RequestTrackerPlugin. Empty: no ticket system.",
        example: "argus_ticket_rt.RequestTrackerPlugin",
        default: "",
    },
    ticketEndpoint: {
        type: "string",
        description: "URL of the ticket system (TICKET_ENDPOINT). Required with ticketPlugin.",
        example: "https://rt.example.org/",
        default: "",
    },
    ticketInformation: {
        type: "string",
        description: "Extra ticket fields as a JSON object (TICKET_INFORMATION), as the plugin documents. Required with ticketPlugin.",
        example: '{"queue": "argus"}',
        default: "",
        multiline: true,
    },
    ticketAuthenticationSecret: {
        type: "string",
        description: "Credentials of the ticket system as a JSON object (TICKET_AUTHENTICATION_SECRET; secret). Required with ticketPlugin, unless existingApiSecret holds it.",
        example: '{"token": "<token>"}',
        default: "",
        secret: true,
        multiline: true,
    },
    sendNotifications: {
        type: "boolean",
        description: "Let Argus send notifications (email). Needs emailHost.",
        example: "true",
        default: false,
    },
    emailHost: {
        type: "string",
        description: "SMTP server the api sends mail through. Empty: localhost, where nothing listens, so no mail leaves (Argus requires a value).",
        example: "smtp.example.org",
        default: "",
    },
    emailPort: {
        type: "integer",
        description: "SMTP port. 0: 587 with emailUseTls, 25 without.",
        example: "2525",
        default: 0,
    },
    emailUseTls: {
        type: "boolean",
        description: "Talk STARTTLS to the SMTP server (EMAIL_USE_TLS; Argus hard-codes true before 1.36.0, our settings module applies it).",
        example: "false",
        default: true,
    },
    defaultFromEmail: {
        type: "string",
        description: "Sender address of notifications. Empty: argus@<webui host>.",
        example: "argus@argus.uninett.no",
        default: "",
    },
    dataportenKey: {
        type: "string",
        description: "Client id for Dataporten/Feide login. Empty: local accounts only.",
        example: "<client id>",
        default: "",
    },
    dataportenSecret: {
        type: "string",
        description: "Client secret for Dataporten/Feide login (secret). Required with dataportenKey.",
        example: "<client secret>",
        default: "",
        secret: true,
    },
    debug: {
        type: "boolean",
        description: "Django DEBUG. Never in production.",
        example: "true",
        default: false,
    },
    autoRefreshInterval: {
        type: "integer",
        description: "Seconds between the webui's incident list refreshes.",
        example: "30",
        default: 30,
    },
    realtimeMaxRetries: {
        type: "integer",
        description: "How often the webui retries a lost websocket before falling back to polling.",
        example: "5",
        default: 5,
    },
    webuiIngress: {
        type: "boolean",
        description: "Create the webui Ingress; false where another tool makes it.",
        example: "false",
        default: true,
    },
    apiIngress: {
        type: "boolean",
        description: "Create the api Ingress; false where another tool makes it.",
        example: "false",
        default: true,
    },
    ingressClassName: {
        type: "string",
        description: "IngressClass of both Ingresses.",
        example: "nginx",
        default: "nginx",
    },
    tls: {
        type: "boolean",
        description: "Serve the Ingresses over TLS; needs tlsSecretName or certIssuer.",
        example: "false",
        default: true,
    },
    tlsSecretName: {
        type: "string",
        description: "Existing TLS Secret covering both hosts. Empty: one made by certIssuer.",
        example: "argus-tls",
        default: "",
    },
    certIssuer: {
        type: "string",
        description: "cert-manager ClusterIssuer that issues the certificates. Empty: use tlsSecretName.",
        example: "letsencrypt",
        default: "",
    },
    networkPolicies: {
        type: "boolean",
        description: "Make NetworkPolicies: deny by default, admit only the ingress controller, api to redis, and api egress to DNS, PostgreSQL and mail.",
        example: "false",
        default: true,
    },
    ingressControllerNamespace: {
        type: "string",
        description: "Namespace of the ingress controller, the only source of traffic to the web ports.",
        example: "ingress-nginx",
        default: "ingress-nginx",
    },
    dnsEgress: {
        type: "string",
        description: "Where Pods may send DNS queries: kube-dns (Pods labelled k8s-app=kube-dns, in any namespace), or address ranges, comma-separated, e.g. 169.254.20.10/32 for NodeLocal DNSCache.",
        example: "169.254.20.10/32",
        default: "kube-dns",
    },
    databaseCidr: {
        type: "string",
        description: "Address range of the PostgreSQL server the api may reach. Empty: any address, on databasePort only.",
        example: "10.20.0.0/16",
        default: "",
    },
    databasePort: {
        type: "integer",
        description: "Port of the PostgreSQL server.",
        example: "5432",
        default: 5432,
    },
    emailCidr: {
        type: "string",
        description: "Address range of the mail server the api may reach. Empty: any address, on emailPort only.",
        example: "10.30.0.25/32",
        default: "",
    },
    awaitDeployments: {
        type: "boolean",
        description: "Let `pulumi up` wait until the Deployments are rolled out and ready. The migration Job is always awaited.",
        example: "false",
        default: true,
    },
    awaitIngresses: {
        type: "boolean",
        description: "Let `pulumi up` wait until the ingress controller reports an address for each Ingress; false for controllers that never do.",
        example: "false",
        default: true,
    },
    migrationTimeoutSeconds: {
        type: "integer",
        description: "How long the migration Job may run, at most 4800 (the deploy job's timeout must outlast it and the rollouts). Raise it for a long migration, such as 1.37.0's primary keys on a large database (NOTES.md at v1.37.0).",
        example: "3600",
        default: 600,
    },
    awaitTimeoutSeconds: {
        type: "integer",
        description: "How long `pulumi up` waits for a Deployment or Ingress to become ready.",
        example: "900",
        default: 600,
    },
} satisfies Record<string, ConfigKeySpec>;

export type ConfigKey = keyof typeof configSchema;

export const configKeys = Object.keys(configSchema) as ConfigKey[];
