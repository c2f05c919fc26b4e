import { expect } from "chai";
import { configSchema } from "../../stacks/schema";
import { ArgusConfig } from "../../stacks/types";
import { parseMinimal } from "../helpers";

describe("config defaults", () => {
    it("pins every default of the schema", () => {
        const defaults = Object.fromEntries(Object.entries(configSchema).map(([k, v]) => [k, (v as { default?: unknown }).default]));
        expect(defaults).to.deep.equal({
            domain: undefined,
            namespace: "",
            createNamespace: false,
            webuiHost: "",
            apiHost: "",
            imageRepository: undefined,
            registryUsername: "",
            registryPassword: "",
            buildOnPreview: false,
            imagePullSecret: "",
            registryPullUsername: "",
            registryPullToken: "",
            kubeconfig: "",
            kubeContext: "",
            adoptExistingObjects: false,
            argusVersion: "1.37.0",
            frontendVersion: "v1.14.1",
            extraPythonPackages: "",
            nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine",
            redisImage: "docker.io/library/redis:7.4.2-alpine",
            resourceProfile: "",
            resourceOverrides: "",
            webWorkers: 0,
            webThreads: 1,
            databaseConnMaxAge: 60,
            apiReplicas: 1,
            webMaxReplicas: 0,
            webTargetCpuPercent: 70,
            webuiReplicas: 1,
            database: "",
            postgresImage: "docker.io/library/postgres:15.18-bookworm",
            databaseStorageGi: 1,
            databaseUrl: "",
            djangoSecretKey: "",
            existingApiSecret: "",
            timeZone: "Europe/Oslo",
            workerReplicas: 1,
            pruneSchedule: "17 3 * * *",
            pruneMinAgeDays: 14,
            versionCheck: false,
            heartbeatSchedule: "*/5 * * * *",
            backupBeforeMigration: "",
            backupPostgresMajor: "15",
            backupStorageGi: 5,
            backupStorageClass: "",
            backupKeep: 5,
            tokenExpiryCheck: true,
            tokenExpirySchedule: "23 6 * * *",
            tokenExpiryDays: 7,
            argusExtras: "",
            jsonLogging: false,
            adminUsername: "",
            adminEmail: "",
            adminPassword: "",
            authTokenExpiresAfterDays: 180,
            fallbackFilter: "",
            admins: "",
            serverEmail: "",
            socialAuthImmutableUserFields: "",
            mediaPlugins: "",
            ticketPlugin: "",
            ticketEndpoint: "",
            ticketInformation: "",
            ticketAuthenticationSecret: "",
            sendNotifications: false,
            emailHost: "",
            emailPort: 0,
            emailUseTls: true,
            emailUseSsl: false,
            emailHostUser: "",
            emailHostPassword: "",
            extraSettings: {},
            extraSecretSettings: {},
            defaultFromEmail: "",
            dataportenKey: "",
            dataportenSecret: "",
            oidcEndpoint: "",
            oidcClientId: "",
            oidcClientSecret: "",
            oidcDisplayName: "",
            debug: false,
            autoRefreshInterval: 30,
            realtimeMaxRetries: 5,
            webuiIngress: true,
            apiIngress: true,
            ingressClassName: "nginx",
            tls: true,
            tlsSecretName: "",
            certIssuer: "",
            networkPolicies: true,
            ingressControllerNamespace: "ingress-nginx",
            dnsEgress: "kube-dns",
            databaseCidr: "",
            databasePort: 5432,
            emailCidr: "",
            awaitDeployments: true,
            awaitIngresses: true,
            awaitTimeoutSeconds: 600,
            migrationTimeoutSeconds: 600,
        });
    });

    describe("a review stack that sets neither namespace nor hosts", () => {
        let config: ArgusConfig;

        before(() => {
            config = parseMinimal("review-42");
        });

        it("derives namespace, hosts, URLs and sender from the stack when they are not set", () => {
            expect(config.namespace).to.equal("argus-review-42");
            expect(config.hosts).to.deep.equal({ webui: "argus-review-42.paas2.uninett.no", api: "api.argus-review-42.paas2.uninett.no" });
            expect(config.urls).to.deep.equal({ webui: "https://argus-review-42.paas2.uninett.no", api: "https://api.argus-review-42.paas2.uninett.no" });
            expect(config.api.settings).to.deep.include({
                frontendUrl: "https://argus-review-42.paas2.uninett.no",
                cookieDomain: "argus-review-42.paas2.uninett.no",
                defaultFromEmail: "argus@argus-review-42.paas2.uninett.no",
            });
        });
    });

    it("uses plain http URLs when TLS is off", () => {
        expect(parseMinimal("staging", { tls: "false", certIssuer: "" }).urls.webui).to.equal("http://argus-staging.paas2.uninett.no");
    });
});
