import { expect } from "chai";
import { ConfigError, parseStackConfig } from "../stacks";
import { closestKey, configSchema } from "../stacks/schema";
import { resourceFloor, resourceProfiles } from "../stacks/resources";
import { withEnvironmentOverrides } from "../render/stackConfig";
import { parseStackName } from "../stacks/stackName";
import { mapSource, minimalConfig, minimalSecrets, parseMinimal } from "./helpers";

function configError(run: () => unknown): ConfigError {
    try {
        run();
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return err as ConfigError;
    }
    throw new Error("expected a ConfigError");
}

describe("stack names", () => {
    it("maps production, staging and review stacks to environments, instance names and config files", () => {
        expect(parseStackName("production")).to.deep.include({ environment: "production", instanceName: "argus", configFile: "Pulumi.production.yaml" });
        expect(parseStackName("staging")).to.deep.include({ environment: "staging", instanceName: "argus-staging", configFile: "Pulumi.staging.yaml" });
        expect(parseStackName("review")).to.deep.include({ environment: "review", instanceName: "argus-review", configFile: "Pulumi.review.yaml" });
        expect(parseStackName("review-123")).to.deep.include({ environment: "review", instanceName: "argus-review-123", configFile: "Pulumi.review.yaml" });
    });

    it("refuses an unknown stack with the names it accepts", () => {
        const error = configError(() => parseStackConfig("dev", mapSource(minimalConfig, minimalSecrets)));
        expect(error.message).to.equal(
            'The configuration of stack "dev" has 1 problem; nothing was created.\n' +
                '  - stack name: unknown stack "dev". Fix: Use production, staging, review, or review-<slug> with a lower-case slug such as review-123.',
        );
    });

    it("refuses review slugs that are not DNS labels or too long", () => {
        expect(parseStackName("review-Feature_X")).to.be.a("string");
        expect(parseStackName(`review-${"a".repeat(45)}`)).to.match(/too long/);
    });
});

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
            apiReplicas: 1,
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
            defaultFromEmail: "",
            dataportenKey: "",
            dataportenSecret: "",
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

    it("derives namespace, hosts, URLs and sender from the stack when they are not set", () => {
        const config = parseMinimal("review-42");
        expect(config.namespace).to.equal("argus-review-42");
        expect(config.hosts).to.deep.equal({ webui: "argus-review-42.paas2.uninett.no", api: "api.argus-review-42.paas2.uninett.no" });
        expect(config.urls).to.deep.equal({ webui: "https://argus-review-42.paas2.uninett.no", api: "https://api.argus-review-42.paas2.uninett.no" });
        expect(config.api.settings).to.deep.include({
            frontendUrl: "https://argus-review-42.paas2.uninett.no",
            cookieDomain: "argus-review-42.paas2.uninett.no",
            defaultFromEmail: "argus@argus-review-42.paas2.uninett.no",
        });
    });

    it("uses plain http URLs when TLS is off", () => {
        expect(parseMinimal("staging", { tls: "false", certIssuer: "" }).urls.webui).to.equal("http://argus-staging.paas2.uninett.no");
    });
});

describe("resources", () => {
    it("sizes review apps small, staging medium and production large", () => {
        expect(parseMinimal("review-1").resources).to.deep.equal(resourceProfiles.small);
        expect(parseMinimal("staging").resources).to.deep.equal(resourceProfiles.medium);
        expect(parseMinimal("production", { domain: "uninett.no" }).resources).to.deep.equal(resourceProfiles.large);
        expect(parseMinimal("staging", { resourceProfile: "small" }).resources).to.deep.equal(resourceProfiles.small);
    });

    it("applies per-container overrides on top of the profile", () => {
        const resources = parseMinimal("staging", { resourceOverrides: "django.cpu=250m/2, redis.memory=64Mi/1Gi" }).resources;
        expect(resources.django).to.deep.equal({ cpuMillis: { request: 250, limit: 2000 }, memoryMiB: resourceProfiles.medium.django.memoryMiB });
        expect(resources.redis.memoryMiB).to.deep.equal({ request: 64, limit: 1024 });
        expect(resources.webui).to.deep.equal(resourceProfiles.medium.webui);
    });

    it("refuses negative, inverted, absurd and misspelt resources, one message each", () => {
        const error = configError(() =>
            parseMinimal("staging", { resourceProfile: "huge", resourceOverrides: "django.cpu=-1/2,nginx.memory=1Gi/512Mi,redis.cpu=1/64,djano.cpu=1/2,webui.memory=1GB/2GB" }),
        );
        expect(error.problems.map((p) => p.key)).to.deep.equal(["resourceProfile"]);
        const overrides = configError(() => parseMinimal("staging", { resourceOverrides: "django.cpu=-1/2,nginx.memory=1Gi/512Mi,redis.cpu=1/64,djano.cpu=1/2,webui.memory=1GB/2GB" }));
        expect(overrides.problems.map((p) => p.problem)).to.deep.equal([
            '"django.cpu=-1/2" has a quantity that is not like 250m or 0.5.',
            '"nginx.memory=1Gi/512Mi" needs 0 < request <= limit.',
            '"redis.cpu=1/64" asks for more than one container may have (8 cores).',
            '"djano.cpu=1/2" names no container of this layout; its containers are django, websockets, nginx, redis, webui, postgres.',
            '"webui.memory=1GB/2GB" has a quantity that is not like 512Mi or 1Gi.',
        ]);
        expect(error.message).to.contain('argus:resourceProfile: "huge" is not one of small, medium, large.');
    });
});

