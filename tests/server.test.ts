import { expect } from "chai";
import { Rendering } from "../render";
import { ConfigError } from "../stacks";
import { findObject, Overrides, parseMinimal, renderWith, sharedRenders } from "./helpers";
import { podSpecOf } from "../util/podTemplates";

/** The 2.x layout on a stack: production's file sets webuiReplicas, which only 1.x understands. */
const server: Overrides = { argusVersion: "2.9.1", webuiReplicas: null };
const stacks = ["production", "staging", "review-123"];

const kinds = (r: Rendering) => r.objects.map((o) => `${o.kind} ${o.metadata.name.replace(/-[0-9a-f]{8,12}$/, "")}`).sort();
const containerNames = (r: Rendering) =>
    r.objects
        .filter((o) => ["Deployment", "Job", "CronJob"].includes(o.kind))
        .flatMap((o) => {
            const pod = podSpecOf(o);
            return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => c.name as string);
        });

describe("the 2.x layout", () => {
    let renderings = new Map<string, Rendering>();
    const renderAll = sharedRenders(stacks, server);
    beforeEach(async () => (renderings = await renderAll()));

    for (const stack of stacks) {
        it(`${stack}: web and worker Deployments, the migration Job and the housekeeping CronJobs; no webui, daphne, nginx or redis`, () => {
            const r = renderings.get(stack)!;
            const instance = String(r.outputs.namespace);
            // A review app runs its own PostgreSQL (database inCluster by default).
            const database = stack.startsWith("review") ? [`Deployment ${instance}-database`] : [];
            expect(kinds(r).filter((k) => /^(Deployment|Service|Job|CronJob|Ingress) /.test(k))).to.deep.equal([
                `CronJob ${instance}-maintenance-end`,
                `CronJob ${instance}-maintenance-start`,
                `CronJob ${instance}-prune-tasks`,
                ...database,
                `Deployment ${instance}-web`,
                `Deployment ${instance}-worker`,
                `Ingress ${instance}-web`,
                `Job ${instance}-migrate`,
                ...(stack.startsWith("review") ? [`Service ${instance}-database`] : []),
                `Service ${instance}-web`,
            ]);
            expect(containerNames(r)).to.have.members(["migrate", "web", "wait-for-migrations", "worker", "run", "run", "run", ...(database.length ? ["postgres"] : [])]);
            expect(r.resources.filter((x) => x.name.includes("webui") || x.name.includes("redis"))).to.deep.equal([]);
            expect(r.outputs).to.include({ layout: "server", argusVersion: "2.9.1" });
        });
    }

    it("renders every stack in the 1.x layout too, with its webui and api and without worker or CronJobs", async () => {
        for (const stack of stacks) {
            const r = await renderWith(stack);
            expect(containerNames(r)).to.include.members(["django", "websockets", "nginx", "webui"]);
            expect(containerNames(r)).not.to.include.members(["worker"]);
            expect(r.objects.filter((o) => o.kind === "CronJob")).to.deep.equal([]);
        }
    });

    it("starts web, worker and every CronJob only after the migration Job of their image", () => {
        const r = renderings.get("staging")!;
        const job = r.resources.find((x) => x.type === "kubernetes:batch/v1:Job")!;
        const dependents = r.resources.filter((x) => ["kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:CronJob"].includes(x.type));
        expect(dependents).to.have.length(5);
        for (const resource of dependents) {
            expect(resource.dependsOn, resource.name).to.deep.equal([`kubernetes:batch/v1:Job::${job.name}`]);
        }
    });

    it("runs the worker only on a migrated schema, checks it without a port, and gives it the replicas asked for", async () => {
        const r = await renderWith("staging", { ...server, workerReplicas: "2" });
        const worker = findObject(r, "Deployment", "-worker");
        expect((worker.spec as any).replicas).to.equal(2);
        const pod = podSpecOf(worker);
        expect(pod.initContainers.map((c: any) => c.args)).to.deep.equal([["django-admin", "migrate", "--check"]]);
        const [container] = pod.containers;
        expect(container.args).to.deep.equal(["django-admin", "db_worker"]);
        expect(container.ports).to.equal(undefined);
        const rarely = { initialDelaySeconds: 60, periodSeconds: 120, timeoutSeconds: 60, failureThreshold: 3 };
        expect(container.readinessProbe).to.deep.equal({ exec: { command: ["django-admin", "migrate", "--check"] }, ...rarely });
        // Alive while no due task waits more than 10 minutes for a worker (argus_site/probe.py `tasks`).
        expect(container.livenessProbe).to.deep.equal({ exec: { command: ["python", "-m", "argus_site.probe", "tasks", "600"] }, ...rarely });
        expect(container.securityContext).to.deep.include({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(r.objects.filter((o) => o.kind === "PodDisruptionBudget").map((o) => o.metadata.name)).to.include("argus-staging-worker");
    });

    it("serves UI, API v2 and static files from gunicorn, probed on /api/ under the webui host once the database takes it", () => {
        const [web] = podSpecOf(findObject(renderings.get("production")!, "Deployment", "-web")).containers;
        expect(web.args.slice(-1)).to.deep.equal(["argus.site.wsgi:application"]);
        expect(web.ports).to.deep.equal([{ containerPort: 8000, name: "http" }]);
        for (const probe of [web.readinessProbe, web.livenessProbe]) {
            expect(probe.httpGet).to.deep.equal({ path: "/api/", port: "http", httpHeaders: [{ name: "Host", value: "argus.uninett.no" }] });
        }
        expect(web.startupProbe.exec.command).to.deep.equal(["django-admin", "migrate", "--check"]);
    });

    it("serves the webui host, and the api host when one is set, from one Service; Django answers both", async () => {
        const hosts = (r: Rendering) => (findObject(r, "Ingress", "-web").spec as any).rules.map((rule: any) => rule.host);
        const settings = (r: Rendering) => findObject(r, "ConfigMap", "runtime-settings").data as Record<string, string>;
        const without = await renderWith("review-123", { argusVersion: "2.9.1" });
        expect(hosts(without)).to.deep.equal(["argus-review-123.paas2.uninett.no"]);
        expect(settings(without).ARGUS_PUBLIC_HOSTS).to.equal("argus-review-123.paas2.uninett.no");
        expect(without.outputs).not.to.have.property("apiUrl");
        const production = renderings.get("production")!;
        expect(hosts(production)).to.deep.equal(["argus.uninett.no", "api.argus.uninett.no"]);
        expect(settings(production)).to.include({ ARGUS_PUBLIC_HOSTS: "argus.uninett.no,api.argus.uninett.no", ARGUS_FRONTEND_URL: "https://argus.uninett.no" });
        expect((findObject(production, "Ingress", "-web").spec as any).tls).to.deep.equal([{ hosts: ["argus.uninett.no", "api.argus.uninett.no"], secretName: "argus-web-tls" }]);
    });

    it("prunes task results on the configured schedule and age, never overlapping, with little history", async () => {
        const r = await renderWith("staging", { ...server, pruneSchedule: "30  2 * * *", pruneMinAgeDays: "30" });
        const prune = findObject(r, "CronJob", "prune-tasks").spec as any;
        expect(prune).to.deep.include({ schedule: "30 2 * * *", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3, startingDeadlineSeconds: 300 });
        expect(prune.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "prune_db_task_results", "--min-age-days", "30"]);
        expect(prune.jobTemplate.spec.template.spec.restartPolicy).to.equal("Never");
        expect(prune.jobTemplate.spec.template.spec.automountServiceAccountToken).to.equal(false);
    });

    it("checks for new releases only when switched on", async () => {
        expect(renderings.get("staging")!.objects.filter((o) => o.metadata.name.includes("version-check"))).to.deep.equal([]);
        const r = await renderWith("staging", { ...server, versionCheck: "true" });
        const check = findObject(r, "CronJob", "version-check").spec as any;
        expect(check.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "check_version", "--save"]);
        const policy = findObject(r, "NetworkPolicy", "version-check").spec as any;
        expect(policy.egress.map((e: any) => e.ports.map((p: any) => p.port))).to.deep.equal([[53, 53], [5432], [443]]);
    });
});

