import { expect } from "chai";
import { ConfigError } from "../stacks";
import { Rendering } from "../render";
import { dockerConfigJson } from "../components/pullSecret";
import { findObject, identifyingNames, parseMinimal, renderWith, sharedRenders } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

const stacks = ["production", "staging", "review-123"] as const;

describe("the program under mocks", () => {
    let renderings = new Map<string, Rendering>();
    const renderAll = sharedRenders(stacks);
    beforeEach(async () => (renderings = await renderAll()));
    const rendering = (stack: string) => renderings.get(stack)!;

    describe("resources of each stack", () => {
        for (const stack of stacks) {
            it(`${stack}: the components, both images and the Kubernetes objects of one Argus`, () => {
                const types = rendering(stack).resources.map((r) => r.type).sort();
                const count = (type: string) => types.filter((t) => t === type).length;
                expect(count("argus:index:Instance")).to.equal(1);
                expect(count("argus:index:Api")).to.equal(1);
                expect(count("argus:index:Webui")).to.equal(1);
                expect(count("argus:index:Image")).to.equal(2);
                // Production promotes what staging pushed; the other stacks build.
                expect(count("docker:index/image:Image")).to.equal(stack === "production" ? 0 : 2);
                // A review app runs its own PostgreSQL: a Deployment, a Service and a Secret with a generated password.
                const ownDatabase = stack.startsWith("review") ? 1 : 0;
                expect(count("argus:index:Database")).to.equal(ownDatabase);
                expect(count("random:index/randomPassword:RandomPassword")).to.equal(1 + ownDatabase);
                const kinds = rendering(stack).objects.map((o) => o.kind);
                expect(kinds.filter((k) => k === "Deployment")).to.have.length(2 + ownDatabase);
                expect(kinds.filter((k) => k === "Service")).to.have.length(2 + ownDatabase);
                expect(kinds.filter((k) => k === "Ingress")).to.have.length(2);
                expect(kinds.filter((k) => k === "ConfigMap")).to.have.length(3);
                // The api's secrets and the registry pull Secret.
                expect(kinds.filter((k) => k === "Secret")).to.have.length(2 + ownDatabase);
                expect(kinds.filter((k) => k === "Job")).to.have.length(1);
                expect(kinds.filter((k) => k === "Namespace")).to.have.length(stack.startsWith("review") ? 1 : 0);
            });
        }

        it("makes every child a descendant of the stack, through the components", () => {
            const resources = rendering("production").resources;
            const deployment = resources.find((r) => r.name === "argus-api-workload-deployment")!;
            expect(deployment.parent).to.equal("argus:index:Workload::argus-api-workload");
            expect(resources.find((r) => r.name === "argus-api-workload")!.parent).to.equal("argus:index:Api::argus-api");
            expect(resources.find((r) => r.name === "argus")!.parent).to.equal("pulumi:pulumi:Stack::argus-production");
        });

        it("exports URLs, image digests and Kubernetes names", () => {
            const outputs = rendering("production").outputs;
            expect(outputs).to.include({
                layout: "spa",
                argusVersion: "1.37.0",
                url: "https://argus.uninett.no",
                apiUrl: "https://api.argus.uninett.no",
                namespace: "argus",
                apiDeployment: "argus-api",
                webuiDeployment: "argus-webui",
                apiService: "argus-api",
                webuiService: "argus-webui",
            });
            expect(outputs.argusImageDigest).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/argus@sha256:[0-9a-f]{64}$/);
            expect(outputs.migrationJob).to.match(/^argus-migrate-[0-9a-f]{12}$/);
        });
    });

    describe("the api Pod", () => {
        const pod = () => podSpecOf(findObject(rendering("production"), "Deployment", "argus-api"));

        it("runs django (gunicorn), websockets (daphne), nginx and redis with their commands and ports", () => {
            const containers = pod().containers as any[];
            expect(containers.map((c) => c.name)).to.deep.equal(["django", "websockets", "nginx", "redis"]);
            const [django, websockets, nginx, redis] = containers;
            expect(django.args[0]).to.equal("gunicorn");
            expect(django.args.slice(-1)).to.deep.equal(["argus.site.wsgi:application"]);
            // Only nginx listens on the Pod IP; gunicorn and daphne on loopback, trusting nginx alone.
            expect(django.args).to.include.members(["--bind", "127.0.0.1:8000", "--forwarded-allow-ips", "127.0.0.1", "--worker-tmp-dir", "/tmp"]);
            expect(django.ports).to.equal(undefined);
            // argus_site.asgi from 1.32.0 (upstream's src/argus/spa/ws/asgi.py never matches /ws/open/); the default is 1.37.0.
            expect(websockets.args).to.deep.equal(["daphne", "--bind", "127.0.0.1", "--port", "8001", "--proxy-headers", "argus_site.asgi:application"]);
            expect(websockets.ports).to.equal(undefined);
            expect(nginx.command).to.deep.equal(["nginx", "-c", "/etc/nginx/argus/nginx.conf", "-g", "daemon off;"]);
            expect(nginx.ports).to.deep.equal([{ containerPort: 8080, name: "http" }]);
            expect(redis.command.slice(0, 3)).to.deep.equal(["redis-server", "--bind", "127.0.0.1"]);
            expect(redis.ports).to.deep.equal([{ containerPort: 6379, name: "redis" }]);
        });

        it("starts django and websockets only on a database that takes their credentials and has their schema", () => {
            const [django, websockets, nginx] = pod().containers as any[];
            for (const container of [django, websockets]) {
                expect(container.startupProbe, container.name).to.deep.equal({
                    exec: { command: ["django-admin", "migrate", "--check"] },
                    initialDelaySeconds: 5,
                    periodSeconds: 10,
                    timeoutSeconds: 60,
                    failureThreshold: 18,
                });
            }
            expect(nginx.startupProbe).to.equal(undefined);
        });

        it("has the seed's probe timings on django, probes through loopback, and a preStop pause on every web container", () => {
            const [django, websockets, nginx] = pod().containers as any[];
            expect(django.livenessProbe).to.deep.include({ initialDelaySeconds: 15, periodSeconds: 30, timeoutSeconds: 15 });
            const djangoProbe = ["python", "-m", "argus_site.probe", "http", "8000", "/admin/login/", "api.argus.uninett.no"];
            expect(django.livenessProbe.exec.command).to.deep.equal(djangoProbe);
            expect(django.readinessProbe.exec.command).to.deep.equal(djangoProbe);
            expect(websockets.livenessProbe.exec.command).to.deep.equal(["python", "-m", "argus_site.probe", "tcp", "8001"]);
            for (const container of [django, websockets, nginx]) {
                expect(container.lifecycle.preStop.exec.command, container.name).to.deep.equal(["sleep", "15"]);
            }
        });

        it("gives every container the requests and limits of the stack's profile", () => {
            const [django, websockets, nginx, redis] = pod().containers as any[];
            expect(django.resources).to.deep.equal({ requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } });
            for (const container of [websockets, nginx, redis]) {
                expect(container.resources.limits, container.name).to.have.keys("cpu", "memory");
            }
        });

        it("points the Service at nginx only", () => {
            const service = findObject(rendering("production"), "Service", "argus-api");
            expect((service.spec as any).ports).to.deep.equal([{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }]);
            expect((service.spec as any).selector).to.deep.equal((findObject(rendering("production"), "Deployment", "argus-api").spec as any).selector.matchLabels);
        });

        it("takes settings from the ConfigMap and secrets from the Secret, by reference", () => {
            const r = rendering("production");
            const settings = findObject(r, "ConfigMap", "argus-runtime-settings");
            const secret = findObject(r, "Secret", "argus-runtime-secrets");
            for (const container of (pod().containers as any[]).slice(0, 2)) {
                expect(container.envFrom).to.deep.equal([{ configMapRef: { name: settings.metadata.name } }]);
                expect(container.env).to.deep.equal([
                    { name: "DATABASE_URL", valueFrom: { secretKeyRef: { key: "DATABASE_URL", name: secret.metadata.name } } },
                    { name: "SECRET_KEY", valueFrom: { secretKeyRef: { key: "SECRET_KEY", name: secret.metadata.name } } },
                ]);
            }
            expect(settings.data).to.deep.include({
                ARGUS_FRONTEND_URL: "https://argus.uninett.no",
                ARGUS_SPA_COOKIE_DOMAIN: "argus.uninett.no",
                DEFAULT_FROM_EMAIL: "argus@argus.uninett.no",
                TIME_ZONE: "Europe/Oslo",
                EMAIL_HOST: "smtp.uninett.no",
                ARGUS_SEND_NOTIFICATIONS: "1",
                ARGUS_REDIS_SERVER: "127.0.0.1:6379",
            });
            expect(secret.stringData).to.deep.equal({ DATABASE_URL: "[secret]", SECRET_KEY: "[secret]" });
        });

        it("keeps every secret out of ConfigMaps and plain env values", async () => {
            const sentinel = "postgresql://argus:Sentinel-8c1f4e@db.example.org/argus";
            const r = await renderWith("production", {}, { databaseUrl: sentinel, djangoSecretKey: "Sentinel-django-77" });
            for (const object of r.objects) {
                const text = JSON.stringify(object);
                expect(text, `${object.kind}/${object.metadata.name}`).not.to.contain("Sentinel");
                if (object.kind === "ConfigMap") {
                    expect(text).not.to.contain("[secret]");
                }
            }
            const envValues = r.objects
                .filter((o) => o.kind === "Deployment" || o.kind === "Job")
                .flatMap((o) => podSpecOf(o).containers.flatMap((c: any) => c.env ?? []));
            expect(envValues.filter((e: any) => e.value !== undefined)).to.deep.equal([]);
        });
    });

    describe("images", () => {
        it("runs our images by digest and stock images by pinned versions", () => {
            const images = rendering("production")
                .objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")
                .flatMap((o) => podSpecOf(o).containers.map((c: any) => c.image as string));
            expect(images).to.have.length(6);
            for (const image of images) {
                expect(image).to.match(/@sha256:[0-9a-f]{64}$|:[0-9][\w.-]*$/);
                expect(image).not.to.match(/:latest$/);
            }
            expect(images.filter((i) => i.includes("/argus-deploy/argus@sha256:"))).to.have.length(3);
            expect(images.filter((i) => i.includes("/argus-deploy/webui@sha256:"))).to.have.length(1);
        });

        it("production builds nothing and runs, by digest, the images staging pushed under the same content tags", () => {
            const production = rendering("production");
            expect(production.resources.filter((r) => r.type === "docker:index/image:Image")).to.deep.equal([]);
            const staging = rendering("staging");
            expect(production.outputs.argusImage).to.equal(staging.outputs.argusImage);
            expect(production.outputs.webuiImage).to.equal(staging.outputs.webuiImage);
            expect(production.outputs.argusImageDigest).to.equal(staging.outputs.argusImageDigest);
            expect(production.outputs.webuiImageDigest).to.equal(staging.outputs.webuiImageDigest);
            for (const o of production.objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
                for (const c of podSpecOf(o).containers as any[]) {
                    if (String(c.image).includes("/argus-deploy/")) {
                        expect(c.image, `${o.metadata.name}/${c.name}`).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/(argus|webui)@sha256:[0-9a-f]{64}$/);
                    }
                }
            }
        });

        it("review stacks push to their own repository, never to the one production promotes from", () => {
            expect(rendering("review-123").outputs.argusImage).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/review\/argus:[0-9a-f]{20}$/);
            expect(rendering("staging").outputs.argusImage).to.match(/^registry\.gitlab\.sikt\.no\/argus\/argus-deploy\/argus:[0-9a-f]{20}$/);
        });

        it("builds from the Dockerfile beside each component, with the versions from config, and never builds on preview by default", () => {
            const images = rendering("staging").resources.filter((r) => r.type === "docker:index/image:Image");
            const api = images.find((r) => r.name === "argus-staging-runtime-image-build")!.inputs as any;
            const webui = images.find((r) => r.name === "argus-staging-webui-image-build")!.inputs as any;
            expect(api.imageName).to.equal(rendering("staging").outputs.argusImage);
            // Relative to the project, so another checkout or runner shows no change.
            expect(api.build.context).to.equal("components/argus/image");
            expect(api.build.dockerfile).to.equal("components/argus/image/Dockerfile");
            expect(api.build.args).to.include({
                ARGUS_REQUIREMENT: "argus-server[spa]==1.37.0",
                ARGUS_UPSTREAM_SETTINGS: "argus.spa.settings",
                PYTHON_IMAGE: "docker.io/library/python:3.12.8-slim-bookworm",
                EXTRA_PACKAGES: "",
            });
            expect(webui.build.context).to.equal("components/webui/image");
            expect(webui.build.args).to.include({ FRONTEND_VERSION: "v1.14.1" });
            expect(api.buildOnPreview).to.equal(false);
            expect(api.skipPush).to.equal(false);
        });

        it("rolls the api out when the Argus version changes, and leaves the webui image alone", async () => {
            const changed = await renderWith("production", { argusVersion: "1.36.2" });
            const before = rendering("production").outputs;
            expect(changed.outputs.argusImageDigest).not.to.equal(before.apiImageDigest);
            expect(changed.outputs.webuiImageDigest).to.equal(before.webuiImageDigest);
        });
    });

    describe("hosts", () => {
        const hosts = (r: Rendering) => r.objects.filter((o) => o.kind === "Ingress").map((o) => (o.spec as any).rules[0].host).sort();

        it("production serves argus.uninett.no and api.argus.uninett.no", () => {
            expect(hosts(rendering("production"))).to.deep.equal(["api.argus.uninett.no", "argus.uninett.no"]);
        });

        it("staging and review serve under paas2.uninett.no", () => {
            expect(hosts(rendering("staging"))).to.deep.equal(["api.argus-staging.paas2.uninett.no", "argus-staging.paas2.uninett.no"]);
            expect(hosts(rendering("review-123"))).to.deep.equal(["api.argus-review-123.paas2.uninett.no", "argus-review-123.paas2.uninett.no"]);
        });

        it("gives the webui this stack's backend in runtime-config.json", () => {
            const config = findObject(rendering("staging"), "ConfigMap", "argus-staging-webui-config");
            const runtime = JSON.parse((config.data as any)["runtime-config.json"]);
            expect(runtime).to.deep.include({
                backendUrl: "https://api.argus-staging.paas2.uninett.no",
                backendWSUrl: "wss://api.argus-staging.paas2.uninett.no/ws",
                cookieDomain: "argus-staging.paas2.uninett.no",
                useSecureCookie: true,
            });
        });

        it("can leave either Ingress to another tool", async () => {
            const r = await renderWith("staging", { apiIngress: "false" });
            expect(r.objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).to.deep.equal(["argus-staging-webui"]);
        });
    });

    describe("review stacks side by side", () => {
        it("share no object name, namespace or host", async () => {
            const a = identifyingNames(await renderWith("review-123"));
            const b = identifyingNames(await renderWith("review-feature-x"));
            const shared = [...a].filter((n) => b.has(n));
            expect(shared).to.deep.equal([]);
            expect(a).to.include("namespace/argus-review-123");
            expect(b).to.include("host/argus-review-feature-x.paas2.uninett.no");
        });
    });

    describe("bad config", () => {
        it("stops the program with a ConfigError that lists every problem", async () => {
            let error: unknown;
            try {
                await renderWith("staging", { apiReplicas: "0", webuiHost: "nope" });
            } catch (err) {
                error = err;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).problems.map((p) => p.key)).to.deep.equal(["webuiHost", "apiReplicas"]);
        });
    });
});

