import { expect } from "chai";
import { apiSettingsData, imageEnvironment, isRead, secretEnvNames } from "../../components/argus/settings";
import { argusRelease } from "../../releases/argus";
import { Rendering } from "../../render";
import { findObject, parseMinimal, renderedBeforeEach } from "../helpers";

/** The settings and secrets the Argus containers get (components/argus/settings.ts), and the Secret that holds them. */

const release1 = argusRelease("1.37.0");
const release2 = argusRelease("2.9.1");
const everySetting = {
    admins: "Ops <ops@example.org>, Kari <kari@example.org>",
    mediaPlugins: "argus.media.Email, argus.media.Sms",
    socialAuthImmutableUserFields: "first_name",
    fallbackFilter: '{ "acked": false }',
    dataportenKey: "feide-client",
    ticketPlugin: "argus_ticket_rt.RequestTrackerPlugin",
    ticketEndpoint: "https://rt.example.org/",
    ticketInformation: '{"queue": "argus"}',
    debug: "true",
    sendNotifications: "true",
    emailHost: "smtp.example.org",
    emailUseTls: "false",
};
const everySecret = { dataportenSecret: "Sentinel-dataporten", ticketAuthenticationSecret: '{"token": "Sentinel-ticket"}' };

describe("the settings ConfigMap's data (apiSettingsData)", () => {
    it("holds what a minimal 1.x stack sets, sorted by name, with flags as 1 and 0 and no empty optional setting", () => {
        const data = apiSettingsData(release1, parseMinimal("staging").api, "redis://:pw@localhost:6379");
        expect(Object.keys(data)).to.deep.equal([...Object.keys(data)].sort());
        expect(data).to.deep.equal({
            ARGUS_FRONTEND_URL: "https://argus-staging.paas2.uninett.no",
            ARGUS_PUBLIC_HOSTS: "api.argus-staging.paas2.uninett.no",
            ARGUS_REDIS_SERVER: "redis://:pw@localhost:6379",
            ARGUS_SEND_NOTIFICATIONS: "0",
            ARGUS_SPA_COOKIE_DOMAIN: "argus-staging.paas2.uninett.no",
            AUTH_TOKEN_EXPIRES_AFTER_DAYS: "180",
            CONN_MAX_AGE: "60",
            DEBUG: "0",
            DEFAULT_FROM_EMAIL: "argus@argus-staging.paas2.uninett.no",
            EMAIL_HOST: "localhost",
            EMAIL_PORT: "587",
            EMAIL_USE_TLS: "1",
            SERVER_EMAIL: "argus@argus-staging.paas2.uninett.no",
            TIME_ZONE: "Europe/Oslo",
        });
    });

    it("encodes every optional setting as the settings module parses it: JSON lists, name/address pairs, compact JSON", () => {
        const data = apiSettingsData(release1, parseMinimal("staging", everySetting, everySecret).api);
        expect(data).to.include({
            ADMINS: '[["Ops","ops@example.org"],["Kari","kari@example.org"]]',
            MEDIA_PLUGINS: '["argus.media.Email","argus.media.Sms"]',
            SOCIAL_AUTH_IMMUTABLE_USER_FIELDS: '["first_name"]',
            ARGUS_FALLBACK_FILTER: '{"acked":false}',
            ARGUS_DATAPORTEN_KEY: "feide-client",
            TICKET_PLUGIN: "argus_ticket_rt.RequestTrackerPlugin",
            TICKET_ENDPOINT: "https://rt.example.org/",
            TICKET_INFORMATION: '{"queue":"argus"}',
            DEBUG: "1",
            ARGUS_SEND_NOTIFICATIONS: "1",
            EMAIL_HOST: "smtp.example.org",
            EMAIL_PORT: "25",
            EMAIL_USE_TLS: "0",
        });
        expect(data).not.to.have.property("ARGUS_REDIS_SERVER");
        expect(JSON.stringify(data)).not.to.contain("Sentinel");
    });

    it("keeps only what the release or our settings module reads: 2.x has no SPA cookie domain", () => {
        const data = apiSettingsData(release2, parseMinimal("staging", { argusVersion: "2.9.1" }).api);
        expect(data).not.to.have.property("ARGUS_SPA_COOKIE_DOMAIN");
        expect(data).to.include({ ARGUS_PUBLIC_HOSTS: "argus-staging.paas2.uninett.no", ARGUS_FRONTEND_URL: "https://argus-staging.paas2.uninett.no" });
        expect(Object.keys(data).every((name) => isRead(release2, name))).to.equal(true);
        expect([isRead(release1, "ARGUS_SPA_COOKIE_DOMAIN"), isRead(release2, "ARGUS_SPA_COOKIE_DOMAIN"), isRead(release2, "ADMINS"), isRead(release1, "NOT_A_SETTING")]).to.deep.equal([true, false, true, false]);
    });
});

