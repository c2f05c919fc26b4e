/**
 * The admin's kubeconfig, read as the kubernetes provider reads it, so that the pre-flight (preflight.ts)
 * talks to the same cluster as the same user. Pure: files it names are kept as paths (resolved against the
 * folder of the kubeconfig that names them), read by apiClient.ts.
 *
 * Fields as k8s.io/client-go v0.34.4 defines them (tools/clientcmd/api/v1/types.go): a Cluster's `server`,
 * `tls-server-name`, `insecure-skip-tls-verify`, `certificate-authority`, `certificate-authority-data`; an
 * AuthInfo's `client-certificate(-data)`, `client-key(-data)`, `token`, `tokenFile` and `exec` (ExecConfig:
 * `command`, `args`, `env` of `name`/`value`, `apiVersion`); a Context's `cluster`, `user`, `namespace`. Several
 * files in $KUBECONFIG are merged as tools/clientcmd/loader.go merges them: the first file that names a
 * cluster, user or context wins, and the first `current-context` set; relative paths are resolved against the
 * file that holds them (loader.go, ResolveLocalPaths).
 */
import * as yaml from "js-yaml";
import * as path from "path";

/** A file's path, or its bytes inline (the `-data` forms, base64 in the kubeconfig). */
export type FileOrData = { readonly file: string } | { readonly data: Buffer };

/** An `exec` credential plugin (client.authentication.k8s.io). */
export interface ExecPlugin {
    readonly command: string;
    readonly args: readonly string[];
    readonly env: readonly { name: string; value: string }[];
    readonly apiVersion: string;
}

export interface UserCredentials {
    readonly token?: string;
    readonly tokenFile?: string;
    readonly clientCertificate?: FileOrData;
    readonly clientKey?: FileOrData;
    readonly exec?: ExecPlugin;
}

/** The cluster and user one context names: what a client needs to make a request. */
export interface ClusterTarget {
    readonly context: string;
    readonly server: string;
    readonly ca?: FileOrData;
    readonly insecureSkipTlsVerify: boolean;
    readonly tlsServerName?: string;
    readonly user: UserCredentials;
}

/** One kubeconfig's text and where it came from (undefined: the `kubeconfig` config key, relative to the working folder). */
export interface KubeconfigSource {
    readonly text: string;
    readonly path?: string;
}

type Entry = Record<string, unknown>;
interface Named {
    readonly name: string;
    readonly body: Entry;
    readonly baseDir: string;
}
interface Parsed {
    readonly clusters: Named[];
    readonly users: Named[];
    readonly contexts: Named[];
    readonly currentContext?: string;
}

/** What is wrong, for the config key to blame. */
export interface KubeconfigProblem {
    readonly key: "kubeconfig" | "kubeContext";
    readonly problem: string;
}

