// The control plane's and the registry's keys and certificates, made with openssl in the cluster's folder:
// a CA of its own, server certificates it signs (2 days), the service-account signing key pair, and the
// kubeconfigs (a token, the CA inline).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

function openssl(dir: string, args: string[]): void {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** Writes `text` to dir/name (0600 unless said) and returns the path. */
export function writeFile(dir: string, name: string, text: string, mode = 0o600): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text, { mode });
    return p;
}

/** The CA (dir/ca.crt, dir/ca.key) every certificate of the suite chains to. */
export function makeCa(dir: string): string {
    openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=argus-cluster-suite-ca"]);
    return path.join(dir, "ca.crt");
}

/** dir/<name>.crt and dir/<name>.key for `subject`, with `subjectAltName` (e.g. "IP:127.0.0.1"), signed by the CA. */
export function serverCertificate(dir: string, name: string, subject: string, subjectAltName: string): { cert: string; key: string } {
    openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
    writeFile(dir, `${name}-san.cnf`, `subjectAltName=${subjectAltName}\n`);
    openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}-san.cnf`]);
    return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

/** The service-account signing key pair: dir/sa.key and dir/sa.pub. */
export function serviceAccountKeys(dir: string): { privateKey: string; publicKey: string } {
    openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
    openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
    return { privateKey: path.join(dir, "sa.key"), publicKey: path.join(dir, "sa.pub") };
}

/**
 * A kubeconfig for `server`, trusting the CA (its PEM text, inline), as `user` with a bearer token: the admin's
 * static token, or a deployer ServiceAccount's (what CI's file variable of each environment holds).
 */
export function tokenKubeconfig(server: string, caPem: string, user: string, token: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: suite\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}`,
        "users:",
        `- name: ${user}\n  user:\n    token: ${token}`,
        "contexts:",
        `- name: suite\n  context:\n    cluster: suite\n    user: ${user}`,
        "current-context: suite",
        "",
    ].join("\n");
}

/** The admin's kubeconfig for https://127.0.0.1:<port> (a static token of the API server's token file). */
export function adminKubeconfig(apiPort: number, caFile: string, token: string): string {
    return tokenKubeconfig(`https://127.0.0.1:${apiPort}`, fs.readFileSync(caFile, "utf8"), "suite-admin", token);
}
