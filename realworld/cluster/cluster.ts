// The cluster suite's harness: a real Kubernetes control plane on 127.0.0.1, built by tools/build.sh
// (tools/build-cluster.sh): etcd v3.6.5, kube-apiserver, kube-controller-manager and kube-scheduler v1.34.4,
// and kwok v0.7.0, which plays the one node and the lifecycle of its Pods (no container ever runs); and a
// container registry for production's image look-up: Debian's docker-registry (distribution 2.8.2,
// scripts/install-system-packages.sh) with TLS and htpasswd auth, to which crane v0.22.1 pushes test images.
// Everything listens on 127.0.0.1 at ports the OS handed out; certificates (a CA of its own), the
// service-account key, the admin token and the kubeconfig are made here, in a temp folder that stop()
// removes. Every process runs in its own process group, killed by stop(), and at exit if a test forgot.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { repoRoot, Result, toolsBinDir } from "../engine/harness";
import { freePort } from "../../tests/support/ports";

/** The binaries tools/build-cluster.sh links into the tools folder. */
export const clusterTools = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok", "crane"];

/** Debian's docker-registry package (the CNCF distribution server). */
export const registryBinary = "/usr/bin/docker-registry";

/** The user and password the registry accepts (htpasswd, bcrypt), which the program's config also gives. */
export interface RegistryCredentials {
    username: string;
    password: string;
}

/** The memory limit that makes kwok fail a Job's Pods (the failure stage below); a resourceOverrides value sets it. */
export const failingMemoryLimit = "333Mi";
/** The memory limit that makes a Job's Pods complete only after `slowJobSeconds` (a migration that takes a while). */
export const slowMemoryLimit = "334Mi";
export const slowJobSeconds = 25;

/** The name of the one Node kwok manages. */
export const nodeName = "kwok-node-0";