function isRecord(value: unknown): value is Entry {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function named(list: unknown, field: string, baseDir: string): Named[] {
    if (!Array.isArray(list)) return [];
    return list.filter(isRecord).flatMap((item) => (typeof item.name === "string" && isRecord(item[field]) ? [{ name: item.name, body: item[field] as Entry, baseDir }] : []));
}

function parseOne(source: KubeconfigSource): Parsed | string {
    const where = source.path ? `${source.path}` : "the kubeconfig";
    let doc: unknown;
    try {
        doc = yaml.load(source.text);
    } catch (err) {
        return `${where} is not YAML: ${(err as Error).message.split("\n")[0]}`;
    }
    if (!isRecord(doc)) return `${where} is not a kubeconfig (a YAML mapping with clusters, users and contexts).`;
    const baseDir = source.path ? path.dirname(source.path) : process.cwd();
    const current = doc["current-context"];
    return {
        clusters: named(doc.clusters, "cluster", baseDir),
        users: named(doc.users, "user", baseDir),
        contexts: named(doc.contexts, "context", baseDir),
        currentContext: typeof current === "string" && current !== "" ? current : undefined,
    };
}

/** Several kubeconfigs merged as client-go merges $KUBECONFIG: the first of each name wins, the first current-context set. */
export function parseKubeconfigs(sources: readonly KubeconfigSource[]): Parsed | string {
    const parsed: Parsed[] = [];
    for (const source of sources) {
        const one = parseOne(source);
        if (typeof one === "string") return one;
        parsed.push(one);
    }
    return {
        clusters: parsed.flatMap((p) => p.clusters),
        users: parsed.flatMap((p) => p.users),
        contexts: parsed.flatMap((p) => p.contexts),
        currentContext: parsed.find((p) => p.currentContext)?.currentContext,
    };
}

function text(entry: Entry, field: string): string | undefined {
    const value = entry[field];
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** `<field>-data` (base64) before `<field>` (a path), as client-go prefers the inline data. */
function fileOrData(entry: Entry, field: string, baseDir: string): FileOrData | undefined {
    const data = text(entry, `${field}-data`);
    if (data) return { data: Buffer.from(data, "base64") };
    const file = text(entry, field);
    return file ? { file: path.resolve(baseDir, file) } : undefined;
}

function execPlugin(value: unknown): ExecPlugin | undefined {
    if (!isRecord(value) || typeof value.command !== "string") return undefined;
    const env = Array.isArray(value.env) ? value.env.filter(isRecord).map((e) => ({ name: String(e.name ?? ""), value: String(e.value ?? "") })) : [];
    return {
        command: value.command,
        args: Array.isArray(value.args) ? value.args.map(String) : [],
        env,
        apiVersion: typeof value.apiVersion === "string" ? value.apiVersion : "client.authentication.k8s.io/v1",
    };
}

function credentials(user: Named | undefined): UserCredentials {
    if (!user) return {};
    const body = user.body;
    const tokenFile = text(body, "tokenFile");
    return {
        token: text(body, "token"),
        tokenFile: tokenFile ? path.resolve(user.baseDir, tokenFile) : undefined,
        clientCertificate: fileOrData(body, "client-certificate", user.baseDir),
        clientKey: fileOrData(body, "client-key", user.baseDir),
        exec: execPlugin(body.exec),
    };
}

/** The cluster and user of `context` (unset: the current context), or what is wrong and which key to blame. */
export function selectTarget(sources: readonly KubeconfigSource[], context?: string): ClusterTarget | KubeconfigProblem {
    const parsed = parseKubeconfigs(sources);
    if (typeof parsed === "string") return { key: "kubeconfig", problem: parsed };
    const name = context ?? parsed.currentContext;
    if (!name) return { key: "kubeContext", problem: "is not set and the kubeconfig has no current-context." };
    const found = parsed.contexts.find((c) => c.name === name);
    if (!found) {
        const known = parsed.contexts.map((c) => c.name);
        const key = context ? "kubeContext" : "kubeconfig";
        return { key, problem: `names the context "${name}", which the kubeconfig does not have (it has: ${known.length ? known.join(", ") : "none"}).` };
    }
    const clusterName = text(found.body, "cluster");
    const cluster = parsed.clusters.find((c) => c.name === clusterName);
    const server = cluster ? text(cluster.body, "server") : undefined;
    if (!cluster || !server) {
        return { key: "kubeconfig", problem: `context "${name}" names the cluster "${clusterName ?? ""}", which the kubeconfig does not have or which has no server.` };
    }
    const userName = text(found.body, "user");
    return {
        context: name,
        server,
        ca: fileOrData(cluster.body, "certificate-authority", cluster.baseDir),
        insecureSkipTlsVerify: cluster.body["insecure-skip-tls-verify"] === true,
        tlsServerName: text(cluster.body, "tls-server-name"),
        user: credentials(parsed.users.find((u) => u.name === userName)),
    };
}

export function isProblem(value: ClusterTarget | KubeconfigProblem): value is KubeconfigProblem {
    return "problem" in value;
}
