/**
 * Pods: a Deployment's, Job's or CronJob's Pod template (util/podTemplates.ts podSpecOf), its containers run
 * as the kubelet would run them: each in its sandbox (sandbox.ts), with the environment, volumes, ports and
 * probes of the render, translated to local processes on 127.0.0.1 (README "What the harness translates").
 */
import * as fs from "fs";
import * as path from "path";
import { podSpecOf } from "../../util/podTemplates";
import { httpStatus } from "../shared/http";
import { freePort } from "../shared/ports";
import { Proc } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { waitFor } from "../shared/wait";
import { argusPath, ArgusImage, pathOfDebian, VENV_MOUNT } from "./image";
import { postgresImage, postgresImageMounts } from "./postgresImage";
import { Mount, runToEnd, Sandbox, spawnIn } from "./sandbox";
import { stats } from "./stats";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the cluster provides a Pod: Secret values, Services (host:port to a local port). */
export interface Cluster {
    readonly configMaps: Readonly<Record<string, Record<string, string>>>;
    /** Test values of the render's Secrets, by Secret key (the render redacts them). */
    readonly secrets: Readonly<Record<string, string>>;
    /** "name:port" of a Service to "127.0.0.1:port" of the local process standing for it. */
    readonly services: Readonly<Record<string, string>>;
    /** PersistentVolumeClaims by name, each a host folder standing for its volume (made writable as its Pod's fsGroup would). */
    readonly claims?: Readonly<Record<string, string>>;
}

/** An image the harness stands in for with a stock one (Debian's nginx) and host folders of its own files (the webui's build). */
export interface ImageFiles {
    readonly matches: (image: string) => boolean;
    /** Mounted before the Pod's volumes. */
    readonly mounts: readonly Mount[];
}

const loopbackHosts = new Set(["127.0.0.1", "0.0.0.0", "localhost"]);

/** Kubernetes' $(VAR) expansion in command, args and env values ($$ escapes). */
function expand(value: string, env: Record<string, string>): string {
    return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => (m === "$$" ? "$" : name in env ? env[name] : m));
}

export interface ProbeResult {
    readonly ok: boolean;
    readonly detail: string;
}

export class Pod {
    /** Container port (as the render names it) to the local port it is translated to. */
    readonly ports = new Map<number, number>();
    readonly containers = new Map<string, Proc>();
    private readonly volumes = new Map<string, string>();
    readonly dir: string;
    readonly spec: any;

    private constructor(
        readonly name: string,
        readonly workload: any,
        readonly image: ArgusImage,
        readonly cluster: Cluster,
        readonly imageFiles: readonly ImageFiles[],
    ) {
        this.dir = makeDir(`pod-${name}`);
        this.spec = podSpecOf(workload);
    }

    static async create(name: string, workload: any, image: ArgusImage, cluster: Cluster, imageFiles: readonly ImageFiles[] = []): Promise<Pod> {
        const pod = new Pod(name, workload, image, cluster, imageFiles);
        await pod.allocatePorts();
        pod.makeVolumes();
        return pod;
    }

    private allContainers(): any[] {
        return [...(this.spec.initContainers ?? []), ...this.spec.containers];
    }

    /** Every port a container of the Pod binds: containerPorts, and the ports in its command line. */
    private async allocatePorts(): Promise<void> {
        const found = new Set<number>();
        for (const c of this.allContainers()) {
            for (const p of c.ports ?? []) found.add(p.containerPort);
            const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
            argv.forEach((token, i) => {
                const hostPort = /^([\w.-]+):(\d+)$/.exec(token);
                if (hostPort && loopbackHosts.has(hostPort[1]) && argv[i - 1] === "--bind") found.add(Number(hostPort[2]));
                if (argv[i - 1] === "--port" && /^\d+$/.test(token)) found.add(Number(token));
            });
        }
        for (const port of [...found].sort()) this.ports.set(port, await freePort());
    }

    /** emptyDirs (world-writable, as the fsGroup-less Pod's uid needs) and ConfigMap volumes (files translated). */
    private makeVolumes(): void {
        for (const v of this.spec.volumes ?? []) {
            if (v.emptyDir) {
                this.volumes.set(v.name, makeDir(`${this.name}-${v.name}`, 0o1777));
            } else if (v.configMap) {
                const dir = makeDir(`${this.name}-${v.name}`, 0o755);
                const data = this.cluster.configMaps[v.configMap.name];
                if (!data) throw new Error(`Pod ${this.name}: ConfigMap ${v.configMap.name} is not in the render`);
                const items: { key: string; path: string }[] = v.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
                for (const item of items) {
                    fs.writeFileSync(path.join(dir, item.path), this.translateFile(data[item.key]), { mode: 0o644 });
                }
                this.volumes.set(v.name, dir);
            } else if (v.persistentVolumeClaim) {
                const dir = this.cluster.claims?.[v.persistentVolumeClaim.claimName];
                if (!dir) throw new Error(`Pod ${this.name}: no host folder stands for PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}`);
                this.volumes.set(v.name, dir);
            } else {
                throw new Error(`Pod ${this.name}: volume ${v.name} of a kind the harness does not provide`);
            }
        }
    }