describe("redis", () => {
    it("runs in the api Pod on loopback when there is one api replica", async () => {
        const r = await renderWith("staging");
        const api = podSpecOf(findObject(r, "Deployment", "argus-staging-api"));
        expect(api.containers.map((c: any) => c.name)).to.deep.equal(["django", "websockets", "nginx", "redis"]);
        expect(api.containers[3].command).to.include.ordered.members(["redis-server", "--bind", "127.0.0.1"]);
        expect(findObject(r, "ConfigMap", "argus-staging-runtime-settings").data).to.include({ ARGUS_REDIS_SERVER: "127.0.0.1:6379" });
        expect(r.objects.filter((o) => o.metadata.name === "argus-staging-redis")).to.deep.equal([]);
    });

    it("is one shared Deployment and Service that every api Pod uses when there are more", async () => {
        const r = await renderWith("staging", { apiReplicas: "3" });
        const api = podSpecOf(findObject(r, "Deployment", "argus-staging-api"));
        expect(api.containers.map((c: any) => c.name)).to.deep.equal(["django", "websockets", "nginx"]);
        expect(api.volumes.map((v: any) => v.name)).not.to.include("redis-data");
        expect(findObject(r, "ConfigMap", "argus-staging-runtime-settings").data).to.include({ ARGUS_REDIS_SERVER: "argus-staging-redis:6379" });
        const redis = findObject(r, "Deployment", "argus-staging-redis");
        expect((redis.spec as any).replicas).to.equal(1);
        expect(podSpecOf(redis).containers[0].command).to.include.ordered.members(["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]);
        const service = findObject(r, "Service", "argus-staging-redis");
        expect((service.spec as any).ports).to.deep.equal([{ name: "redis", port: 6379, protocol: "TCP", targetPort: "redis" }]);
        expect((service.spec as any).selector).to.deep.equal((redis.spec as any).selector.matchLabels);
        expect(r.objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).not.to.include("argus-staging-redis");
    });

    it("requires a generated password when shared, which only the api containers and redis get", async () => {
        const r = await renderWith("staging", { apiReplicas: "2" });
        const auth = findObject(r, "Secret", "redis-auth");
        expect(auth.stringData).to.deep.equal({ REDIS_PASSWORD: "[secret]" });
        const ref = { valueFrom: { secretKeyRef: { key: "REDIS_PASSWORD", name: auth.metadata.name } } };
        const [redis] = podSpecOf(findObject(r, "Deployment", "argus-staging-redis")).containers;
        expect(redis.command[redis.command.indexOf("--requirepass") + 1]).to.equal("$(REDIS_PASSWORD)");
        expect(redis.env).to.deep.equal([{ name: "REDIS_PASSWORD", ...ref }, { name: "REDISCLI_AUTH", ...ref }]);
        const [django, websockets, nginx] = podSpecOf(findObject(r, "Deployment", "argus-staging-api")).containers;
        for (const container of [django, websockets]) {
            expect(container.env, container.name).to.deep.include({ name: "REDIS_PASSWORD", ...ref });
        }
        expect(nginx.env).to.equal(undefined);
        expect(podSpecOf(findObject(r, "Job", "migrate")).containers[0].env.map((e: any) => e.name)).not.to.include("REDIS_PASSWORD");
        expect(r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword").map((x) => x.name)).to.include("argus-staging-api-redis-password");
    });

    it("has no password on loopback in the Pod", async () => {
        const [, , , redis] = podSpecOf(findObject(await renderWith("staging"), "Deployment", "argus-staging-api")).containers;
        expect(redis.command).not.to.include("--requirepass");
        expect(redis.env).to.equal(undefined);
    });
});

describe("DNS egress", () => {
    it("goes to the kube-dns Pods by default, or to the address ranges given (NodeLocal DNSCache)", async () => {
        const dnsRule = async (overrides: Record<string, string>) => ((findObject(await renderWith("staging", overrides), "NetworkPolicy", "argus-staging-api").spec as any).egress[0]);
        expect((await dnsRule({})).to).to.deep.equal([{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }]);
        const local = await dnsRule({ dnsEgress: "169.254.20.10/32, 10.96.0.10/32" });
        expect(local.to).to.deep.equal([{ ipBlock: { cidr: "169.254.20.10/32" } }, { ipBlock: { cidr: "10.96.0.10/32" } }]);
        expect(local.ports).to.deep.equal([{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]);
        expect(() => parseMinimal("staging", { dnsEgress: "coredns" })).to.throw('argus:dnsEgress: "coredns" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.');
    });
});

describe("network policies", () => {
    const policies = (r: Rendering) => new Map(r.objects.filter((o) => o.kind === "NetworkPolicy").map((o) => [o.metadata.name, o.spec as any]));

    it("deny everything of the instance by default and admit only the ingress controller to the web ports", async () => {
        const r = policies(await renderWith("production"));
        expect([...r.keys()].sort()).to.deep.equal(["argus-api", "argus-default-deny", "argus-migrate", "argus-webui"]);
        expect(r.get("argus-default-deny")).to.deep.equal({
            podSelector: { matchLabels: { "app.kubernetes.io/instance": "argus", "app.kubernetes.io/name": "argus" } },
            policyTypes: ["Ingress", "Egress"],
        });
        for (const name of ["argus-api", "argus-webui"]) {
            expect(r.get(name).ingress, name).to.deep.equal([
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080, protocol: "TCP" }] },
            ]);
        }
        expect(r.get("argus-webui").egress).to.deep.equal([]);
    });

    it("let the api reach only DNS, PostgreSQL and the mail server", async () => {
        const api = policies(await renderWith("production", { databaseCidr: "10.20.0.0/16" })).get("argus-api");
        expect(api.egress.map((e: any) => e.ports)).to.deep.equal([
            [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
            [{ port: 5432, protocol: "TCP" }],
            // emailUseTls is on by default, and with it the derived port is 587, as in Argus itself.
            [{ port: 587, protocol: "TCP" }],
        ]);
        expect(api.egress[1].to).to.deep.equal([{ ipBlock: { cidr: "10.20.0.0/16" } }]);
        expect(api.egress[2].to).to.deep.equal([{ ipBlock: { cidr: "0.0.0.0/0" } }]);
    });

    it("admit only api Pods to a shared redis", async () => {
        const r = policies(await renderWith("staging", { apiReplicas: "2" }));
        const selector = { matchLabels: { "app.kubernetes.io/component": "api", "app.kubernetes.io/instance": "argus-staging", "app.kubernetes.io/name": "argus" } };
        expect(r.get("argus-staging-redis").ingress).to.deep.equal([{ from: [{ podSelector: selector }], ports: [{ port: 6379, protocol: "TCP" }] }]);
        const apiEgress = r.get("argus-staging-api").egress;
        expect(apiEgress).to.have.length(4);
        expect(apiEgress[3]).to.deep.equal({ to: [{ podSelector: { matchLabels: { ...selector.matchLabels, "app.kubernetes.io/component": "redis" } } }], ports: [{ port: 6379, protocol: "TCP" }] });
    });

    it("can be left to the cluster team", async () => {
        expect(policies(await renderWith("staging", { networkPolicies: "false" })).size).to.equal(0);
    });
});

describe("availability", () => {
    it("adds a PodDisruptionBudget only where there is more than one replica", async () => {
        const production = await renderWith("production");
        const budgets = production.objects.filter((o) => o.kind === "PodDisruptionBudget");
        expect(budgets.map((b) => b.metadata.name)).to.deep.equal(["argus-webui"]);
        expect(budgets[0].spec).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: (findObject(production, "Deployment", "argus-webui").spec as any).selector.matchLabels } });
    });

    it("rolls out without losing capacity, and drains before a Pod stops", async () => {
        const deployment = findObject(await renderWith("staging"), "Deployment", "argus-staging-api");
        expect((deployment.spec as any).strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        expect(podSpecOf(deployment).terminationGracePeriodSeconds).to.be.greaterThan(15);
    });
});