describe("NetworkPolicies of the 2.x layout", () => {
    it("admit the ingress controller to web only, nothing into the worker, and let each reach only what it needs", async () => {
        const r = await renderWith("production", server);
        const policy = (name: string) => findObject(r, "NetworkPolicy", `argus-${name}`).spec as any;
        expect(r.objects.filter((o) => o.kind === "NetworkPolicy").map((o) => o.metadata.name).sort()).to.deep.equal([
            "argus-default-deny",
            "argus-housekeeping",
            "argus-migrate",
            "argus-web",
            "argus-worker",
        ]);
        expect(policy("web").ingress).to.deep.equal([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8000, protocol: "TCP" }] },
        ]);
        expect(policy("worker").ingress).to.deep.equal([]);
        const ports = (name: string) => policy(name).egress.map((e: any) => e.ports.map((p: any) => p.port));
        expect(ports("web")).to.deep.equal([[53, 53], [5432], [587]]);
        expect(ports("worker")).to.deep.equal([[53, 53], [5432], [587]]);
        expect(ports("housekeeping")).to.deep.equal([[53, 53], [5432]]);
        expect(ports("migrate")).to.deep.equal([[53, 53], [5432]]);
    });
});

describe("the first admin", () => {
    it("is created after the migrations by initial_setup, its password from the Secret only", async () => {
        const r = await renderWith("staging", { adminUsername: "admin", adminEmail: "ops@example.org" }, { adminPassword: "Sentinel-admin-pw" });
        const pod = podSpecOf(findObject(r, "Job", "migrate"));
        expect(pod.initContainers.map((c: any) => c.args)).to.deep.equal([["django-admin", "migrate", "--noinput"]]);
        const [setup] = pod.containers;
        expect(setup.args).to.deep.equal(["django-admin", "initial_setup", "--username=$(ADMIN_USERNAME)", "--password=$(ADMIN_PASSWORD)", "--email=$(ADMIN_EMAIL)"]);
        const secret = findObject(r, "Secret", "runtime-secrets");
        expect(setup.env).to.deep.include({ name: "ADMIN_PASSWORD", valueFrom: { secretKeyRef: { key: "ADMIN_PASSWORD", name: secret.metadata.name } } });
        expect(setup.env).to.deep.include({ name: "ADMIN_USERNAME", value: "admin" });
        expect(secret.stringData).to.have.property("ADMIN_PASSWORD", "[secret]");
        expect(r.manifestsYaml + r.resourcesJson).not.to.contain("Sentinel");
    });

    it("runs again when an admin is added to a stack whose image did not change", async () => {
        const [before, after] = [await renderWith("staging"), await renderWith("staging", { adminUsername: "admin" }, { adminPassword: "pw" })];
        expect(after.outputs.argusImage).to.equal(before.outputs.argusImage);
        expect(after.outputs.migrationJob).not.to.equal(before.outputs.migrationJob);
    });

    it("needs a password, and an existing Secret holds it instead of config", () => {
        expect(() => parseMinimal("staging", { adminUsername: "admin" })).to.throw(ConfigError, "argus:adminPassword: is required when adminUsername is set.");
        expect(() => parseMinimal("staging", { adminUsername: "ad min" }, { adminPassword: "pw" })).to.throw(ConfigError, 'argus:adminUsername: "ad min" is not a Django user name');
    });
});