    /** nginx.conf: `listen PORT` and `server 127.0.0.1:PORT` to the translated ports on 127.0.0.1. */
    private translateFile(text: string): string {
        return text
            .replace(/listen (\d+);/g, (m, p) => (this.ports.has(Number(p)) ? `listen 127.0.0.1:${this.ports.get(Number(p))};` : m))
            .replace(/server ([\w.-]+):(\d+);/g, (m, h, p) => {
                if (loopbackHosts.has(h) && this.ports.has(Number(p))) return `server 127.0.0.1:${this.ports.get(Number(p))};`;
                const service = this.cluster.services[`${h}:${p}`];
                return service ? `server ${service};` : m;
            });
    }

    /** One token of a command line or one env value, translated to where the local processes listen. */
    translate(token: string): string {
        if (this.cluster.services[token]) return this.cluster.services[token];
        // A URL to a Service (DATABASE_URL of a stack's own database): its host:port.
        const url = /^([a-z][\w+.-]*:\/\/(?:[^@/]*@)?)([\w.-]+:\d+)(\/.*)?$/.exec(token);
        if (url && this.cluster.services[url[2]]) return `${url[1]}${this.cluster.services[url[2]]}${url[3] ?? ""}`;
        const hostPort = /^([\w.-]+):(\d+)$/.exec(token);
        if (hostPort && loopbackHosts.has(hostPort[1]) && this.ports.has(Number(hostPort[2]))) return `127.0.0.1:${this.ports.get(Number(hostPort[2]))}`;
        if (/^\d+$/.test(token) && this.ports.has(Number(token))) return String(this.ports.get(Number(token)));
        if (token === "0.0.0.0") return "127.0.0.1";
        return token;
    }

    /** The local port of the Pod's container port named `name`: what its Service targets ("http" in every web Pod). */
    namedPort(name = "http"): number {
        const declared = this.allContainers().flatMap((c) => c.ports ?? []).find((p: any) => p.name === name);
        const port = declared && this.ports.get(declared.containerPort);
        if (!port) throw new Error(`Pod ${this.name} has no port named ${name}`);
        return port;
    }

    container(name: string): any {
        const c = this.allContainers().find((x) => x.name === name);
        if (!c) throw new Error(`Pod ${this.name} has no container ${name}`);
        return c;
    }

    isArgus(c: any): boolean {
        return !/nginx|redis/.test(c.image) && !postgresImage.matches(c.image) && !this.imageFiles.some((i) => i.matches(c.image));
    }

    /** The container's environment as the kubelet builds it: image ENV, envFrom, env ($(VAR) expanded). */
    environment(c: any): Record<string, string> {
        const env: Record<string, string> = this.isArgus(c)
            ? { PATH: argusPath, HOME: "/nonexistent", ...this.image.env }
            : { PATH: postgresImage.matches(c.image) ? postgresImage.path : pathOfDebian };
        for (const from of c.envFrom ?? []) {
            if (from.configMapRef) Object.assign(env, this.cluster.configMaps[from.configMapRef.name] ?? {});
            else if (from.secretRef) throw new Error("secretRef envFrom: not provided by the harness");
        }
        for (const e of c.env ?? []) {
            if ("value" in e) env[e.name] = expand(String(e.value), env);
            else if (e.valueFrom?.secretKeyRef) {
                const value = this.cluster.secrets[e.valueFrom.secretKeyRef.key];
                if (value === undefined) throw new Error(`no test value for Secret key ${e.valueFrom.secretKeyRef.key}`);
                env[e.name] = value;
            } else if (e.valueFrom?.configMapKeyRef) {
                env[e.name] = this.cluster.configMaps[e.valueFrom.configMapKeyRef.name][e.valueFrom.configMapKeyRef.key];
            } else throw new Error(`env ${e.name}: a source the harness does not provide`);
        }
        for (const k of Object.keys(env)) env[k] = this.translate(env[k]);
        return env;
    }

    sandbox(c: any): Sandbox {
        const sc = { ...(this.spec.securityContext ?? {}), ...(c.securityContext ?? {}) };
        if (sc.runAsUser === undefined && this.isArgus(c)) Object.assign(sc, { runAsUser: this.image.user.uid, runAsGroup: this.image.user.gid });
        const mounts: Mount[] = this.isArgus(c)
            ? [
                  { source: this.image.venv, target: VENV_MOUNT },
                  { source: this.image.app, target: "/app" },
              ]
            : postgresImage.matches(c.image)
              ? postgresImageMounts()
              : this.imageFiles.filter((i) => i.matches(c.image)).flatMap((i) => i.mounts);
        for (const m of c.volumeMounts ?? []) {
            const source = this.volumes.get(m.name);
            if (!source) throw new Error(`Pod ${this.name}: no volume ${m.name}`);
            mounts.push({ source, target: m.mountPath });
        }
        return { uid: sc.runAsUser ?? 65534, gid: sc.runAsGroup ?? sc.runAsUser ?? 65534, mounts, env: this.environment(c), cwd: this.isArgus(c) ? "/app" : "/" };
    }