describe("rollout on change", () => {
    const deploymentSpecOf = (r: Rendering, name: string) => JSON.stringify(findObject(r, "Deployment", name).spec);

    it("rolls the api when an api setting changes, and only the api", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { timeZone: "UTC" })];
        expect(deploymentSpecOf(after, "argus-staging-api")).not.to.equal(deploymentSpecOf(before, "argus-staging-api"));
        expect(deploymentSpecOf(after, "argus-staging-webui")).to.equal(deploymentSpecOf(before, "argus-staging-webui"));
    });

    it("rolls the api when its Secret changes, and only the api", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { dataportenKey: "argus" }, { dataportenSecret: "s3cret-value" })];
        const secretName = (r: Rendering) => findObject(r, "Secret", "argus-staging-runtime-secrets").metadata.name;
        expect(secretName(after)).not.to.equal(secretName(before));
        expect(deploymentSpecOf(after, "argus-staging-api")).to.contain(secretName(after));
        expect(deploymentSpecOf(after, "argus-staging-webui")).to.equal(deploymentSpecOf(before, "argus-staging-webui"));
    });

    it("rolls the webui when a webui setting changes, and leaves the api Deployment's spec unchanged", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { autoRefreshInterval: "60" })];
        expect(deploymentSpecOf(after, "argus-staging-webui")).not.to.equal(deploymentSpecOf(before, "argus-staging-webui"));
        expect(deploymentSpecOf(after, "argus-staging-api")).to.equal(deploymentSpecOf(before, "argus-staging-api"));
    });
});

