import { expect } from "chai";
import { apiVolumes } from "../../components/api/spec";
import { Rendering } from "../../render";
import { resourceProfiles } from "../../stacks/resourceProfiles";
import { findObject, quantities, renderedBeforeEach, sharedRender } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The 1.x api (components/api): one Pod of django, websockets, nginx and redis behind one Service. */

describe("the api Pod", () => {
    const production = renderedBeforeEach("production");
    const pod = () => podSpecOf(findObject(production(), "Deployment", "argus-api"));

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

    it("gives every container the requests and limits of the stack's profile (production: large)", () => {
        const large = resourceProfiles.large;
        const containers = pod().containers as any[];
        expect(containers.map((c) => [c.name, c.resources])).to.deep.equal(
            (["django", "websockets", "nginx", "redis"] as const).map((name) => [name, quantities(large[name])]),
        );
        expect(quantities(large.django)).to.deep.equal({ requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "1024Mi" } });
    });

    it("is behind a Service that points at nginx only", () => {
        const service = findObject(production(), "Service", "argus-api");
        expect((service.spec as any).ports).to.deep.equal([{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }]);
        expect((service.spec as any).selector).to.deep.equal((findObject(production(), "Deployment", "argus-api").spec as any).selector.matchLabels);
    });

    it("takes settings from the ConfigMap and secrets from the Secret, by reference", () => {
        const r = production();
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
});

describe("the api Pod's volumes (apiVolumes)", () => {
    it("give nginx 256Mi of scratch space, redis its data folder only when it runs in the Pod, and mount nginx.conf", () => {
        expect(apiVolumes("cm", "in-pod")).to.deep.equal([
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
            { name: "nginx-tmp", emptyDir: { sizeLimit: "256Mi" } },
            { name: "redis-data", emptyDir: { sizeLimit: "128Mi" } },
            { name: "nginx-config", configMap: { name: "cm" } },
        ]);
        expect(apiVolumes("cm", "shared").map((v) => v.name)).to.deep.equal(["tmp", "nginx-tmp", "nginx-config"]);
    });
});

describe("the WSGI and ASGI apps the api runs", () => {
    let renders: Rendering[] = [];
    beforeEach(async () => (renders = [await sharedRender("production", { argusVersion: "1.24.0" }), await sharedRender("production")]));
    const commands = (r: Rendering) => Object.fromEntries((podSpecOf(findObject(r, "Deployment", "argus-api")).containers as any[]).map((c) => [c.name, c.args ?? c.command]));

    it("are the release's own WSGI app and our ASGI app (argus_site/asgi.py: the token cookie's user) for every 1.x", () => {
        const [old, current] = renders;
        expect(commands(old).websockets.slice(-1)).to.deep.equal(["argus_site.asgi:application"]);
        expect(commands(current).websockets.slice(-1)).to.deep.equal(["argus_site.asgi:application"]);
        expect(commands(current).django.slice(-1)).to.deep.equal(["argus.site.wsgi:application"]);
        expect(podSpecOf(findObject(current, "Job", "migrate")).containers[0].args).to.deep.equal(["django-admin", "migrate", "--noinput"]);
    });
});