    /** command + args (the Argus image's ENTRYPOINT is tini, which only forwards signals: run args directly). */
    argv(c: any, extra?: readonly string[]): string[] {
        const env = this.environment(c);
        const ownArgv = [...(c.command ?? []), ...(c.args ?? [])];
        const argv: string[] = extra ? [...extra] : ownArgv.length === 0 && postgresImage.matches(c.image) ? postgresImage.argv : ownArgv;
        return argv.map((a) => this.translate(expand(a, env)));
    }

    logFile(name: string): string {
        return path.join(this.dir, `${name}.log`);
    }

    /** Runs a container to its end (an init container, a Job's or CronJob's). */
    async runToCompletion(name: string, timeoutMs = 300000): Promise<{ code: number | null; output: string }> {
        const c = this.container(name);
        stats.containers++;
        return runToEnd(`${this.name}/${name}`, this.sandbox(c), this.argv(c), timeoutMs, this.logFile(name));
    }

    /** Runs every init container in order; throws on the first that fails. */
    async runInitContainers(timeoutMs = 300000): Promise<void> {
        for (const c of this.spec.initContainers ?? []) {
            const r = await this.runToCompletion(c.name, timeoutMs);
            if (r.code !== 0) throw new Error(`init container ${this.name}/${c.name} exited ${r.code}:\n${r.output}`);
        }
    }

    /** Starts a long-running container. */
    start(name: string): Proc {
        const c = this.container(name);
        const proc = spawnIn(`${this.name}/${name}`, this.sandbox(c), this.argv(c), this.logFile(name));
        this.containers.set(name, proc);
        stats.containers++;
        return proc;
    }

    async stopContainer(name: string): Promise<void> {
        await this.containers.get(name)?.stop();
    }

    /** A probe of the render, executed as written: httpGet to its path and (translated) port, exec in the container. */
    async probe(name: string, kind: "startupProbe" | "readinessProbe" | "livenessProbe"): Promise<ProbeResult> {
        const c = this.container(name);
        const p = c[kind];
        if (!p) throw new Error(`${this.name}/${name} has no ${kind}`);
        const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
        if (p.httpGet) {
            const portSpec = p.httpGet.port;
            const containerPort = typeof portSpec === "number" ? portSpec : (c.ports ?? []).find((x: any) => x.name === portSpec)?.containerPort;
            const port = this.ports.get(containerPort);
            if (!port) throw new Error(`${this.name}/${name}: probe port ${portSpec} is not a port of the container`);
            const headers: Record<string, string> = {};
            for (const h of p.httpGet.httpHeaders ?? []) headers[h.name] = h.value;
            const status = await httpStatus(`http://127.0.0.1:${port}${p.httpGet.path}`, { headers, timeoutMs });
            const ok = status >= 200 && status < 400;
            if (ok) stats.probes++;
            return { ok, detail: `GET ${p.httpGet.path} on ${containerPort} (127.0.0.1:${port}): ${status || "no answer"}` };
        }
        if (p.exec) {
            const r = await runToEnd(`${this.name}/${name}-${kind}`, this.sandbox(c), this.argv(c, p.exec.command), timeoutMs, path.join(this.dir, `${name}-${kind}.log`));
            const ok = r.code === 0;
            if (ok) stats.probes++;
            return { ok, detail: `exec ${p.exec.command.join(" ")}: exit ${r.code} ${r.output.trim().slice(-500)}` };
        }
        throw new Error(`${this.name}/${name}: ${kind} of a kind the harness does not run`);
    }

    /** Waits until the container's startup probe (if any) and then its readiness probe pass. */
    async waitReady(name: string, timeoutMs = 120000): Promise<void> {
        const c = this.container(name);
        const proc = this.containers.get(name);
        const kinds = (["startupProbe", "readinessProbe"] as const).filter((k) => c[k]);
        for (const kind of kinds) {
            let last: ProbeResult = { ok: false, detail: "not run" };
            await waitFor(
                async () => {
                    if (proc && !proc.alive) throw new Error(`${this.name}/${name} exited ${proc.exitCode}:\n${proc.log().slice(-3000)}`);
                    last = await this.probe(name, kind);
                    return last.ok;
                },
                timeoutMs,
                () => `${this.name}/${name} ${kind}: ${last.detail}\n${proc?.log().slice(-3000) ?? ""}`,
                500,
            );
        }
    }

    async stop(): Promise<void> {
        await Promise.all([...this.containers.values()].map((p) => p.stop()));
    }
}