describe("pod identity", () => {
    it("runs every Pod under the instance's own ServiceAccount, without an API token", async () => {
        const r = await renderWith("review-9");
        const account = findObject(r, "ServiceAccount", "argus-review-9");
        expect(account.automountServiceAccountToken).to.equal(false);
        const pods = r.objects.filter((o) => o.kind === "Deployment" || o.kind === "Job").map(podSpecOf);
        expect(pods).to.have.length(4);
        for (const pod of pods) {
            expect(pod.serviceAccountName).to.equal("argus-review-9");
            expect(pod.automountServiceAccountToken).to.equal(false);
            // The database's data volume belongs to the postgres group.
            const fsGroup = pod.containers[0].name === "postgres" ? { fsGroup: 999 } : {};
            expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, ...fsGroup, seccompProfile: { type: "RuntimeDefault" } });
        }
    });
});

describe("waiting for readiness", () => {
    const annotations = (r: Rendering, kind: string) =>
        Object.fromEntries(r.objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name.replace(/-[0-9a-f]{12}$/, ""), (o.metadata as any).annotations ?? {}]));

    for (const [awaitDeployments, awaitIngresses] of [["true", "true"], ["false", "true"], ["true", "false"], ["false", "false"]]) {
        it(`awaitDeployments ${awaitDeployments}, awaitIngresses ${awaitIngresses}: each kind as set, and the migration Job always awaited and replaced when unready`, async () => {
            const r = await renderWith("staging", { awaitDeployments, awaitIngresses, awaitTimeoutSeconds: "900" });
            const expected = (wait: string) => (wait === "true" ? { "pulumi.com/timeoutSeconds": "900" } : { "pulumi.com/skipAwait": "true" });
            for (const deployment of Object.values(annotations(r, "Deployment"))) {
                expect(deployment).to.deep.equal(expected(awaitDeployments));
            }
            for (const ingress of Object.values(annotations(r, "Ingress"))) {
                expect(ingress).to.deep.include(expected(awaitIngresses));
                expect(ingress).to.not.have.property(awaitIngresses === "true" ? "pulumi.com/skipAwait" : "pulumi.com/timeoutSeconds");
            }
            expect(annotations(r, "Job")["argus-staging-migrate"]).to.deep.equal({ "pulumi.com/timeoutSeconds": "660", "pulumi.com/replaceUnready": "true" });
        });
    }
});

