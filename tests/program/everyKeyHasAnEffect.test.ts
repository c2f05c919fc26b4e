import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { RenderMocks } from "../../render/mocks";
import { ConfigKey, configKeys } from "../../stacks/schema";
import { Overrides, renderWith, sharedRender } from "../helpers";

/**
 * One change to one key: rendered with `base`, then with `base` plus `change`. A plain key must change the
 * rendered output (manifests, resources or outputs). A secret key's value is redacted in every output by
 * design, so it must instead reach, unredacted, the inputs of the resource that uses it.
 */
interface Effect {
    readonly stack?: string;
    readonly base?: Overrides;
    readonly baseSecrets?: Record<string, string>;
    readonly change: Overrides;
    readonly secretChange?: Record<string, string>;
    /** For a value the render cannot show: the type of the resource it must reach. */
    readonly reaches?: string;
    /** What must reach it, when not the key's whole value (an entry of a map). */
    readonly reachingText?: string;
}

const secretType = "kubernetes:core/v1:Secret";
const ticket = { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: '{"queue": "argus"}' };
const ticketSecret = { ticketAuthenticationSecret: '{"token": "t0"}' };
/** The 2.x layout, on the stack whose file sets no key of the 1.x layout. */
const server = { stack: "staging", base: { argusVersion: "2.9.1" } };
const admin = { adminUsername: "admin" };
const adminSecret = { adminPassword: "pw-0" };
const oidc = { argusVersion: "2.9.1", oidcEndpoint: "https://login.example.org/realms/staff", oidcClientId: "argus" };
const oidcSecret = { oidcClientSecret: "s0" };

