// The cluster suite's control plane: a real Kubernetes control plane on 127.0.0.1, built by tools/build.sh
// (tools/build-cluster.sh): etcd v3.6.5, kube-apiserver, kube-controller-manager and kube-scheduler v1.34.4,
// and kwok v0.7.0, which plays the one node and the lifecycle of its Pods (kwok.ts); and a container registry
// for production's image look-up (registry.ts). Everything listens on 127.0.0.1 at ports the OS handed out;
// certificates (pki.ts), the service-account key, the admin token and the kubeconfig are made in a folder of
// the run's scratch folder that stop() removes. Every process is realworld/shared's: its own process group,
// stopped by stop(), or by the root hook and at exit if a test forgot.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { httpStatus } from "../shared/http";
import { toolsBinDir } from "../shared/paths";
import { freePort } from "../shared/ports";
import { Proc, Result, RunOptions, startProcess } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { waitFor } from "../shared/wait";
import { Kubectl } from "./kubectl";
import { kwokStages, registerNode } from "./kwok";
import { adminKubeconfig, makeCa, serverCertificate, serviceAccountKeys, writeFile } from "./pki";
import { Registry, RegistryCredentials } from "./registry";

/** The binaries tools/build-cluster.sh links into the tools folder. */
export const clusterTools = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok", "crane"];

export class Cluster {
    readonly kubeconfig: string;
    /** The CA that signed the API server's and the registry's certificates (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE). */
    readonly caFile: string;
    /** kubectl and other commands with this cluster's kubeconfig. */
    readonly client: Kubectl;
    private registryServer: Registry | undefined;
    private readonly processes: Proc[] = [];
    private stopped = false;

    private constructor(
        readonly dir: string,
        readonly binDir: string,
        readonly apiPort: number,
    ) {
        this.caFile = path.join(dir, "ca.crt");
        this.kubeconfig = path.join(dir, "kubeconfig");
        this.client = new Kubectl(binDir, this.kubeconfig, dir);
    }

    /**
     * Starts the control plane, the node and the registry (which accepts `registry`'s user and password); throws
     * (after stopping what it started) when they are not ready in time.
     */
    static async start(registry: RegistryCredentials): Promise<Cluster> {
        const binDir = toolsBinDir();
        for (const tool of clusterTools) {
            if (!fs.existsSync(path.join(binDir, tool))) throw new Error(`${tool} is not built: run tools/build.sh`);
        }
        const cluster = new Cluster(makeDir("cluster", 0o700), binDir, await freePort());
        try {
            await cluster.boot();
            cluster.registryServer = await Registry.start(cluster.dir, cluster.caFile, binDir, registry);
            cluster.processes.push(cluster.registryServer.proc);
            return cluster;
        } catch (err) {
            const logs = cluster.logTails();
            await cluster.stop();
            throw new Error(`the control plane did not come up: ${(err as Error).message}\n${logs}`);
        }
    }

    /** The registry (started with the control plane). */
    get registry(): Registry {
        if (!this.registryServer) throw new Error("the registry is not started");
        return this.registryServer;
    }

    /** The text of the admin's kubeconfig for this cluster (cluster-admin through a static token, the CA of its own). */
    kubeconfigText(): string {
        return fs.readFileSync(this.kubeconfig, "utf8");
    }

    kubectl(args: string[], opts: RunOptions = {}): Promise<Result> {
        return this.client.kubectl(args, opts);
    }