describe("ordering", () => {
    it("rolls the api Deployment out only after its image's migration Job has run, in every stack", async () => {
        for (const stack of ["production", "staging", "review-123"]) {
            const r = await renderWith(stack);
            const deployment = r.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment" && x.name.endsWith("-api-workload-deployment"))!;
            const job = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job")!;
            expect(deployment.dependsOn, stack).to.deep.equal([`kubernetes:batch/v1:Job::${job.name}`]);
        }
    });

    it("lets nothing else wait: the webui rolls out in parallel with the migration", async () => {
        const r = await renderWith("staging");
        const webui = r.resources.find((x) => x.name === "argus-staging-webui-workload-deployment")!;
        expect(webui.dependsOn).to.equal(undefined);
    });
});

describe("the cluster and the registry", () => {
    it("sends every Kubernetes object through the stack's own provider, and nothing else through it", async () => {
        for (const stack of ["production", "staging", "review-123"]) {
            const r = await renderWith(stack, { kubeContext: `ctx-${stack}` });
            const instance = stack === "production" ? "argus" : stack === "staging" ? "argus-staging" : "argus-review-123";
            const provider = r.resources.find((x) => x.type === "pulumi:providers:kubernetes")!;
            expect(provider.name).to.equal(`${instance}-kubernetes`);
            expect(provider.inputs).to.deep.include({ context: `ctx-${stack}`, deleteUnreachable: stack.startsWith("review") ? "true" : "false" });
            for (const resource of r.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
                expect(resource.provider, `${resource.type} ${resource.name}`).to.equal(`pulumi:providers:kubernetes::${instance}-kubernetes`);
            }
        }
    });

    it("adopts existing objects by forcing server-side apply over their field managers, and only while adopting", async () => {
        const provider = async (overrides: Record<string, string>) => (await renderWith("production", overrides)).resources.find((x) => x.type === "pulumi:providers:kubernetes")!.inputs;
        expect(await provider({ adoptExistingObjects: "true" })).to.deep.include({ upsertExistingObjects: "true", enablePatchForce: "true" });
        expect(await provider({})).to.deep.include({ upsertExistingObjects: "false", enablePatchForce: "false" });
    });

    it("makes a dockerconfigjson Secret from the deploy token, which every Pod pulls with", async () => {
        const r = await renderWith("review-123");
        const pull = r.objects.filter((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson");
        expect(pull).to.have.length(1);
        expect(pull[0].stringData).to.deep.equal({ ".dockerconfigjson": "[secret]" });
        const pods = r.objects.filter((o) => o.kind === "Deployment" || o.kind === "Job");
        expect(pods.length).to.be.greaterThan(0);
        for (const o of pods) {
            expect(podSpecOf(o).imagePullSecrets, o.metadata.name).to.deep.equal([{ name: pull[0].metadata.name }]);
        }
    });

    it("uses an operator's pull Secret instead, and refuses both", async () => {
        const r = await renderWith("staging", { imagePullSecret: "argus-registry", registryPullUsername: null, registryPullToken: null });
        expect(r.objects.filter((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson")).to.deep.equal([]);
        expect(podSpecOf(findObject(r, "Deployment", "-api")).imagePullSecrets).to.deep.equal([{ name: "argus-registry" }]);
        let message = "";
        await renderWith("staging", { imagePullSecret: "argus-registry" }).catch((err: Error) => (message = err.message));
        expect(message).to.contain("argus:imagePullSecret: is set, and so is registryPullToken: the Pods can pull with one Secret only.");
    });
});

describe("dockerConfigJson", () => {
    it("holds one registry with user, token and their base64 auth", () => {
        expect(JSON.parse(dockerConfigJson("registry.example.org", "deployer", "t0ken"))).to.deep.equal({
            auths: { "registry.example.org": { username: "deployer", password: "t0ken", auth: Buffer.from("deployer:t0ken").toString("base64") } },
        });
    });
});
