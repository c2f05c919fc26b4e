import { expect } from "chai";
import { gunicornCommand } from "../../components/argus/spec";
import { serverProxyConfig } from "../../components/server/spec";
import { argusRelease } from "../../releases/argus";
import { Rendering } from "../../render";
import { containerNames, findObject, Overrides, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The 2.x layout (components/server): web and worker Deployments and the housekeeping CronJobs, all from the Argus image. */

/** The 2.x layout on a stack: production's file sets webuiReplicas, which only 1.x understands. */
const server: Overrides = { argusVersion: "2.9.1", webuiReplicas: null };

const kinds = (r: Rendering) => r.objects.map((o) => `${o.kind} ${o.metadata.name.replace(/-[0-9a-f]{8,12}$/, "")}`).sort();
const cronJobSpec = (r: Rendering, name: string) => findObject(r, "CronJob", name).spec as any;

describe("the 2.x layout of each stack", () => {
    for (const stack of ["production", "staging", "review-123"]) {
        describe(stack, () => {
            const rendering = renderedBeforeEach(stack, server);

            it("has web and worker Deployments, the migration Job and the housekeeping CronJobs; no webui, daphne or redis", () => {
                const r = rendering();
                const instance = String(r.outputs.namespace);
                // A review app runs its own PostgreSQL (database inCluster by default).
                const database = stack.startsWith("review") ? [`Deployment ${instance}-database`] : [];
                expect(kinds(r).filter((k) => /^(Deployment|Service|Job|CronJob|Ingress) /.test(k))).to.deep.equal([
                    `CronJob ${instance}-maintenance-end`,
                    `CronJob ${instance}-maintenance-start`,
                    `CronJob ${instance}-prune-tasks`,
                    `CronJob ${instance}-token-expiry`,
                    ...database,
                    `Deployment ${instance}-web`,
                    `Deployment ${instance}-worker`,
                    `Ingress ${instance}-web`,
                    ...(stack === "production" ? [`Job ${instance}-backup`] : []),
                    `Job ${instance}-migrate`,
                    ...(stack.startsWith("review") ? [`Service ${instance}-database`] : []),
                    `Service ${instance}-web`,
                ]);
                expect(containerNames(r)).to.have.members([...(stack === "production" ? ["pg-dump"] : []), "migrate", "web", "nginx", "wait-for-migrations", "worker", "run", "run", "run", "run", ...(database.length ? ["postgres"] : [])]);
                expect(r.resources.filter((x) => x.name.includes("webui") || x.name.includes("redis"))).to.deep.equal([]);
                expect(r.outputs).to.include({ layout: "server", argusVersion: "2.9.1" });
            });
        });
    }
});

describe("the web server", () => {
    const production = renderedBeforeEach("production", server);
    const staging = renderedBeforeEach("staging", server);
    const reviewWithoutApiHost = renderedBeforeEach("review-123", { argusVersion: "2.9.1" });
    const hosts = (r: Rendering) => (findObject(r, "Ingress", "-web").spec as any).rules.map((rule: any) => rule.host);
    const settings = (r: Rendering) => findObject(r, "ConfigMap", "runtime-settings").data as Record<string, string>;

    it("runs threaded gunicorn workers as many as the capacity says, their heartbeats in /tmp, logging requests to stdout; sync workers for one thread (gunicornCommand)", () => {
        expect(gunicornCommand(argusRelease("2.9.1"), { address: "0.0.0.0", trustedProxies: "*" }, { workers: 3, threads: 5 })).to.deep.equal([
            "gunicorn",
            "--bind", "0.0.0.0:8000",
            "--worker-class", "gthread",
            "--threads", "5",
            "--workers", "3",
            "--worker-tmp-dir", "/tmp",
            "--forwarded-allow-ips", "*",
            "--access-logfile", "-",
            "argus.site.wsgi:application",
        ]);
        const sync = gunicornCommand(argusRelease("2.9.1"), { address: "0.0.0.0", trustedProxies: "*" }, { workers: 2, threads: 1 });
        expect(sync.slice(3, 7)).to.deep.equal(["--worker-class", "sync", "--workers", "2"]);
        expect(sync).to.not.include("--threads");
    });

    it("serves from gunicorn on the Pod's loopback behind its nginx, trusting the forwarded headers of that nginx only", () => {
        const pod = podSpecOf(findObject(staging(), "Deployment", "-web"));
        const [web, nginx] = pod.containers;
        expect(web.args.slice(0, 3)).to.deep.equal(["gunicorn", "--bind", "127.0.0.1:8000"]);
        expect(web.args[web.args.indexOf("--forwarded-allow-ips") + 1]).to.equal("127.0.0.1");
        expect(web.ports).to.equal(undefined);
        // The Service reaches nginx only, whose nginx.conf (serverProxyConfig) passes everything to 127.0.0.1:8000.
        expect(nginx.ports).to.deep.equal([{ containerPort: 8080, name: "http" }]);
        expect((findObject(staging(), "Service", "-web").spec as any).ports).to.deep.equal([{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }]);
        const configMap = pod.volumes.find((v: any) => v.name === "nginx-config").configMap.name;
        expect((findObject(staging(), "ConfigMap", configMap).data as Record<string, string>)["nginx.conf"]).to.equal(serverProxyConfig());
    });

    it("serves UI, API v2 and static files from gunicorn, probed inside its container on /api/ under the webui host once the database takes it", () => {
        const [web] = podSpecOf(findObject(production(), "Deployment", "-web")).containers;
        expect(web.args.slice(-1)).to.deep.equal(["argus.site.wsgi:application"]);
        for (const probe of [web.readinessProbe, web.livenessProbe]) {
            expect(probe.exec.command).to.deep.equal(["python", "-m", "argus_site.probe", "http", "8000", "/api/", "argus.uninett.no"]);
        }
        expect(web.startupProbe.exec.command).to.deep.equal(["django-admin", "migrate", "--check"]);
    });

    it("serves the webui host, and the api host when one is set, from one Service; Django answers both", () => {
        const without = reviewWithoutApiHost();
        expect(hosts(without)).to.deep.equal(["argus-review-123.paas2.uninett.no"]);
        expect(settings(without).ARGUS_PUBLIC_HOSTS).to.equal("argus-review-123.paas2.uninett.no");
        expect(without.outputs).not.to.have.property("apiUrl");
        expect(hosts(production())).to.deep.equal(["argus.uninett.no", "api.argus.uninett.no"]);
        expect(settings(production())).to.include({ ARGUS_PUBLIC_HOSTS: "argus.uninett.no,api.argus.uninett.no", ARGUS_FRONTEND_URL: "https://argus.uninett.no" });
        expect((findObject(production(), "Ingress", "-web").spec as any).tls).to.deep.equal([{ hosts: ["argus.uninett.no", "api.argus.uninett.no"], secretName: "argus-web-tls" }]);
    });
});

describe("the worker", () => {
    const twoWorkers = renderedBeforeEach("staging", { ...server, workerReplicas: "2" });

    it("runs only on a migrated schema, is checked without a port, and has the replicas asked for", () => {
        const r = twoWorkers();
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
});

describe("the housekeeping CronJobs", () => {
    const staging = renderedBeforeEach("staging", server);
    const pruning = renderedBeforeEach("staging", { ...server, pruneSchedule: "30  2 * * *", pruneMinAgeDays: "30" });
    const versionCheck = renderedBeforeEach("staging", { ...server, versionCheck: "true" });
    const heartbeats = renderedBeforeEach("staging", { argusVersion: "2.10.2", heartbeatSchedule: "* * * * *" });
    const tokenExpiry = renderedBeforeEach("staging", { ...server, tokenExpirySchedule: "0 7 * * 1-5", tokenExpiryDays: "14" });
    const noTokenExpiry = renderedBeforeEach("staging", { ...server, tokenExpiryCheck: "false" });

    it("prune task results on the configured schedule and age, never overlapping, with little history", () => {
        const prune = cronJobSpec(pruning(), "prune-tasks");
        expect(prune).to.deep.include({ schedule: "30 2 * * *", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3, startingDeadlineSeconds: 300 });
        expect(prune.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "prune_db_task_results", "--min-age-days", "30"]);
        expect(prune.jobTemplate.spec.template.spec.restartPolicy).to.equal("Never");
        expect(prune.jobTemplate.spec.template.spec.automountServiceAccountToken).to.equal(false);
    });

    it("check for new releases only when switched on, at 04:41", () => {
        expect(staging().objects.filter((o) => o.metadata.name.includes("version-check"))).to.deep.equal([]);
        const check = cronJobSpec(versionCheck(), "version-check");
        expect(check.schedule).to.equal("41 4 * * *");
        expect(check.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "check_version", "--save"]);
    });

    it("check source systems' expiring tokens daily at 06:23 by default (check_token_expiry --days 7), as scheduled, or not at all", () => {
        const daily = cronJobSpec(staging(), "argus-staging-token-expiry");
        expect(daily.schedule).to.equal("23 6 * * *");
        expect(daily.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "check_token_expiry", "--days", "7"]);
        expect(daily.jobTemplate.spec.template.metadata.labels).to.include({ "app.kubernetes.io/component": "housekeeping" });
        const chosen = cronJobSpec(tokenExpiry(), "argus-staging-token-expiry");
        expect(chosen.schedule).to.equal("0 7 * * 1-5");
        expect(chosen.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "check_token_expiry", "--days", "14"]);
        expect(noTokenExpiry().objects.filter((o) => o.metadata.name.includes("token-expiry"))).to.deep.equal([]);
    });

    it("label their Jobs and Pods like the CronJob", () => {
        const check = cronJobSpec(versionCheck(), "version-check");
        expect(check.jobTemplate.metadata.labels).to.deep.equal(check.jobTemplate.spec.template.metadata.labels);
        expect(check.jobTemplate.metadata.labels).to.include({ "app.kubernetes.io/component": "version-check" });
    });

    it("sync heartbeats on the stack's schedule from 2.10, whose web server is probed on its health path", () => {
        const cron = cronJobSpec(heartbeats(), "argus-staging-heartbeats");
        expect(cron.schedule).to.equal("* * * * *");
        expect(cron.jobTemplate.spec.template.spec.containers[0].args).to.deep.equal(["django-admin", "sync_heartbeat_incidents"]);
        const web = podSpecOf(findObject(heartbeats(), "Deployment", "argus-staging-web")).containers[0];
        expect(web.readinessProbe.exec.command).to.include("/.still-alive/");
        expect(staging().objects.filter((o) => o.metadata.name.endsWith("heartbeats"))).to.deep.equal([]);
    });
});