describe("config errors", () => {
    it("lists every problem at once, each with the stack, the key and a fix", () => {
        const error = configError(() =>
            parseStackConfig(
                "staging",
                mapSource({ imageRepository: "registry.example.org/sikt/argus", apiReplicas: "0", webuiReplicas: "two", webuiHost: "bad_host!", certIssuer: "le" }, minimalSecrets),
            ),
        );
        expect(error.stack).to.be.a("string");
        expect(error.problems.map((p) => p.key)).to.deep.equal(["domain", "webuiHost", "apiReplicas", "webuiReplicas"]);
        expect(error.message).to.contain('The configuration of stack "staging" has 4 problems; nothing was created.');
        expect(error.message).to.contain("  - argus:domain: is required and not set. Fix: pulumi config set --stack staging domain paas2.uninett.no");
        expect(error.message).to.contain('  - argus:webuiHost: "bad_host!" is not a valid host name: it has an underscore, which DNS host names may not. Fix: pulumi config set --stack staging webuiHost');
        expect(error.message).to.contain("  - argus:apiReplicas: 0 is outside 1..20. Fix: pulumi config set --stack staging apiReplicas 2");
        expect(error.message).to.contain('  - argus:webuiReplicas: "two" is not a whole number.');
    });

    it("rejects a value of the wrong type for booleans", () => {
        const error = configError(() => parseMinimal("staging", { tls: "yes" }));
        expect(error.message).to.contain('argus:tls: "yes" is not true or false.');
    });

    it("rejects hosts outside the stack's domain", () => {
        const error = configError(() => parseMinimal("staging", { webuiHost: "argus.example.com", apiHost: "api.argus.example.com" }));
        expect(error.message).to.contain('argus:webuiHost: "argus.example.com" is outside this stack\'s domain "paas2.uninett.no".');
        expect(error.message).to.contain('argus:apiHost: "api.argus.example.com" is outside this stack\'s domain "paas2.uninett.no".');
    });

    it("requires the database URL as a secret, and never shows its value", () => {
        expect(configError(() => parseStackConfig("staging", mapSource(minimalConfig))).message).to.contain(
            "argus:databaseUrl: is required for an external database (or existingApiSecret). Fix: pulumi config set --secret --stack staging databaseUrl postgresql://argus:PASSWORD@db.example.org:5432/argus (or, for a database of the stack's own: pulumi config set --stack staging database inCluster)",
        );
        const plain = configError(() => parseStackConfig("staging", mapSource({ ...minimalConfig, databaseUrl: "postgresql://u:hunter2@db/argus" })));
        expect(plain.message).to.contain("argus:databaseUrl: is stored in plain text");
        expect(plain.message).not.to.contain("hunter2");
        const wrongScheme = configError(() => parseMinimal("staging", {}, { databaseUrl: "mysql://u:hunter2@db/argus" }));
        expect(wrongScheme.message).to.contain("argus:databaseUrl: is not a postgresql:// URL (value not shown).");
        expect(wrongScheme.message).not.to.contain("hunter2");
    });

    it("accepts an existing Secret instead of the database URL, but not both", () => {
        const config = parseStackConfig("staging", mapSource({ ...minimalConfig, existingApiSecret: "argus-db" }));
        expect(config.api.secrets).to.deep.equal({ existingSecretName: "argus-db" });
        expect(configError(() => parseMinimal("staging", { existingApiSecret: "argus-db" })).message).to.contain(
            'argus:databaseUrl: is set, but existingApiSecret "argus-db" already provides the api\'s secrets.',
        );
    });

    it("requires a certificate source when TLS is on", () => {
        const error = configError(() => parseStackConfig("staging", mapSource({ domain: "paas2.uninett.no", imageRepository: "registry.example.org/sikt/argus" }, minimalSecrets)));
        expect(error.message).to.contain("argus:tls: is on, but neither tlsSecretName nor certIssuer says where the certificate comes from.");
    });

    it("refuses unpinned stock images and the latest tag", () => {
        const error = configError(() => parseMinimal("staging", { nginxImage: "nginx", redisImage: "redis:latest" }));
        expect(error.problems.map((p) => p.key)).to.include.members(["nginxImage", "redisImage"]);
    });

    it("names the closest known key for a misspelt one", () => {
        const error = configError(() => parseMinimal("staging", { apiReplica: "2" }));
        expect(error.message).to.contain('argus:apiReplica: is not a setting this program knows. Fix: Did you mean "apiReplicas"? pulumi config rm --stack staging apiReplica');
        expect(closestKey("ingresClassName")).to.equal("ingressClassName");
        expect(closestKey("somethingElseEntirely")).to.equal(undefined);
    });

    it("refuses address ranges that are not CIDRs and a bad ingress namespace", () => {
        const error = configError(() => parseMinimal("staging", { databaseCidr: "10.0.0.0", emailHost: "smtp.example.org", emailCidr: "300.1.1.1/8", ingressControllerNamespace: "Ingress" }));
        expect(error.problems.map((p) => p.key)).to.deep.equal(["ingressControllerNamespace", "databaseCidr", "emailCidr"]);
        expect(error.message).to.contain('argus:databaseCidr: "10.0.0.0" is not an IPv4 address range like 10.20.0.0/16.');
    });

    it("refuses debug in production and notifications without a mail server", () => {
        const error = configError(() => parseMinimal("production", { domain: "uninett.no", debug: "true", sendNotifications: "true" }));
        expect(error.problems.map((p) => p.key)).to.deep.equal(["emailHost", "debug"]);
    });
});

