/**
 * GETs to the API server with a kubeconfig's credentials (kubeconfig.ts), for the pre-flight: Node's https,
 * the cluster's CA (or insecure-skip-tls-verify), and a bearer token (`token`, `tokenFile`), a client
 * certificate, or an `exec` plugin's ExecCredential (k8s.io/client-go v0.34.4,
 * plugin/pkg/client/auth/exec/exec.go: the command runs with its args, the process's environment plus its
 * `env`, and KUBERNETES_EXEC_INFO holding an ExecCredential of the plugin's apiVersion; it prints an
 * ExecCredential whose status has `token`, or `clientCertificateData` and `clientKeyData` as PEM,
 * pkg/apis/clientauthentication/v1/types.go). No token, key or plugin output is ever logged or put in an answer.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as https from "https";
import type { Answer, Ask } from "./preflight";
import { ClusterTarget, ExecPlugin, FileOrData } from "./kubeconfig";

const timeoutMs = 15_000;

function bytes(source: FileOrData | undefined): Buffer | undefined {
    if (!source) return undefined;
    return "data" in source ? source.data : fs.readFileSync(source.file);
}

interface Credentials {
    readonly token?: string;
    readonly cert?: Buffer;
    readonly key?: Buffer;
}

function runExecPlugin(plugin: ExecPlugin): Promise<Credentials> {
    const execInfo = JSON.stringify({ apiVersion: plugin.apiVersion, kind: "ExecCredential", spec: { interactive: false } });
    const env = { ...process.env, ...Object.fromEntries(plugin.env.map((e) => [e.name, e.value])), KUBERNETES_EXEC_INFO: execInfo };
    return new Promise((resolve, reject) => {
        execFile(plugin.command, [...plugin.args], { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout) => {
            // Only the exit is reported: a plugin's output may hold a token.
            if (err) return reject(new Error(`the kubeconfig's exec plugin ${plugin.command} failed (${(err as NodeJS.ErrnoException).code ?? err.message.split("\n")[0]})`));
            try {
                const status = (JSON.parse(stdout) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
                if (!status.token && !(status.clientCertificateData && status.clientKeyData)) throw new Error("no token or client certificate");
                resolve({
                    token: status.token,
                    cert: status.clientCertificateData ? Buffer.from(status.clientCertificateData) : undefined,
                    key: status.clientKeyData ? Buffer.from(status.clientKeyData) : undefined,
                });
            } catch {
                reject(new Error(`the kubeconfig's exec plugin ${plugin.command} printed no ExecCredential with a token or client certificate`));
            }
        });
    });
}

/** The user's credentials as client-go uses them: a token (inline, else its file), a client certificate, else an exec plugin's. */
async function credentialsOf(target: ClusterTarget): Promise<Credentials> {
    const user = target.user;
    const token = user.token ?? (user.tokenFile ? fs.readFileSync(user.tokenFile, "utf8").trim() : undefined);
    const cert = bytes(user.clientCertificate);
    const key = bytes(user.clientKey);
    if (!token && !cert && user.exec) return runExecPlugin(user.exec);
    return { token, cert, key };
}

function get(target: ClusterTarget, credentials: Credentials, path: string): Promise<Answer> {
    const url = new URL(target.server.replace(/\/$/, "") + path);
    return new Promise((resolve) => {
        const req = https.get(
            url,
            {
                ca: bytes(target.ca),
                cert: credentials.cert,
                key: credentials.key,
                rejectUnauthorized: !target.insecureSkipTlsVerify,
                servername: target.tlsServerName,
                headers: { Accept: "application/json", ...(credentials.token ? { Authorization: `Bearer ${credentials.token}` } : {}) },
                agent: false,
                timeout: timeoutMs,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", (err) => resolve({ error: err.message }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
        req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ? `${err.code} (${err.message})` : err.message }));
    });
}

/** An `ask` for the pre-flight: GETs to the target's server as its user; credentials are resolved once, on the first GET. */
export function clusterAsker(target: ClusterTarget): Ask {
    let credentials: Promise<Credentials> | undefined;
    return async (path) => {
        credentials ??= credentialsOf(target);
        try {
            return await get(target, await credentials, path);
        } catch (err) {
            return { error: (err as Error).message };
        }
    };
}
