import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { imageEnvironment, ownSettingsEnv } from "../components/argus/settings";
import { argusRelease, supportedArgusVersions } from "../releases/argus";
import { Rendering } from "../render";
import { KubernetesObject } from "../render/manifests";
import { findObject, renderWith } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

const apiImageDir = path.join(__dirname, "..", "components", "argus", "image");

/** Django reads this one itself, before any settings module. */
const djangoEnv = ["DJANGO_SETTINGS_MODULE"];

interface ArgusContainer {
    readonly where: string;
    /** Variable name to value; secret ones as `secret:<key>`. */
    readonly env: Record<string, string>;
    /** Variables the container's own arguments use, as Kubernetes expands `$(NAME)`. */
    readonly argumentEnv: string[];
}

/** The Pod spec of a Deployment, Job or CronJob. */
function workloadPod(o: KubernetesObject): any {
    return podSpecOf(o);
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
        const pod = workloadPod(o);
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

        it(`${label}: every container of the Argus image gets every variable the release requires, and only variables someone reads`, async () => {
            const rendering = await renderWith(stack, overrides, secrets);
            const release = argusRelease(version);
            const containers = argusContainers(rendering, version);
            expect(containers.map((c) => c.where)).to.have.members(expectedContainers(rendering, release.layout, Boolean(overrides.adminUsername)));
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
    }

    it("points the frontend URL, cookie domain and secure cookies at plain http when TLS is off", async () => {
        const rendering = await renderWith("review-123", { tls: "false", certIssuer: null });
        const [django] = argusContainers(rendering, "1.37.0").filter((c) => c.where.endsWith("django"));
        expect(django.env).to.include({
            ARGUS_FRONTEND_URL: "http://argus-review-123.paas2.uninett.no",
            ARGUS_SPA_COOKIE_DOMAIN: "argus-review-123.paas2.uninett.no",
            ARGUS_PUBLIC_HOSTS: "api.argus-review-123.paas2.uninett.no",
        });
        const runtime = JSON.parse((findObject(rendering, "ConfigMap", "webui-config").data as any)["runtime-config.json"]);
        expect(runtime).to.include({ backendUrl: "http://api.argus-review-123.paas2.uninett.no", useSecureCookie: false });
    });

    it("gives a review app without a mail server a valid EMAIL_HOST that sends nothing, and no mail egress", async () => {
        const rendering = await renderWith("review-123");
        const settings = findObject(rendering, "ConfigMap", "runtime-settings").data as Record<string, string>;
        expect(settings).to.include({ EMAIL_HOST: "localhost", ARGUS_SEND_NOTIFICATIONS: "0" });
        const api = findObject(rendering, "NetworkPolicy", "-api").spec as any;
        expect(api.egress.flatMap((e: any) => e.ports.map((p: any) => p.port))).to.deep.equal([53, 53, 5432]);
    });

    it("runs the WSGI and ASGI apps of the release", async () => {
        const [old, current] = [await renderWith("production", { argusVersion: "1.24.0" }), await renderWith("production")];
        const commands = (r: Rendering) => Object.fromEntries((podSpecOf(findObject(r, "Deployment", "argus-api")).containers as any[]).map((c) => [c.name, c.args ?? c.command]));
        expect(commands(old).websockets.slice(-1)).to.deep.equal(["argus.ws.asgi:application"]);
        expect(commands(current).websockets.slice(-1)).to.deep.equal(["argus_site.asgi:application"]);
        expect(commands(current).django.slice(-1)).to.deep.equal(["argus.site.wsgi:application"]);
        const job = findObject(current, "Job", "migrate");
        expect(podSpecOf(job).containers[0].args).to.deep.equal(["django-admin", "migrate", "--noinput"]);
    });
});

/** Dockerfile lines with continuations joined. */
function dockerfileLines(): string[] {
    return fs
        .readFileSync(path.join(apiImageDir, "Dockerfile"), "utf8")
        .replace(/\\\n/g, " ")
        .split("\n")
        .filter((line) => !line.trim().startsWith("#"));
}

/** Variables our settings module reads, and those it reads with os.environ[...] (required), from the file itself. */
function settingsModuleReads(): { all: string[]; required: string[] } {
    const source = fs.readFileSync(path.join(apiImageDir, "argus_site", "settings.py"), "utf8");
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
        const env = dockerfileLines().find((line) => line.startsWith("ENV ") && line.includes("DJANGO_SETTINGS_MODULE"))!;
        for (const [name, value] of Object.entries(imageEnvironment(argusRelease("1.37.0")))) {
            const expected = name === "ARGUS_UPSTREAM_SETTINGS" ? "${ARGUS_UPSTREAM_SETTINGS}" : value;
            expect(env, name).to.contain(`${name}=${expected}`);
        }
    });

    it("collectstatic at build time gets a stand-in for every variable any supported release requires, and our module's own", () => {
        const run = dockerfileLines().find((line) => line.includes("collectstatic"))!;
        const imageEnv = Object.keys(imageEnvironment(argusRelease("1.37.0")));
        const needed = new Set([...supportedArgusVersions.flatMap((v) => argusRelease(v).requiredEnv), ...settingsModuleReads().required]);
        for (const name of needed) {
            if (!imageEnv.includes(name)) {
                expect(run, name).to.match(new RegExp(`\\b${name}=\\S+`));
            }
        }
        expect(run, "no real secret goes into an image layer").not.to.match(/DATABASE_URL=/);
    });

    it("installs the contract's requirement with gunicorn, and the extra packages from config", async () => {
        const wheels = dockerfileLines().find((line) => line.includes("pip wheel"))!;
        expect(wheels).to.contain('"${ARGUS_REQUIREMENT}"').and.to.contain("${RUNTIME_PACKAGES}").and.to.contain("${EXTRA_PACKAGES}");
        expect(argusRelease("1.37.0").runtimePackages).to.include("gunicorn==23.0.0");
        expect(argusRelease("2.9.1").runtimePackages).to.include.members(["gunicorn==23.0.0", "psycopg[c]"]);
        const rendering = await renderWith("staging", { extraPythonPackages: "argus-ticket-rt==1.2.0, argus-notification-msteams==0.3.1" });
        const image = rendering.resources.find((r) => r.name === "argus-staging-runtime-image-build")!.inputs as any;
        expect(image.build.args.EXTRA_PACKAGES).to.equal("argus-ticket-rt==1.2.0 argus-notification-msteams==0.3.1");
    });
});

describe("the webui image", () => {
    it("is built with REACT_APP_USE_SECURE_COOKIE=false, so runtime-config.json decides secure cookies", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "components", "webui", "image", "Dockerfile"), "utf8");
        const build = text.indexOf("npm run build");
        const flag = text.indexOf("ENV REACT_APP_USE_SECURE_COOKIE=false");
        expect(flag, "the flag is set").to.be.greaterThan(-1);
        expect(flag, "before the build that bakes it in").to.be.lessThan(build);
        expect(text.lastIndexOf("FROM", build), "in the build stage").to.be.lessThan(flag);
    });
});