const live = new Set<Cluster>();
process.on("exit", () => {
    for (const cluster of live) cluster.stopNow();
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        // Gone already.
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * kwok's Pod stages: upstream's fast stages at the version built (kustomize/stage/pod/fast/ of
 * sigs.k8s.io/kwok v0.7.0, from the Go module cache, downloaded if missing: pod-ready makes a scheduled Pod Running and Ready,
 * pod-complete makes a Running Pod owned by a Job Succeeded, pod-delete removes a Pod being deleted), plus two
 * of ours derived from pod-complete: a Job's Pod fails when a container's memory limit is `failingMemoryLimit`,
 * and completes only after `slowJobSeconds` when it is `slowMemoryLimit` (stage `delay`).
 * Given any Pod stage, kwok uses only the configured ones (pkg/kwok/cmd/root.go at v0.7.0, runE). When
 * several stages match, kwok draws one by weight and skips those of weight 0 (pkg/utils/lifecycle/
 * lifecycle.go, Match): pod-complete has none, ours 10000, so ours always wins. A `[]` in a selector key
 * matches when any element has the value (pkg/utils/expression/selector.go, hasValues).
 */
function kwokStages(): string {
    const goEnv = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOFLAGS: "-mod=mod" };
    // `go mod download` fetches the module when the cache lacks it (tools built earlier, Go caches not kept);
    // `go list -m` would name a folder that does not exist then.
    const downloaded = execFileSync("go", ["mod", "download", "-json", "sigs.k8s.io/kwok"], { cwd: path.join(repoRoot, "tools", "kwok"), env: goEnv, encoding: "utf8" });
    const dir = (JSON.parse(downloaded) as { Dir?: string }).Dir;
    if (!dir) throw new Error(`go mod download sigs.k8s.io/kwok gave no folder: ${downloaded}`);
    const upstream = (f: string) => yaml.load(fs.readFileSync(path.join(dir, "kustomize", "stage", "pod", "fast", f), "utf8")) as Stage;
    const complete = upstream("pod-complete.yaml");
    const memoryIs = (limit: string) => ({ key: ".spec.containers.[].resources.limits.memory", operator: "In", values: [limit] });
    // A Job's Pod with the failing limit: Failed, its containers terminated with exit code 1.
    const fail: Stage = {
        ...complete,
        metadata: { name: "argus-suite-job-pod-fail" },
        spec: {
            ...complete.spec,
            selector: { matchExpressions: [...complete.spec.selector.matchExpressions, memoryIs(failingMemoryLimit)] },
            weight: 10000,
            next: { statusTemplate: complete.spec.next.statusTemplate.replace("exitCode: 0", "exitCode: 1").replace("reason: Completed", "reason: Error").replace("phase: Succeeded", "phase: Failed") },
        },
    };
    // A Job's Pod with the slow limit: upstream's pod-complete, after `slowJobSeconds`.
    const slow: Stage = {
        ...complete,
        metadata: { name: "argus-suite-job-pod-slow" },
        spec: {
            ...complete.spec,
            selector: { matchExpressions: [...complete.spec.selector.matchExpressions, memoryIs(slowMemoryLimit)] },
            weight: 10000,
            delay: { durationMilliseconds: slowJobSeconds * 1000 },
        },
    };
    if (!fail.spec.next.statusTemplate.includes("phase: Failed")) throw new Error("kwok's pod-complete stage changed: the failure stage cannot be derived from it");
    return [upstream("pod-ready.yaml"), complete, upstream("pod-delete.yaml"), fail, slow].map((doc) => yaml.dump(doc)).join("---\n");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Stage = { metadata: { name: string }; spec: { selector: { matchExpressions: unknown[] }; next: { statusTemplate: string }; [key: string]: any }; [key: string]: any };

export interface RunOptions {
    input?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    cwd?: string;
}

export class Cluster {
    readonly kubeconfig: string;
    readonly apiPort: number;
    /** The registry's host:port, 127.0.0.1 and a free port. */
    readonly registry: string;
    /** The CA that signed the API server's and the registry's certificates (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE). */
    readonly caFile: string;
    private readonly processes: { name: string; child: ChildProcess }[] = [];
    private stopped = false;

    private constructor(
        readonly tmp: string,
        readonly binDir: string,
        apiPort: number,
        registryPort: number,
        private readonly registryCredentials: RegistryCredentials,
    ) {
        this.apiPort = apiPort;
        this.registry = `127.0.0.1:${registryPort}`;
        this.caFile = path.join(tmp, "ca.crt");
        this.kubeconfig = path.join(tmp, "kubeconfig");
        live.add(this);
    }

    /** The text of a kubeconfig for this cluster (cluster-admin through a static token, the CA of its own). */
    kubeconfigText(): string {
        return fs.readFileSync(this.kubeconfig, "utf8");
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
        if (!fs.existsSync(registryBinary)) throw new Error(`${registryBinary} is not installed: run scripts/install-system-packages.sh`);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "argus-cluster-"));
        const cluster = new Cluster(tmp, binDir, await freePort(), await freePort(), registry);
        try {
            await cluster.boot();
            return cluster;
        } catch (err) {
            const logs = cluster.logTails();
            await cluster.stop();
            throw new Error(`the control plane did not come up: ${(err as Error).message}\n${logs}`);
        }
    }

    private file(name: string, text: string, mode = 0o600): string {
        const p = path.join(this.tmp, name);
        fs.writeFileSync(p, text, { mode });
        return p;
    }

    private openssl(args: string[]): void {
        execFileSync("openssl", args, { cwd: this.tmp, stdio: ["ignore", "ignore", "pipe"] });
    }

    private spawnLogged(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
        const log = fs.openSync(path.join(this.tmp, "logs", `${name}.log`), "a");
        const child = spawn(path.isAbsolute(command) ? command : path.join(this.binDir, command), args, {
            cwd: this.tmp,
            env: { ...process.env, HOME: path.join(this.tmp, "home"), ...env },
            detached: true,
            stdio: ["ignore", log, log],
        });
        fs.closeSync(log);
        this.processes.push({ name, child });
        return child;
    }

    private async boot(): Promise<void> {
        const t = this.tmp;
        fs.mkdirSync(path.join(t, "logs"));
        fs.mkdirSync(path.join(t, "home"));
        // A CA of our own and the API server's certificate for 127.0.0.1; the service-account signing key.
        this.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=argus-cluster-suite-ca"]);
        this.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "apiserver.key", "-out", "apiserver.csr", "-subj", "/CN=kube-apiserver"]);
        this.file("san.cnf", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n");
        this.openssl(["x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "apiserver.crt", "-days", "2", "-extfile", "san.cnf"]);
        this.openssl(["genrsa", "-out", "sa.key", "2048"]);
        this.openssl(["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
        const token = crypto.randomBytes(24).toString("hex");
        // --token-auth-file: token,user,uid,"group1,group2" (k8s.io/apiserver v0.34.4,
        // plugin/pkg/authenticator/token/tokenfile/tokenfile.go); system:masters is cluster-admin under RBAC.
        this.file("tokens.csv", `${token},suite-admin,suite-admin,"system:masters"\n`);
        const kubeconfig = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            `- name: suite\n  cluster:\n    server: https://127.0.0.1:${this.apiPort}\n    certificate-authority-data: ${fs.readFileSync(path.join(t, "ca.crt")).toString("base64")}`,
            "users:",
            `- name: suite-admin\n  user:\n    token: ${token}`,
            "contexts:",
            "- name: suite\n  context:\n    cluster: suite\n    user: suite-admin",
            "current-context: suite",
            "",
        ].join("\n");
        this.file("kubeconfig", kubeconfig);

        const etcdClient = await freePort();
        const etcdPeer = await freePort();
        this.spawnLogged("etcd", "etcd", [
            "--name=suite",
            `--data-dir=${path.join(t, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
            `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-cluster=suite=http://127.0.0.1:${etcdPeer}`,
            "--unsafe-no-fsync", // a throwaway store (go.etcd.io/etcd/server/v3 v3.6.5, embed/config.go UnsafeNoFsync)
        ]);
        await this.waitFor("etcd", () => httpOk(`http://127.0.0.1:${etcdClient}/health`), 30_000);

        this.spawnLogged("kube-apiserver", "kube-apiserver", [
            `--etcd-servers=http://127.0.0.1:${etcdClient}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${this.apiPort}`,
            `--tls-cert-file=${path.join(t, "apiserver.crt")}`,
            `--tls-private-key-file=${path.join(t, "apiserver.key")}`,
            `--token-auth-file=${path.join(t, "tokens.csv")}`,
            "--authorization-mode=RBAC",
            `--service-account-key-file=${path.join(t, "sa.pub")}`,
            `--service-account-signing-key-file=${path.join(t, "sa.key")}`,
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-cluster-ip-range=10.96.0.0/16",
            // The "kubernetes" Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
            "--endpoint-reconciler-type=none",
            `--cert-dir=${path.join(t, "apiserver-certs")}`,
        ]);
        await this.waitFor("kube-apiserver", async () => (await this.kubectl(["get", "--raw", "/readyz"], { timeoutMs: 10_000 })).code === 0, 60_000);

        const common = [`--kubeconfig=${this.kubeconfig}`, "--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false"];
        this.spawnLogged("kube-controller-manager", "kube-controller-manager", [
            ...common,
            `--service-account-private-key-file=${path.join(t, "sa.key")}`,
            `--root-ca-file=${path.join(t, "ca.crt")}`,
            "--use-service-account-credentials=false",
            "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route",
        ]);
        this.spawnLogged("kube-scheduler", "kube-scheduler", common);

        fs.writeFileSync(path.join(t, "kwok.yaml"), kwokStages());
        this.spawnLogged("kwok", "kwok", [`--kubeconfig=${this.kubeconfig}`, `--config=${path.join(t, "kwok.yaml")}`, "--manage-all-nodes=true"]);

        // The node: kwok's default node stages initialize it and keep it Ready (pkg/kwok/cmd/root.go at v0.7.0,
        // getDefaultNodeStages). The API server's TaintNodesByCondition admission gives every new Node the
        // not-ready:NoSchedule taint (k8s.io/kubernetes v1.34.4 plugin/pkg/admission/nodetaint/admission.go);
        // the node lifecycle controller, which would lift it, is off here (no kubelet to watch): we lift it.
        const node = { apiVersion: "v1", kind: "Node", metadata: { name: nodeName, labels: { "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", type: "kwok" }, annotations: { "kwok.x-k8s.io/node": "fake" } } };
        await this.waitFor("the default ServiceAccount machinery", async () => (await this.kubectl(["get", "serviceaccount", "default", "-n", "default"])).code === 0, 60_000);
        const created = await this.kubectl(["create", "-f", "-"], { input: JSON.stringify(node) });
        if (created.code !== 0) throw new Error(`kubectl create node: ${created.output}`);
        await this.waitFor("the node Ready", async () => (await this.kubectl(["get", "node", nodeName, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", 60_000);
        await this.kubectl(["taint", "node", nodeName, "node.kubernetes.io/not-ready:NoSchedule-"]);
        await this.waitFor("the node untainted", async () => (await this.kubectl(["get", "node", nodeName, "-o", "jsonpath={.spec.taints}"])).stdout.trim() === "", 30_000);

        await this.startRegistry();
    }

    /**
     * The registry: distribution 2.8.2's `serve <config>` (configuration/configuration.go at v2.8.2: storage
     * filesystem.rootdirectory, http.addr, http.tls.certificate and key, auth.htpasswd realm and path, whose
     * entries must be bcrypt: registry/auth/htpasswd/htpasswd.go), with a certificate for IP 127.0.0.1 from
     * the suite's CA and one user. crane gets the CA through SSL_CERT_FILE and the user through a docker
     * config.json in DOCKER_CONFIG; the docker stand-in through NODE_EXTRA_CA_CERTS and the program's config.
     */
    private async startRegistry(): Promise<void> {
        const t = this.tmp;
        this.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "registry.key", "-out", "registry.csr", "-subj", "/CN=argus-suite-registry"]);
        this.file("registry-san.cnf", "subjectAltName=IP:127.0.0.1\n");
        this.openssl(["x509", "-req", "-in", "registry.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "registry.crt", "-days", "2", "-extfile", "registry-san.cnf"]);
        const { username, password } = this.registryCredentials;
        // bcrypt through glibc's crypt(3) ($2b$), as Debian's python3 offers it; the password on stdin.
        const hash = execFileSync("python3", ["-W", "ignore", "-c", "import crypt, sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH)))"], { input: password, encoding: "utf8" }).trim();
        if (!hash.startsWith("$2")) throw new Error("python3's crypt made no bcrypt hash for the registry's htpasswd");
        this.file("htpasswd", `${username}:${hash}\n`);
        fs.mkdirSync(path.join(t, "docker"));
        const auth = Buffer.from(`${username}:${password}`).toString("base64");
        this.file(path.join("docker", "config.json"), JSON.stringify({ auths: { [this.registry]: { auth } } }));
        const config = [
            "version: 0.1",
            "log:",
            "  level: info",
            "storage:",
            "  filesystem:",
            `    rootdirectory: ${path.join(t, "registry")}`,
            "http:",
            `  addr: ${this.registry}`,
            "  tls:",
            `    certificate: ${path.join(t, "registry.crt")}`,
            `    key: ${path.join(t, "registry.key")}`,
            "auth:",
            "  htpasswd:",
            "    realm: argus-cluster-suite",
            `    path: ${path.join(t, "htpasswd")}`,
            "",
        ].join("\n");
        this.file("registry.yml", config);
        this.spawnLogged("docker-registry", registryBinary, ["serve", path.join(t, "registry.yml")]);
        const ca = fs.readFileSync(this.caFile);
        await this.waitFor("the registry", async () => (await httpsStatus(`https://${this.registry}/v2/`, ca, `Basic ${auth}`)) === 200, 30_000);
    }

    /** crane with the suite's CA (SSL_CERT_FILE, no --insecure) and the registry's user (DOCKER_CONFIG). */
    crane(args: string[], opts: RunOptions = {}): Promise<Result> {
        return this.run(path.join(this.binDir, "crane"), args, { ...opts, env: { SSL_CERT_FILE: this.caFile, DOCKER_CONFIG: path.join(this.tmp, "docker"), ...opts.env } });
    }

    /**
     * Pushes a small test image (one layer holding a file that names it, on crane's empty base) under
     * `reference` and returns the digest the registry reports for it (`crane digest`).
     */
    async pushTestImage(reference: string): Promise<string> {
        const dir = fs.mkdtempSync(path.join(this.tmp, "image-"));
        fs.mkdirSync(path.join(dir, "layer"));
        fs.writeFileSync(path.join(dir, "layer", "image.txt"), `argus cluster suite test image ${reference}\n`);
        execFileSync("tar", ["-cf", path.join(dir, "layer.tar"), "-C", path.join(dir, "layer"), "image.txt"]);
        const pushed = await this.crane(["append", "-f", path.join(dir, "layer.tar"), "-t", reference]);
        if (pushed.code !== 0) throw new Error(`crane append -t ${reference}: ${pushed.output}`);
        const digest = await this.crane(["digest", reference]);
        if (digest.code !== 0 || !/^sha256:[0-9a-f]{64}$/.test(digest.stdout.trim())) throw new Error(`crane digest ${reference}: ${digest.output}`);
        return digest.stdout.trim();
    }

    private async waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            for (const { name, child } of this.processes) {
                if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while waiting for ${what}`);
            }
            if (await check().catch(() => false)) return;
            if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
            await sleep(250);
        }
    }

    /** The last lines of every component's log (for a failure message; no secret is logged by them). */
    logTails(lines = 15): string {
        const dir = path.join(this.tmp, "logs");
        if (!fs.existsSync(dir)) return "";
        return fs
            .readdirSync(dir)
            .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), "utf8").split("\n").slice(-lines).map((l) => l.slice(0, 300)).join("\n")}`)
            .join("\n");
    }

    /** Runs a command with this cluster's kubeconfig and the tools on PATH; never throws on a non-zero exit. */
    run(command: string, args: string[], opts: RunOptions = {}): Promise<Result> {
        return new Promise((resolve, reject) => {
            const child = spawn(command, args, {
                cwd: opts.cwd ?? this.tmp,
                env: { ...process.env, PATH: `${this.binDir}:${process.env.PATH}`, KUBECONFIG: this.kubeconfig, ...opts.env },
                detached: true,
                stdio: ["pipe", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            let output = "";
            child.stdout.on("data", (d: Buffer) => ((stdout += d), (output += d)));
            child.stderr.on("data", (d: Buffer) => ((stderr += d), (output += d)));
            const timer = setTimeout(() => killGroup(child, "SIGKILL"), opts.timeoutMs ?? 120_000);
            child.on("error", (err) => {
                clearTimeout(timer);
                reject(err);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout, stderr, output });
            });
            child.stdin.end(opts.input ?? "");
        });
    }

    kubectl(args: string[], opts: RunOptions = {}): Promise<Result> {
        return this.run(path.join(this.binDir, "kubectl"), args, opts);
    }

    /** One object (or list) as JSON; undefined when it does not exist. */
    async get<T = Record<string, any>>(args: string[]): Promise<T | undefined> {
        const r = await this.kubectl(["get", ...args, "-o", "json"]);
        if (r.code !== 0) {
            if (/NotFound|not found/.test(r.stderr)) return undefined;
            throw new Error(`kubectl get ${args.join(" ")}: ${r.stderr}`);
        }
        return JSON.parse(r.stdout) as T;
    }

    /** Stops every process (TERM, then KILL after 5 s) and removes the temp folder. Safe to call twice. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        const exited = this.processes.map(({ child }) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()))));
        for (const { child } of [...this.processes].reverse()) killGroup(child, "SIGTERM");
        await Promise.race([Promise.all(exited), sleep(5000)]);
        this.stopNow();
    }

    /** Kills every process group at once and removes the temp folder (also what runs at exit). */
    stopNow(): void {
        if (this.stopped) return;
        this.stopped = true;
        live.delete(this);
        for (const { child } of this.processes) killGroup(child, "SIGKILL");
        fs.rmSync(this.tmp, { recursive: true, force: true });
    }
}

/** The status of a GET over TLS trusting `ca`; 0 when nothing answers. */
function httpsStatus(url: string, ca: Buffer, authorization: string): Promise<number> {
    return new Promise((resolve) => {
        const req = https.get(url, { ca, headers: { Authorization: authorization }, timeout: 5000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.on("error", () => resolve(0));
        req.on("timeout", () => req.destroy());
    });
}

async function httpOk(url: string): Promise<boolean> {
    const res = await fetch(url).catch(() => undefined);
    return res?.ok ?? false;
}
