import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { imageEnvironment, ownSettingsEnv } from "../../components/argus/settings";
import { argusRelease, supportedArgusVersions } from "../../releases/argus";
import { Rendering } from "../../render";
import { findObject, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";
import { dockerfileOf, imageDir, instruction } from "../support/dockerfile";

/** What the Argus containers read from their environment, against what the release and our settings module require. */

/** Django reads this one itself, before any settings module. */
const djangoEnv = ["DJANGO_SETTINGS_MODULE"];

interface ArgusContainer {
    readonly where: string;
    /** Variable name to value; secret ones as `secret:<key>`. */
    readonly env: Record<string, string>;
    /** Variables the container's own arguments use, as Kubernetes expands `$(NAME)`. */
    readonly argumentEnv: string[];
}

/**
 * The environment of every container that runs the Argus image, init containers included, as the kubelet
 * would assemble it from the rendered objects: the image's own ENV, then the ConfigMaps of envFrom, then
 * env (values, and Secret references).
 */
function argusContainers(rendering: Rendering, version: string): ArgusContainer[] {
    const configMaps = new Map(rendering.objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o.data as Record<string, string>]));
    const secrets = new Map(rendering.objects.filter((o) => o.kind === "Secret").map((o) => [o.metadata.name, o.stringData as Record<string, string>]));
    const workloads = rendering.objects.filter((o) => ["Deployment", "Job", "CronJob"].includes(o.kind));
    return workloads.flatMap((o) => {
        const pod = podSpecOf(o);
        return ([...(pod.initContainers ?? []), ...pod.containers] as any[])
            .filter((c) => String(c.image).includes("/argus@sha256:"))
            .map((c) => {
                const env: Record<string, string> = { ...imageEnvironment(argusRelease(version)) };
                for (const source of c.envFrom ?? []) {
                    const data = configMaps.get(source.configMapRef.name);
                    expect(data, `${o.metadata.name}/${c.name}: ConfigMap ${source.configMapRef.name}`).to.not.equal(undefined);
                    Object.assign(env, data);
                }
                for (const variable of c.env ?? []) {
                    const ref = variable.valueFrom?.secretKeyRef;
                    if (ref) {
                        expect(secrets.get(ref.name), `${o.metadata.name}/${c.name}: Secret ${ref.name}`).to.have.property(ref.key);
                        env[variable.name] = `secret:${ref.key}`;
                    } else {
                        env[variable.name] = variable.value;
                    }
                }
                const argumentEnv = ((c.args ?? []) as string[]).flatMap((a) => [...a.matchAll(/\$\((\w+)\)/g)].map((m) => m[1]));
                return { where: `${o.kind} ${o.metadata.name.replace(/-[0-9a-f]{12}$/, "")}, container ${c.name}`, env, argumentEnv };
            });
    });
}