describe("settings the seed set, plugins and mail", () => {
    const problems = (plain: Record<string, string>, secrets: Record<string, string> = {}) =>
        configError(() => parseMinimal("staging", plain, secrets)).problems.map((p) => `${p.key}: ${p.problem}`);

    it("derives the SMTP port from emailUseTls unless it is set", () => {
        expect(parseMinimal("staging").api.settings).to.include({ emailUseTls: true, emailPort: 587, emailHost: "localhost" });
        expect(parseMinimal("staging", { emailUseTls: "false" }).api.settings).to.include({ emailUseTls: false, emailPort: 25 });
        expect(parseMinimal("staging", { emailUseTls: "false", emailPort: "2525" }).api.settings.emailPort).to.equal(2525);
    });

    it("reads the seed's settings into typed values", () => {
        const settings = parseMinimal("staging", {
            admins: "Ops team <ops@example.org>, Kari <kari@example.org>",
            fallbackFilter: '{ "acked": false, "maxlevel": 3 }',
            socialAuthImmutableUserFields: "first_name, last_name",
            authTokenExpiresAfterDays: "30",
            timeZone: "UTC",
        }).api.settings;
        expect(settings.admins).to.deep.equal([
            { name: "Ops team", address: "ops@example.org" },
            { name: "Kari", address: "kari@example.org" },
        ]);
        expect(settings).to.deep.include({
            fallbackFilter: '{"acked":false,"maxlevel":3}',
            socialAuthImmutableUserFields: ["first_name", "last_name"],
            authTokenExpiresAfterDays: 30,
            timeZone: "UTC",
            serverEmail: "argus@argus-staging.paas2.uninett.no",
        });
    });

    it("refuses malformed settings, one message each", () => {
        expect(
            problems({
                timeZone: "Europe/Olso",
                fallbackFilter: "[1]",
                admins: "ops@example.org",
                serverEmail: "nobody",
                mediaPlugins: "argus.media.Email, not a path",
                extraPythonPackages: "argus-ticket-rt, argus-ticket-jira==1.0.0",
                realtimeMaxRetries: "0",
                authTokenExpiresAfterDays: "0",
            }),
        ).to.deep.equal([
            'extraPythonPackages: "argus-ticket-rt" is not a package pinned as name==version.',
            'timeZone: "Europe/Olso" is not a time zone name like Europe/Oslo or UTC.',
            'fallbackFilter: "[1]" is not a JSON object like {"acked": false}.',
            'mediaPlugins: "not a path" is not a dotted Python class path.',
            "authTokenExpiresAfterDays: 0 is outside 1..3650.",
            'admins: "ops@example.org" is not of the form Name <address>.',
            'serverEmail: "nobody" is not an email address.',
            // Argus-frontend treats 0 as unset and retries 7 times (src/config.tsx at v1.14.1).
            "realtimeMaxRetries: 0 is outside 1..100.",
        ]);
    });

    it("needs the whole ticket system or none of it, and never shows the ticket secret", () => {
        expect(problems({ ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin" })).to.deep.equal([
            "ticketEndpoint: is required when ticketPlugin is set.",
            "ticketInformation: is required when ticketPlugin is set.",
            "ticketAuthenticationSecret: is required when ticketPlugin is set.",
        ]);
        expect(problems({ ticketEndpoint: "https://rt.example.org/" })).to.deep.equal(["ticketEndpoint: is set, but ticketPlugin is not, so no ticket system would use it."]);
        const secretProblems = problems(
            { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: "{}" },
            { ticketAuthenticationSecret: "Sentinel-not-json" },
        );
        expect(secretProblems).to.deep.equal(["ticketAuthenticationSecret: is not a JSON object (value not shown)."]);
        expect(secretProblems.join()).not.to.contain("Sentinel");
        const ticket = parseMinimal(
            "staging",
            { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: '{ "queue": "argus" }' },
            { ticketAuthenticationSecret: '{"token": "t"}' },
        ).api.ticket;
        expect(ticket).to.deep.equal({ plugin: "argus_ticket_rt.RequestTrackerPlugin", endpoint: "https://rt.example.org/", information: '{"queue":"argus"}' });
    });

    it("takes the ticket secret from an existing Secret, not from config, when existingApiSecret is set", () => {
        const ticket = { ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin", ticketEndpoint: "https://rt.example.org/", ticketInformation: "{}" };
        const source = mapSource({ ...minimalConfig, ...ticket, existingApiSecret: "argus-api" });
        expect(parseStackConfig("staging", source).api.secrets).to.deep.equal({ existingSecretName: "argus-api" });
        const both = mapSource({ ...minimalConfig, ...ticket, existingApiSecret: "argus-api" }, { ticketAuthenticationSecret: '{"t": 1}' });
        expect(configError(() => parseStackConfig("staging", both)).problems.map((p) => p.key)).to.deep.equal(["ticketAuthenticationSecret"]);
    });
});

describe("refusing what the cluster would refuse", () => {
    const problems = (plain: Record<string, string>, secrets: Record<string, string> = {}, stack = "staging") =>
        configError(() => parseMinimal(stack, plain, secrets)).problems.map((p) => `${p.key}: ${p.problem}`);

    it("checks the names of objects that must exist against the API server's rule", () => {
        expect(problems({ existingApiSecret: "Argus Secrets", imagePullSecret: "registry creds", ingressClassName: "NGINX", certIssuer: "lets_encrypt" })).to.deep.equal([
            'imagePullSecret: "registry creds" is not a valid Secret name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'certIssuer: "lets_encrypt" is not a valid ClusterIssuer name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'ingressClassName: "NGINX" is not a valid IngressClass name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'existingApiSecret: "Argus Secrets" is not a valid Secret name: lower-case letters, digits, - and ., starting and ending with a letter or digit, at most 253.',
            'databaseUrl: is set, but existingApiSecret "Argus Secrets" already provides the api\'s secrets.',
        ]);
    });

    it("refuses a certificate Secret and an issuer together: cert-manager would refuse the second Ingress", () => {
        expect(problems({ tlsSecretName: "argus-tls" })).to.deep.equal([
            'tlsSecretName: and certIssuer are both set: cert-manager would issue each Ingress its own certificate into the one Secret "argus-tls", and refuse the second.',
        ]);
    });

    it("refuses a plain key stored as a secret, without showing its value anywhere", () => {
        const error = configError(() => parseMinimal("staging", {}, { emailHost: "Sentinel.not a host", dataportenKey: "Sentinel-client" }));
        expect(error.problems.map((p) => p.key)).to.include.members(["emailHost", "dataportenKey"]);
        expect(error.problems.find((p) => p.key === "dataportenKey")!.problem).to.match(/^is stored as a secret, but it is not one/);
        expect(error.message).not.to.contain("Sentinel");
        expect(error.message).to.contain('"[secret]" is not a valid host name: it has upper-case letters; host names here are lower case. Fix: pulumi config set --stack staging emailHost smtp.example.org');
        // A fix made from the value itself (lower-cased, here) is never offered for a value stored as a secret.
        const tidied = configError(() => parseMinimal("staging", {}, { emailHost: "SMTP.Sentinel.org" }));
        expect(tidied.message).not.to.match(/sentinel/i);
        expect(configError(() => parseMinimal("staging", { emailHost: "SMTP.Example.org" })).message).to.contain("Fix: pulumi config set --stack staging emailHost smtp.example.org");
    });

    it("keeps the api host under the webui host in 1.x, where they share the login cookie, and not in 2.x", () => {
        expect(problems({ apiHost: "api.paas2.uninett.no" })).to.deep.equal([
            'apiHost: "api.paas2.uninett.no" is not under the webui host "argus-staging.paas2.uninett.no", so the webui could never read the login cookie the api sets.',
        ]);
        expect(parseMinimal("staging", { apiHost: "api.paas2.uninett.no", argusVersion: "2.9.1" }).hosts.api).to.equal("api.paas2.uninett.no");
    });

    it("refuses an empty domain even when both hosts are given", () => {
        expect(problems({ domain: "", webuiHost: "argus.example.org", apiHost: "api.argus.example.org" })).to.deep.equal(["domain: is empty; every host of the stack must lie under it."]);
    });

    it("refuses an override given twice, and limits too small for a container to start", () => {
        expect(problems({ resourceOverrides: "django.cpu=100m/1,django.cpu=200m/2,django.memory=64Mi/128Mi,nginx.memory=4Mi/8Mi" })).to.deep.equal([
            'resourceOverrides: "django.cpu=200m/2" sets django.cpu a second time; keep one.',
            'resourceOverrides: "django.memory=64Mi/128Mi" gives django a limit below the 192Mi it needs to start.',
            'resourceOverrides: "nginx.memory=4Mi/8Mi" gives nginx a limit below the 16Mi it needs to start.',
        ]);
    });

    it("gives every container of every profile at least what it needs to start", () => {
        for (const [profile, containers] of Object.entries(resourceProfiles)) {
            for (const [name, spec] of Object.entries(containers)) {
                const floor = resourceFloor[name as keyof typeof resourceFloor];
                expect(spec.cpuMillis.limit, `${profile} ${name} cpu`).to.be.at.least(floor.cpuMillis);
                expect(spec.memoryMiB.limit, `${profile} ${name} memory`).to.be.at.least(floor.memoryMiB);
                expect(spec.cpuMillis.request, `${profile} ${name} cpu`).to.be.at.most(spec.cpuMillis.limit);
                expect(spec.memoryMiB.request, `${profile} ${name} memory`).to.be.at.most(spec.memoryMiB.limit);
            }
        }
    });
});

describe("config from the engine's environment", () => {
    const base = { values: { "argus:domain": "paas2.uninett.no" }, secretKeys: [] };

    it("takes JSON numbers and booleans as their text, as the engine may pass them", () => {
        const config = withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:apiReplicas": 2, "argus:tls": false, "argus:webuiHost": "argus.example.org"}' });
        expect(config.values).to.deep.equal({ "argus:domain": "paas2.uninett.no", "argus:apiReplicas": "2", "argus:tls": "false", "argus:webuiHost": "argus.example.org" });
    });

    it("refuses null, arrays and objects with the key that has them", () => {
        expect(() => withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:webuiReplicas": null}' })).to.throw("PULUMI_CONFIG: argus:webuiReplicas is null; give a string, number or boolean.");
        expect(() => withEnvironmentOverrides(base, { PULUMI_CONFIG: '{"argus:admins": ["a"]}' })).to.throw("PULUMI_CONFIG: argus:admins is an array; give a string, number or boolean.");
    });
});
