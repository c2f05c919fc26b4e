import { expect } from "chai";
import { apiNginxConfig } from "../components/api/nginx";
import { redisContainer } from "../components/api/redis";
import { apiProxyOptions, apiVolumes } from "../components/api/spec";
import { argusImageBuildArgs, gunicornCommand } from "../components/argus/spec";
import { containerNginxPaths, healthLocation, nginxConfig } from "../components/nginx";
import { webuiNginxConfig } from "../components/webui/nginx";
import { webuiServerOptions } from "../components/webui/spec";
import { argusRelease } from "../releases/argus";
import { resourceProfiles } from "../stacks/resources";
import { findObject, renderWith } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

describe("every nginx.conf we ship (the parts no request shows)", () => {
    const config = nginxConfig(containerNginxPaths, []);

    it("writes only under the writable /tmp: the pid file and every temporary path", () => {
        for (const line of ["pid /tmp/nginx.pid;", "client_body_temp_path /tmp/client_body;", "proxy_temp_path /tmp/proxy;", "fastcgi_temp_path /tmp/fastcgi;", "uwsgi_temp_path /tmp/uwsgi;", "scgi_temp_path /tmp/scgi;"]) {
            expect(config).to.contain(line);
        }
    });

    it("logs to the container's stdout and stderr, and hides its version", () => {
        for (const line of ["error_log /dev/stderr warn;", "access_log /dev/stdout;", "server_tokens off;"]) {
            expect(config).to.contain(line);
        }
    });

    it("runs a worker per CPU with the stock defaults for types, sendfile, connections and keep-alive", () => {
        for (const line of ["worker_processes auto;", "include /etc/nginx/mime.types;", "default_type application/octet-stream;", "sendfile on;", "worker_connections 1024;", "keepalive_timeout 65s;"]) {
            expect(config).to.contain(line);
        }
    });

    it("answers the probes' health path itself, in plain text, without logging every probe", () => {
        expect(healthLocation()).to.equal('location = /healthz {\n    access_log off;\n    default_type text/plain;\n    return 200 "ok\\n";\n}');
    });

    it("compresses the webui's text assets only from 1 KiB, where it pays", () => {
        expect(webuiNginxConfig(webuiServerOptions, containerNginxPaths)).to.contain("gzip on;\n        gzip_min_length 1024;\n        gzip_types text/css application/javascript application/json image/svg+xml;\n        gzip_vary on;");
    });

    it("nests blocks with four spaces a level, and ends with a newline", () => {
        const text = nginxConfig(containerNginxPaths, ["server {\n    listen 1;\n}"]);
        expect(text).to.contain("\nhttp {\n    include");
        expect(text).to.contain("\n    server {\n        listen 1;\n    }\n}\n");
        expect(text.endsWith("}\n")).to.equal(true);
    });
});

describe("the api nginx.conf (the parts no request shows)", () => {
    const config = apiNginxConfig(apiProxyOptions, containerNginxPaths);

    it("keeps websockets open an hour each way over HTTP/1.1, and takes request bodies up to 10m", () => {
        expect(config.match(/proxy_read_timeout 3600s;/g)).to.have.length(2);
        expect(config.match(/proxy_send_timeout 3600s;/g)).to.have.length(2);
        expect(config.match(/proxy_http_version 1\.1;/g)).to.have.length(2);
        expect(config).to.contain("client_max_body_size 10m;");
    });

    it("leaves redirects from Django alone, and closes the upstream connection of a request without Upgrade", () => {
        expect(config.match(/proxy_redirect off;/g)).to.have.length(3);
        expect(config).to.contain("map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }");
    });
});