    /** One object (or list) as JSON; undefined when it does not exist. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    get<T = Record<string, any>>(args: string[]): Promise<T | undefined> {
        return this.client.get<T>(args);
    }

    private start(name: string, args: string[]): void {
        const proc = startProcess(name, path.join(this.binDir, name), args, {
            cwd: this.dir,
            env: { ...process.env, HOME: path.join(this.dir, "home") },
            logFile: path.join(this.dir, "logs", `${name}.log`),
        });
        this.processes.push(proc);
    }

    /** Waits for `what`; fails at once when a component exited. */
    private async until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
        await waitFor(
            async () => {
                const exited = this.processes.find((p) => !p.alive);
                if (exited) throw new Error(`${exited.name} exited with ${exited.exitCode} while waiting for ${what}`);
                return check().catch(() => false);
            },
            timeoutMs,
            () => `waiting for ${what}`,
            250,
        );
    }

    private async boot(): Promise<void> {
        const t = this.dir;
        fs.mkdirSync(path.join(t, "logs"));
        fs.mkdirSync(path.join(t, "home"));
        // A CA of our own and the API server's certificate for 127.0.0.1; the service-account signing key.
        makeCa(t);
        const tls = serverCertificate(t, "apiserver", "/CN=kube-apiserver", "IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc");
        const sa = serviceAccountKeys(t);
        const token = crypto.randomBytes(24).toString("hex");
        // --token-auth-file: token,user,uid,"group1,group2" (k8s.io/apiserver v0.34.4,
        // plugin/pkg/authenticator/token/tokenfile/tokenfile.go); system:masters is cluster-admin under RBAC.
        const tokens = writeFile(t, "tokens.csv", `${token},suite-admin,suite-admin,"system:masters"\n`);
        writeFile(t, "kubeconfig", adminKubeconfig(this.apiPort, this.caFile, token));

        const etcdClient = await freePort();
        const etcdPeer = await freePort();
        this.start("etcd", [
            "--name=suite",
            `--data-dir=${path.join(t, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
            `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-cluster=suite=http://127.0.0.1:${etcdPeer}`,
            "--unsafe-no-fsync", // a throwaway store (go.etcd.io/etcd/server/v3 v3.6.5, embed/config.go UnsafeNoFsync)
        ]);
        await this.until("etcd", async () => (await httpStatus(`http://127.0.0.1:${etcdClient}/health`)) === 200, 30_000);

        this.start("kube-apiserver", [
            `--etcd-servers=http://127.0.0.1:${etcdClient}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${this.apiPort}`,
            `--tls-cert-file=${tls.cert}`,
            `--tls-private-key-file=${tls.key}`,
            `--token-auth-file=${tokens}`,
            "--authorization-mode=RBAC",
            `--service-account-key-file=${sa.publicKey}`,
            `--service-account-signing-key-file=${sa.privateKey}`,
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-cluster-ip-range=10.96.0.0/16",
            // The "kubernetes" Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
            "--endpoint-reconciler-type=none",
            `--cert-dir=${path.join(t, "apiserver-certs")}`,
        ]);
        await this.until("kube-apiserver", async () => (await this.kubectl(["get", "--raw", "/readyz"], { timeoutMs: 10_000 })).code === 0, 60_000);

        const common = [`--kubeconfig=${this.kubeconfig}`, "--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false"];
        this.start("kube-controller-manager", [
            ...common,
            `--service-account-private-key-file=${sa.privateKey}`,
            `--root-ca-file=${this.caFile}`,
            "--use-service-account-credentials=false",
            "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route",
        ]);
        this.start("kube-scheduler", common);

        fs.writeFileSync(path.join(t, "kwok.yaml"), kwokStages());
        this.start("kwok", [`--kubeconfig=${this.kubeconfig}`, `--config=${path.join(t, "kwok.yaml")}`, "--manage-all-nodes=true"]);
        await registerNode(this.client, (what, check, timeoutMs) => this.until(what, check, timeoutMs));
    }

    /** The last lines of every component's log (for a failure message; no secret is logged by them). */
    logTails(lines = 15): string {
        return this.processes.map((p) => `--- ${p.name}.log\n${p.logTail(lines)}`).join("\n");
    }

    /** Stops every process (TERM, then KILL after 5 s) and removes the cluster's folder. Safe to call twice. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        await Promise.all([...this.processes].reverse().map((p) => p.stop(5000)));
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