describe("keys of one layout in the other", () => {
    const problems = (plain: Record<string, string>) => {
        try {
            parseMinimal("staging", plain);
        } catch (err) {
            return (err as ConfigError).problems.map((p) => `${p.key}: ${p.problem} Fix: ${p.fix}`);
        }
        return [];
    };

    it("refuses the 1.x webui, nginx and redis keys for a 2.x release, saying why", () => {
        expect(problems({ argusVersion: "2.9.1", webuiReplicas: "2", nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine" })).to.deep.equal([
            "webuiReplicas: applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui, nginx or redis, and this stack deploys the 2.x layout (argusVersion). Fix: pulumi config rm --stack staging webuiReplicas",
            "nginxImage: applies to the Argus 1.x layout only: 2.x serves its own UI from the Argus image, with no webui, nginx or redis, and this stack deploys the 2.x layout (argusVersion). Fix: pulumi config rm --stack staging nginxImage",
        ]);
    });

    it("accepts a key of the other layout at its default, which is how the CLI hands every default to the program", () => {
        expect(problems({ argusVersion: "2.9.1", webuiReplicas: "1", nginxImage: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine", realtimeMaxRetries: "5" })).to.deep.equal([]);
        expect(problems({ argusVersion: "1.37.0", workerReplicas: "1", pruneSchedule: "17 3 * * *", pruneMinAgeDays: "14", versionCheck: "false" })).to.deep.equal([]);
    });

    it("refuses the 2.x worker and housekeeping keys for a 1.x release, saying why", () => {
        expect(problems({ argusVersion: "1.37.0", workerReplicas: "2" })).to.deep.equal([
            "workerReplicas: applies to the Argus 2.x layout only: 1.x has no task queue, worker or version check, and this stack deploys the 1.x layout (argusVersion). Fix: pulumi config rm --stack staging workerReplicas",
        ]);
    });

    it("sizes only the layout's own containers", () => {
        expect(parseMinimal("staging", { argusVersion: "2.9.1", resourceOverrides: "worker.memory=256Mi/1Gi" }).resources.worker.memoryMiB).to.deep.equal({ request: 256, limit: 1024 });
        expect(problems({ argusVersion: "2.9.1", resourceOverrides: "django.cpu=1/2" })[0]).to.contain('"django.cpu=1/2" names no container of this layout; its containers are web, worker, postgres.');
    });

    it("refuses a schedule that is not five cron fields", () => {
        expect(problems({ argusVersion: "2.9.1", pruneSchedule: "daily" })).to.deep.equal([
            'pruneSchedule: "daily" is not a schedule a CronJob takes: it has 1 field, not 5 (minute, hour, day of month, month, day of week). Give five fields like "17 3 * * *" (UTC). Fix: pulumi config set --stack staging pruneSchedule \'30 2 * * *\'',
        ]);
    });
});