describe("containers and volumes of the 1.x api Pod", () => {
    it("gives nginx 256Mi of scratch space, redis its data folder only when it runs in the Pod, and mounts nginx.conf", () => {
        expect(apiVolumes("cm", "in-pod")).to.deep.equal([
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
            { name: "nginx-tmp", emptyDir: { sizeLimit: "256Mi" } },
            { name: "redis-data", emptyDir: { sizeLimit: "128Mi" } },
            { name: "nginx-config", configMap: { name: "cm" } },
        ]);
        expect(apiVolumes("cm", "shared").map((v) => v.name)).to.deep.equal(["tmp", "nginx-tmp", "nginx-config"]);
    });

    it("runs redis without persistence, probed with redis-cli on loopback, writing only to /data", () => {
        const redis = redisContainer("redis:7", resourceProfiles.small.redis);
        expect(redis.command).to.deep.equal(["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no"]);
        expect(redis.readinessProbe).to.deep.include({ exec: { command: ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"] } });
        expect(redis.livenessProbe).to.deep.equal(redis.readinessProbe);
        expect(redis.volumeMounts).to.deep.equal([{ name: "redis-data", mountPath: "/data" }]);
        expect(redis).not.to.have.property("env");
    });
});

describe("the Argus image's server command and build", () => {
    it("runs three gunicorn workers with their heartbeats in /tmp, logging requests to stdout", () => {
        expect(gunicornCommand(argusRelease("2.9.1"), { address: "0.0.0.0", trustedProxies: "*" })).to.deep.equal([
            "gunicorn",
            "--bind", "0.0.0.0:8000",
            "--workers", "3",
            "--worker-tmp-dir", "/tmp",
            "--forwarded-allow-ips", "*",
            "--access-logfile", "-",
            "argus.site.wsgi:application",
        ]);
    });

    it("installs the release's runtime packages, space-separated, and refuses a release without a pinned Python", () => {
        const release = argusRelease("1.37.0");
        expect(argusImageBuildArgs(release, []).RUNTIME_PACKAGES).to.equal(release.runtimePackages.join(" "));
        expect(release.runtimePackages.length).to.be.greaterThan(0);
        expect(() => argusImageBuildArgs({ ...release, python: "2.7" }, [])).to.throw("No Python 2.7 base image is pinned for Argus 1.37.0");
    });
});

describe("what the rendered stacks make of the component options", () => {
    it("puts every resource under its component: only the stack's read of itself, the cluster's provider and the Instance hang off the stack", async () => {
        for (const overrides of [{}, { argusVersion: "2.9.1", versionCheck: "true", adminUsername: "admin" }] as Record<string, string>[]) {
            const r = await renderWith("staging", { ...overrides, apiReplicas: "2", createNamespace: "true" }, overrides.argusVersion ? { adminPassword: "pw" } : {});
            const stack = r.resources.find((x) => x.type === "pulumi:pulumi:Stack")!;
            const underStack = r.resources.filter((x) => x.parent === `${stack.type}::${stack.name}`).map((x) => x.type);
            expect(underStack, JSON.stringify(overrides)).to.deep.equal(["pulumi:pulumi:StackReference", "pulumi:providers:kubernetes", "argus:index:Instance"]);
            const components = new Set(r.resources.filter((x) => x.type.startsWith("argus:index:")).map((x) => `${x.type}::${x.name}`));
            const instance = r.resources.find((x) => x.type === "argus:index:Instance")!;
            const orphans = r.resources.filter((x) => x !== stack && x !== instance && x.type !== "pulumi:providers:kubernetes" && x.type !== "pulumi:pulumi:StackReference" && !components.has(x.parent ?? "")).map((x) => `${x.type}::${x.name} under ${x.parent}`);
            expect(orphans, JSON.stringify(overrides)).to.deep.equal([]);
        }
    });

    it("makes Django's key 50 characters from a set Django's settings take, and the shared redis password 32 letters and digits", async () => {
        const r = await renderWith("staging", { apiReplicas: "2" });
        const passwords = Object.fromEntries(r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword").map((x) => [x.name, x.inputs]));
        expect(passwords["argus-staging-runtime-django-secret-key"]).to.deep.include({ length: 50, special: true, overrideSpecial: "!#%&*()-_=+[]{}<>:?" });
        expect(passwords["argus-staging-api-redis-password"]).to.deep.include({ length: 32, special: false });
        const auth = findObject(r, "Secret", "redis-auth");
        expect(auth).to.deep.include({ type: "Opaque" });
        expect(findObject(r, "Secret", "runtime-secrets")).to.deep.include({ type: "Opaque" });
    });

    it("enforces the restricted Pod Security Standard on a namespace it makes", async () => {
        const r = await renderWith("review-123");
        expect(findObject(r, "Namespace", "argus-review-123").metadata.labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
    });

    it("lets the version check reach any address on 443 only, besides DNS and the database", async () => {
        const r = await renderWith("staging", { argusVersion: "2.9.1", versionCheck: "true" });
        const policy = findObject(r, "NetworkPolicy", "version-check").spec as any;
        expect(policy.egress[policy.egress.length - 1]).to.deep.equal({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
        expect(policy.policyTypes).to.deep.equal(["Ingress", "Egress"]);
    });

    it("keeps the api Ingress's websockets open an hour, like nginx behind it", async () => {
        const r = await renderWith("staging");
        expect(findObject(r, "Ingress", "argus-staging-api").metadata.annotations).to.include({
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
        });
        expect(podSpecOf(findObject(r, "Deployment", "argus-staging-webui")).containers[0].volumeMounts[0]).to.deep.include({ readOnly: true });
    });
});

describe("what differs between layouts and between building and promoting stacks", () => {
    const v2 = { argusVersion: "2.9.1" };

    it("reads the stack's own last outputs once, in every stack: the release it runs now, and where it builds, the layer cache", async () => {
        const references = async (stack: string) => (await renderWith(stack)).resources.filter((x) => x.type === "pulumi:pulumi:StackReference").map((x) => x.inputs.name);
        expect(await references("staging")).to.deep.equal(["organization/argus/staging"]);
        expect(await references("production")).to.deep.equal(["organization/argus/production"]);
    });

    it("sizes the migration Job like the container that runs Argus: django in 1.x, web in 2.x", async () => {
        const migration = async (overrides: Record<string, string>) => podSpecOf(findObject(await renderWith("staging", overrides), "Job", "migrate")).containers[0].resources;
        const medium = resourceProfiles.medium;
        expect(await migration({})).to.deep.equal({ requests: { cpu: `${medium.django.cpuMillis.request}m`, memory: `${medium.django.memoryMiB.request}Mi` }, limits: { cpu: `${medium.django.cpuMillis.limit}m`, memory: `${medium.django.memoryMiB.limit}Mi` } });
        expect(await migration({ ...v2, resourceOverrides: "web.cpu=300m/3" })).to.deep.include({ limits: { cpu: "3000m", memory: `${medium.web.memoryMiB.limit}Mi` } });
    });

    it("tells only 1.x Argus where redis is", async () => {
        const settings = async (overrides: Record<string, string>) => findObject(await renderWith("staging", overrides), "ConfigMap", "runtime-settings").data as Record<string, string>;
        expect((await settings({})).ARGUS_REDIS_SERVER).to.equal("127.0.0.1:6379");
        expect(await settings(v2)).not.to.have.property("ARGUS_REDIS_SERVER");
    });

    it("labels a CronJob's Jobs and Pods like the CronJob, and checks versions at 04:41", async () => {
        const r = await renderWith("staging", { ...v2, versionCheck: "true" });
        const check = findObject(r, "CronJob", "version-check");
        const spec = check.spec as any;
        expect(spec.schedule).to.equal("41 4 * * *");
        expect(spec.jobTemplate.metadata.labels).to.deep.equal(spec.jobTemplate.spec.template.metadata.labels);
        expect(spec.jobTemplate.metadata.labels).to.include({ "app.kubernetes.io/component": "version-check" });
    });

    it("serves 2.x from gunicorn on the Pod IP, trusting the forwarded headers the ingress controller sets", async () => {
        const [web] = podSpecOf(findObject(await renderWith("staging", v2), "Deployment", "-web")).containers;
        expect(web.args.slice(0, 3)).to.deep.equal(["gunicorn", "--bind", "0.0.0.0:8000"]);
        expect(web.args[web.args.indexOf("--forwarded-allow-ips") + 1]).to.equal("*");
        expect(web.ports).to.deep.equal([{ containerPort: 8000, name: "http" }]);
    });

    it("creates the first admin without an email when none is given", async () => {
        const r = await renderWith("staging", { adminUsername: "admin" }, { adminPassword: "pw" });
        const [setup] = podSpecOf(findObject(r, "Job", "migrate")).containers;
        expect(setup.args).to.deep.equal(["django-admin", "initial_setup", "--username=$(ADMIN_USERNAME)", "--password=$(ADMIN_PASSWORD)"]);
        expect(setup.env.map((e: any) => e.name)).not.to.include("ADMIN_EMAIL");
    });

    it("puts only the secrets the stack has into the runtime Secret", async () => {
        const keys = async (overrides: Record<string, string>, secrets: Record<string, string>) => Object.keys((findObject(await renderWith("staging", overrides, secrets), "Secret", "runtime-secrets") as any).stringData).sort();
        expect(await keys({}, {})).to.deep.equal(["DATABASE_URL", "SECRET_KEY"]);
        expect(await keys({ dataportenKey: "feide" }, { dataportenSecret: "s" })).to.deep.equal(["ARGUS_DATAPORTEN_SECRET", "DATABASE_URL", "SECRET_KEY"]);
    });

    it("makes no webui Ingress when the stack switches it off", async () => {
        const r = await renderWith("staging", { webuiIngress: "false" });
        expect(r.objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).to.deep.equal(["argus-staging-api"]);
    });
});