describe("the Secret keys the Argus containers read (secretEnvNames)", () => {
    it("are the database URL and Django's key, plus the Dataporten and ticket secrets with their feature", () => {
        expect(secretEnvNames(parseMinimal("staging").api)).to.deep.equal(["DATABASE_URL", "SECRET_KEY"]);
        expect(secretEnvNames(parseMinimal("staging", everySetting, everySecret).api)).to.deep.equal(["DATABASE_URL", "SECRET_KEY", "ARGUS_DATAPORTEN_SECRET", "TICKET_AUTHENTICATION_SECRET"]);
        const { dataportenKey, ...withoutDataporten } = everySetting;
        expect(secretEnvNames(parseMinimal("staging", withoutDataporten, { ticketAuthenticationSecret: "{}" }).api)).to.deep.equal(["DATABASE_URL", "SECRET_KEY", "TICKET_AUTHENTICATION_SECRET"]);
        expect(dataportenKey).to.equal("feide-client");
    });
});

describe("the Argus image's own environment (imageEnvironment)", () => {
    it("points Django at our settings module, which wraps the release's, and names the static root", () => {
        expect(imageEnvironment(release1)).to.deep.equal({ ARGUS_UPSTREAM_SETTINGS: "argus.spa.settings", DJANGO_SETTINGS_MODULE: "argus_site.settings", STATIC_ROOT: "/app/static" });
        expect(imageEnvironment(release2).ARGUS_UPSTREAM_SETTINGS).to.equal("argus.site.settings.prod");
    });
});

describe("the runtime Secret of a rendered stack", () => {
    const plain = renderedBeforeEach("staging");
    const withDataporten = renderedBeforeEach("staging", { dataportenKey: "feide" }, { dataportenSecret: "s" });
    const sharedRedis = renderedBeforeEach("staging", { apiReplicas: "2" });
    const keys = (r: Rendering) => Object.keys(findObject(r, "Secret", "runtime-secrets").stringData as object).sort();

    it("holds only the secrets the stack has", () => {
        expect(keys(plain())).to.deep.equal(["DATABASE_URL", "SECRET_KEY"]);
        expect(keys(withDataporten())).to.deep.equal(["ARGUS_DATAPORTEN_SECRET", "DATABASE_URL", "SECRET_KEY"]);
    });

    it("makes Django's key 50 characters from a set Django's settings take, and the shared redis password 32 letters and digits, both in Opaque Secrets", () => {
        const r = sharedRedis();
        const passwords = Object.fromEntries(r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword").map((x) => [x.name, x.inputs]));
        expect(passwords["argus-staging-runtime-django-secret-key"]).to.deep.include({ length: 50, special: true, overrideSpecial: "!#%&*()-_=+[]{}<>:?" });
        expect(passwords["argus-staging-api-redis-password"]).to.deep.include({ length: 32, special: false });
        expect(findObject(r, "Secret", "redis-auth")).to.deep.include({ type: "Opaque" });
        expect(findObject(r, "Secret", "runtime-secrets")).to.deep.include({ type: "Opaque" });
    });
});