const effects: Record<ConfigKey, Effect> = {
    domain: { stack: "review-123", change: { domain: "example.org" } },
    namespace: { change: { namespace: "argus-prod" } },
    createNamespace: { change: { createNamespace: "true" } },
    webuiHost: { stack: "review-123", change: { webuiHost: "argus-pr.paas2.uninett.no" } },
    apiHost: { stack: "review-123", change: { apiHost: "backend.argus-review-123.paas2.uninett.no" } },
    imageRepository: { change: { imageRepository: "registry.example.org/other/argus" } },
    // The docker provider's `registry` input holds the password, so Pulumi marks all of it secret, username included.
    registryUsername: { stack: "staging", base: { registryUsername: "ci" }, baseSecrets: { registryPassword: "pw-0" }, change: { registryUsername: "deployer" }, reaches: "docker:index/image:Image" },
    registryPassword: { stack: "staging", base: { registryUsername: "ci" }, baseSecrets: { registryPassword: "pw-0" }, change: {}, secretChange: { registryPassword: "Effect-registry-pw" }, reaches: "docker:index/image:Image" },
    // The user and token live inside the pull Secret's data, which the render never shows.
    registryPullUsername: { change: { registryPullUsername: "another-token-user" }, reaches: secretType },
    registryPullToken: { change: {}, secretChange: { registryPullToken: "Effect-pull-token" }, reaches: secretType },
    kubeconfig: { change: {}, secretChange: { kubeconfig: "apiVersion: v1\nclusters: [] # Effect-kubeconfig" }, reaches: "pulumi:providers:kubernetes" },
    kubeContext: { change: { kubeContext: "paas2-argus" } },
    adoptExistingObjects: { change: { adoptExistingObjects: "true" } },
    buildOnPreview: { stack: "staging", change: { buildOnPreview: "true" } },
    imagePullSecret: { change: { imagePullSecret: "argus-registry", registryPullUsername: null, registryPullToken: null } },
    argusVersion: { change: { argusVersion: "1.30.0" } },
    frontendVersion: { change: { frontendVersion: "v1.14.0" } },
    extraPythonPackages: { change: { extraPythonPackages: "argus-ticket-rt==1.2.0" } },
    nginxImage: { change: { nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine" } },
    redisImage: { change: { redisImage: "docker.io/library/redis:7.4.3-alpine" } },
    resourceProfile: { change: { resourceProfile: "small" } },
    resourceOverrides: { change: { resourceOverrides: "django.cpu=300m/2" } },
    webWorkers: { change: { webWorkers: "2" } },
    webThreads: { ...server, change: { webThreads: "8" } },
    databaseConnMaxAge: { change: { databaseConnMaxAge: "0" } },
    apiReplicas: { change: { apiReplicas: "2" } },
    webMaxReplicas: { ...server, change: { webMaxReplicas: "3" } },
    webTargetCpuPercent: { stack: "staging", base: { argusVersion: "2.9.1", webMaxReplicas: "3" }, change: { webTargetCpuPercent: "80" } },
    webuiReplicas: { change: { webuiReplicas: "3" } },
    workerReplicas: { ...server, change: { workerReplicas: "2" } },
    pruneSchedule: { ...server, change: { pruneSchedule: "30 2 * * *" } },
    pruneMinAgeDays: { ...server, change: { pruneMinAgeDays: "30" } },
    versionCheck: { ...server, change: { versionCheck: "true" } },
    heartbeatSchedule: { stack: "staging", base: { argusVersion: "2.10.2" }, change: { heartbeatSchedule: "* * * * *" } },
    tokenExpiryCheck: { ...server, change: { tokenExpiryCheck: "false" } },
    tokenExpirySchedule: { ...server, change: { tokenExpirySchedule: "0 7 * * 1-5" } },
    tokenExpiryDays: { ...server, change: { tokenExpiryDays: "14" } },
    argusExtras: { stack: "staging", base: { argusVersion: "2.10.2" }, change: { argusExtras: "apprise" } },
    jsonLogging: { stack: "staging", base: { argusVersion: "2.10.2" }, change: { jsonLogging: "true" } },
    adminUsername: { change: admin, secretChange: adminSecret },
    adminEmail: { base: admin, baseSecrets: adminSecret, change: { adminEmail: "ops@example.org" } },
    adminPassword: { base: admin, baseSecrets: adminSecret, change: {}, secretChange: { adminPassword: "Effect-admin" }, reaches: secretType },
    // Review stacks run their own PostgreSQL by default; staging uses the hosted one.
    database: { stack: "review-123", change: { database: "external" }, secretChange: { databaseUrl: "postgresql://argus:Effect-db@db.example.org:5432/argus" } },
    postgresImage: { stack: "review-123", change: { postgresImage: "docker.io/library/postgres:15.19-bookworm" } },
    databaseStorageGi: { stack: "review-123", change: { databaseStorageGi: "3" } },
    backupBeforeMigration: { stack: "staging", change: { backupBeforeMigration: "true", backupPostgresMajor: "16" } },
    backupPostgresMajor: { stack: "production", change: { backupPostgresMajor: "16" } },
    backupStorageGi: { stack: "production", change: { backupStorageGi: "20" } },
    backupStorageClass: { stack: "production", change: { backupStorageClass: "standard" } },
    backupKeep: { stack: "production", change: { backupKeep: "10" } },
    databaseUrl: { change: {}, secretChange: { databaseUrl: "postgresql://argus:Effect-db-pw@db.example.org:5432/argus" }, reaches: secretType },
    djangoSecretKey: { change: {}, secretChange: { djangoSecretKey: "Effect-django-key" }, reaches: secretType },
    existingApiSecret: { change: { existingApiSecret: "argus-runtime-secrets", databaseUrl: null } },
    timeZone: { change: { timeZone: "UTC" } },
    authTokenExpiresAfterDays: { change: { authTokenExpiresAfterDays: "30" } },
    fallbackFilter: { change: { fallbackFilter: '{"acked": false}' } },
    admins: { change: { admins: "Ops <ops@example.org>" } },
    serverEmail: { change: { serverEmail: "errors@argus.uninett.no" } },
    socialAuthImmutableUserFields: { change: { socialAuthImmutableUserFields: "first_name" } },
    mediaPlugins: { change: { mediaPlugins: "argus.notificationprofile.media.email.EmailNotification" } },
    ticketPlugin: { change: ticket, secretChange: ticketSecret },
    ticketEndpoint: { base: ticket, baseSecrets: ticketSecret, change: { ticketEndpoint: "https://rt2.example.org/" } },
    ticketInformation: { base: ticket, baseSecrets: ticketSecret, change: { ticketInformation: '{"queue": "noc"}' } },
    ticketAuthenticationSecret: { base: ticket, baseSecrets: ticketSecret, change: {}, secretChange: { ticketAuthenticationSecret: '{"token": "Effect-ticket"}' }, reaches: secretType },
    sendNotifications: { change: { sendNotifications: "false" } },
    emailHost: { change: { emailHost: "smtp2.uninett.no" } },
    emailPort: { change: { emailPort: "2525" } },
    // The port is pinned: unset, it follows emailUseTls, and that alone would change the output.
    emailUseTls: { base: { emailPort: "587" }, change: { emailUseTls: "false" } },
    // The port is pinned, as for emailUseTls; implicit TLS needs STARTTLS off.
    emailUseSsl: { base: { emailPort: "465", emailUseTls: "false" }, change: { emailUseSsl: "true" } },
    emailHostUser: { change: { emailHostUser: "argus@example.org" }, secretChange: { emailHostPassword: "s0" } },
    emailHostPassword: { base: { emailHostUser: "argus@example.org" }, baseSecrets: { emailHostPassword: "s0" }, change: {}, secretChange: { emailHostPassword: "Effect-mail-pw" }, reaches: secretType },
    extraSettings: { change: { extraSettings: '{"BANNER_MESSAGE": "Maintenance on Friday"}' } },
    extraSecretSettings: { change: {}, secretChange: { extraSecretSettings: '{"SMS_GATEWAY_TOKEN": "Effect-extra-secret"}' }, reaches: secretType, reachingText: "Effect-extra-secret" },
    defaultFromEmail: { change: { defaultFromEmail: "noreply@argus.uninett.no" } },
    dataportenKey: { change: { dataportenKey: "client-id" }, secretChange: { dataportenSecret: "s0" } },
    oidcEndpoint: { stack: "staging", base: oidc, baseSecrets: oidcSecret, change: { oidcEndpoint: "https://idp.example.org" } },
    oidcClientId: { stack: "staging", base: oidc, baseSecrets: oidcSecret, change: { oidcClientId: "argus-2" } },
    oidcDisplayName: { stack: "staging", base: oidc, baseSecrets: oidcSecret, change: { oidcDisplayName: "Example University" } },
    oidcClientSecret: { stack: "staging", base: oidc, baseSecrets: oidcSecret, change: {}, secretChange: { oidcClientSecret: "Effect-oidc" }, reaches: secretType },
    dataportenSecret: { base: { dataportenKey: "client-id" }, baseSecrets: { dataportenSecret: "s0" }, change: {}, secretChange: { dataportenSecret: "Effect-dataporten" }, reaches: secretType },
    debug: { stack: "staging", change: { debug: "true" } },
    autoRefreshInterval: { change: { autoRefreshInterval: "60" } },
    realtimeMaxRetries: { change: { realtimeMaxRetries: "3" } },
    webuiIngress: { change: { webuiIngress: "false" } },
    apiIngress: { change: { apiIngress: "false" } },
    ingressClassName: { change: { ingressClassName: "traefik" } },
    tls: { change: { tls: "false", certIssuer: null } },
    tlsSecretName: { base: { certIssuer: null, tlsSecretName: "argus-tls" }, change: { tlsSecretName: "argus-tls-2" } },
    certIssuer: { change: { certIssuer: "letsencrypt-staging" } },
    networkPolicies: { change: { networkPolicies: "false" } },
    ingressControllerNamespace: { change: { ingressControllerNamespace: "nginx-system" } },
    dnsEgress: { change: { dnsEgress: "169.254.20.10/32" } },
    databaseCidr: { change: { databaseCidr: "10.20.0.0/16" } },
    databasePort: { change: { databasePort: "5433" } },
    emailCidr: { change: { emailCidr: "10.30.0.25/32" } },
    awaitDeployments: { change: { awaitDeployments: "false" } },
    awaitIngresses: { change: { awaitIngresses: "false" } },
    migrationTimeoutSeconds: { change: { migrationTimeoutSeconds: "3600" } },
    awaitTimeoutSeconds: { change: { awaitTimeoutSeconds: "900" } },
};

/** Records every resource's inputs as the program sent them, before the render redacts secrets. */
class CapturingMocks extends RenderMocks {
    readonly raw: { type: string; inputs: string }[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs) {
        this.raw.push({ type: args.type, inputs: JSON.stringify(args.inputs) });
        return super.newResource(args);
    }
}

/** A render's text: many keys share a baseline, rendered once (see helpers' sharedRender). */
async function output(stack: string, overrides: Overrides, secrets: Record<string, string>): Promise<string> {
    const r = await sharedRender(stack, overrides, secrets);
    return r.manifestsYaml + r.resourcesJson + JSON.stringify(r.outputs);
}

describe("every config key has an effect", () => {
    it("has one change for each key of the schema", () => {
        expect(Object.keys(effects).sort()).to.deep.equal([...configKeys].sort());
    });

    for (const key of configKeys) {
        const { stack = "production", base = {}, baseSecrets = {}, change, secretChange = {}, reaches, reachingText } = effects[key];
        describe(key, () => {
            if (reaches) {
                let raw: CapturingMocks["raw"] = [];
                let shown = "";
                beforeEach(async () => {
                    const mocks = new CapturingMocks();
                    const rendering = await renderWith(stack, { ...base, ...change }, { ...baseSecrets, ...secretChange }, mocks);
                    raw = mocks.raw;
                    shown = rendering.manifestsYaml + rendering.resourcesJson + JSON.stringify(rendering.outputs);
                });

                it(`reaches the ${reaches}, and no output shows a secret`, () => {
                    const value = reachingText ?? secretChange[key] ?? change[key]!;
                    expect(raw.some((r) => r.type === reaches && r.inputs.includes(JSON.stringify(value).slice(1, -1)))).to.equal(true);
                    expect(shown).not.to.contain("Effect-");
                });
            } else {
                let before = "";
                let after = "";
                beforeEach(async () => {
                    before = await output(stack, base, baseSecrets);
                    after = await output(stack, { ...base, ...change }, { ...baseSecrets, ...secretChange });
                });

                it("changes the rendered output", () => {
                    expect(after).not.to.equal(before);
                });
            }
        });
    }
});