describe("what every Argus container gets from the rendered stack", () => {
    const stacks = ["production", "staging", "review-123"];
    const variants = [
        ...stacks.flatMap((stack) => [
            { stack, overrides: {} as Record<string, string | null> },
            { stack, overrides: { tls: "false", certIssuer: null } },
        ]),
        { stack: "review-123", overrides: { argusVersion: "1.24.0" } },
        { stack: "production", overrides: { argusVersion: "1.32.0", tls: "false", certIssuer: null } },
        // The 2.x layout; production's file sets webuiReplicas, which 2.x refuses.
        ...stacks.flatMap((stack) => [
            { stack, overrides: { argusVersion: "2.9.1", webuiReplicas: null } },
            { stack, overrides: { argusVersion: "2.8.0", tls: "false", certIssuer: null, webuiReplicas: null } },
        ]),
        { stack: "staging", overrides: { argusVersion: "2.9.1", versionCheck: "true", adminUsername: "admin" }, secrets: { adminPassword: "pw" } },
        { stack: "staging", overrides: { adminUsername: "admin", dataportenKey: "feide" }, secrets: { adminPassword: "pw", dataportenSecret: "s" } },
    ];

    const expectedContainers = (rendering: Rendering, layout: "spa" | "server", admin: boolean) => {
        const instance = String(rendering.outputs.namespace);
        const migration = admin ? [`Job ${instance}-migrate, container migrate`, `Job ${instance}-migrate, container initial-setup`] : [`Job ${instance}-migrate, container migrate`];
        if (layout === "spa") {
            return [...migration, `Deployment ${instance}-api, container django`, `Deployment ${instance}-api, container websockets`];
        }
        const cronJobs = (rendering.outputs.cronJobs as string[]).map((name) => `CronJob ${name}, container run`);
        return [...migration, `Deployment ${instance}-web, container web`, `Deployment ${instance}-worker, container wait-for-migrations`, `Deployment ${instance}-worker, container worker`, ...cronJobs];
    };

    for (const { stack, overrides, secrets } of variants as { stack: string; overrides: Record<string, string | null>; secrets?: Record<string, string> }[]) {
        const version = overrides.argusVersion ?? "1.37.0";
        const label = `${stack}${overrides.tls ? " with TLS off" : ""}, Argus ${version}${secrets ? ` with ${Object.keys(secrets).join(" and ")}` : ""}`;

        describe(label, () => {
            const rendering = renderedBeforeEach(stack, overrides, secrets);

            it("every container of the Argus image gets every variable the release requires, and only variables someone reads", () => {
                const release = argusRelease(version);
                const containers = argusContainers(rendering(), version);
                expect(containers.map((c) => c.where)).to.have.members(expectedContainers(rendering(), release.layout, Boolean(overrides.adminUsername)));
                for (const { where, env, argumentEnv } of containers) {
                    for (const name of release.requiredEnv) {
                        expect(env[name], `${where} lacks ${name}`).to.be.a("string").and.not.equal("");
                    }
                    const readers = new Set([...release.readEnv, ...ownSettingsEnv, ...djangoEnv, ...argumentEnv]);
                    expect(Object.keys(env).filter((name) => !readers.has(name)), `${where} sets variables nobody reads`).to.deep.equal([]);
                    expect(env.DATABASE_URL).to.equal("secret:DATABASE_URL");
                    expect(env.SECRET_KEY).to.equal("secret:SECRET_KEY");
                    // The admin's password only where initial_setup runs.
                    expect(env.ADMIN_PASSWORD === undefined, where).to.equal(!where.endsWith("initial-setup"));
                }
            });
        });
    }

    describe("a review stack with TLS off", () => {
        const withoutTls = renderedBeforeEach("review-123", { tls: "false", certIssuer: null });

        it("points the frontend URL, cookie domain and public hosts at plain http", () => {
            const [django] = argusContainers(withoutTls(), "1.37.0").filter((c) => c.where.endsWith("django"));
            expect(django.env).to.include({
                ARGUS_FRONTEND_URL: "http://argus-review-123.paas2.uninett.no",
                ARGUS_SPA_COOKIE_DOMAIN: "argus-review-123.paas2.uninett.no",
                ARGUS_PUBLIC_HOSTS: "api.argus-review-123.paas2.uninett.no",
            });
        });
    });

    describe("a review stack without a mail server", () => {
        const review = renderedBeforeEach("review-123");

        it("gets a valid EMAIL_HOST that sends nothing", () => {
            const settings = findObject(review(), "ConfigMap", "runtime-settings").data as Record<string, string>;
            expect(settings).to.include({ EMAIL_HOST: "localhost", ARGUS_SEND_NOTIFICATIONS: "0" });
        });
    });
});

/** Variables our settings module reads, and those it reads with os.environ[...] (required), from the file itself. */
function settingsModuleReads(): { all: string[]; required: string[] } {
    const source = fs.readFileSync(path.join(imageDir("argus"), "argus_site", "settings.py"), "utf8");
    const names = (pattern: RegExp) => [...new Set([...source.matchAll(pattern)].map((m) => m[1]))].sort();
    return {
        all: names(/(?:_env|_json_env|os\.environ\.get|os\.environ\[)\(?"([A-Z_]+)"/g),
        required: names(/os\.environ\["([A-Z_]+)"\]/g),
    };
}

describe("the api image and our settings module", () => {
    it("our settings module reads exactly the variables components/argus/settings.ts declares", () => {
        expect(settingsModuleReads().all).to.deep.equal([...ownSettingsEnv].sort());
    });

    it("the image sets what imageEnvironment says: settings modules and STATIC_ROOT", () => {
        const env = instruction(dockerfileOf("argus"), "ENV", "DJANGO_SETTINGS_MODULE").args;
        for (const [name, value] of Object.entries(imageEnvironment(argusRelease("1.37.0")))) {
            const expected = name === "ARGUS_UPSTREAM_SETTINGS" ? "${ARGUS_UPSTREAM_SETTINGS}" : value;
            expect(env, name).to.contain(`${name}=${expected}`);
        }
    });

    it("collectstatic at build time gets a stand-in for every variable any supported release requires, and our module's own", () => {
        const run = instruction(dockerfileOf("argus"), "RUN", "collectstatic").args;
        const imageEnv = Object.keys(imageEnvironment(argusRelease("1.37.0")));
        const needed = new Set([...supportedArgusVersions.flatMap((v) => argusRelease(v).requiredEnv), ...settingsModuleReads().required]);
        for (const name of needed) {
            if (!imageEnv.includes(name)) {
                expect(run, name).to.match(new RegExp(`\\b${name}=\\S+`));
            }
        }
        expect(run, "no real secret goes into an image layer").not.to.match(/DATABASE_URL=/);
    });
});
