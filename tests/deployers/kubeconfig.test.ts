import { expect } from "chai";
import * as yaml from "js-yaml";
import { ClusterTarget, KubeconfigProblem, selectTarget } from "../../deployers/kubeconfig";

/** A kubeconfig with one cluster `c`, one user `u` and context `ctx` (the current one). */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
    return yaml.dump({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: "https://10.0.0.1:6443", ...cluster } }],
        users: [{ name: "u", user }],
        contexts: [{ name: "ctx", context: { cluster: "c", user: "u" } }],
        "current-context": "ctx",
        ...extra,
    });
}

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const b64 = (text: string) => Buffer.from(text).toString("base64");

function target(text: string, context?: string, path = "/etc/kube/admin.conf"): ClusterTarget {
    const selected = selectTarget([{ text, path }], context);
    if ("problem" in selected) throw new Error(selected.problem);
    return selected;
}

describe("reading the admin's kubeconfig", () => {
    describe("the cluster", () => {
        it("is the current context's, with its CA inline, TLS server name and no skip of verification", () => {
            const t = target(kubeconfig({ "certificate-authority-data": b64(pem), "tls-server-name": "kubernetes" }, {}));
            expect([t.context, t.server, "data" in t.ca! && t.ca.data.toString(), t.tlsServerName, t.insecureSkipTlsVerify]).to.deep.equal(["ctx", "https://10.0.0.1:6443", pem, "kubernetes", false]);
        });

        it("takes a CA file relative to the kubeconfig's folder, and insecure-skip-tls-verify", () => {
            const t = target(kubeconfig({ "certificate-authority": "pki/ca.crt", "insecure-skip-tls-verify": true }, {}));
            expect([t.ca, t.insecureSkipTlsVerify]).to.deep.equal([{ file: "/etc/kube/pki/ca.crt" }, true]);
        });
    });

    describe("the user's credentials", () => {
        it("a token, or a token file", () => {
            expect(target(kubeconfig({}, { token: "T" })).user.token).to.equal("T");
            expect(target(kubeconfig({}, { tokenFile: "token" })).user.tokenFile).to.equal("/etc/kube/token");
        });

        it("a client certificate and key, inline (preferred) or as files", () => {
            const inline = target(kubeconfig({}, { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY"), "client-certificate": "ignored.crt" })).user;
            expect([inline.clientCertificate, inline.clientKey]).to.deep.equal([{ data: Buffer.from("CERT") }, { data: Buffer.from("KEY") }]);
            const files = target(kubeconfig({}, { "client-certificate": "/abs/admin.crt", "client-key": "admin.key" })).user;
            expect([files.clientCertificate, files.clientKey]).to.deep.equal([{ file: "/abs/admin.crt" }, { file: "/etc/kube/admin.key" }]);
        });

        it("an exec credential plugin, with its args, env and apiVersion", () => {
            const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args: ["get-token", "--x"], env: [{ name: "A", value: "1" }] };
            expect(target(kubeconfig({}, { exec })).user.exec).to.deep.equal({ command: "kubelogin", args: ["get-token", "--x"], env: [{ name: "A", value: "1" }], apiVersion: "client.authentication.k8s.io/v1beta1" });
        });
    });

    describe("several files, as $KUBECONFIG lists them", () => {
        it("merge as client-go merges: the first of each name, the first current-context", () => {
            const first = kubeconfig({ server: "https://first" }, { token: "1" }, { "current-context": "" });
            const second = kubeconfig({ server: "https://second" }, { token: "2" });
            const t = selectTarget([{ text: first, path: "/a/config" }, { text: second, path: "/b/config" }]) as ClusterTarget;
            expect([t.context, t.server, t.user.token]).to.deep.equal(["ctx", "https://first", "1"]);
        });
    });

    describe("what it refuses", () => {
        const problem = (text: string, context?: string) => selectTarget([{ text }], context) as KubeconfigProblem;

        it("names the key to blame", () => {
            expect(problem("a: [")).to.include({ key: "kubeconfig" });
            expect(problem("- a list")).to.deep.equal({ key: "kubeconfig", problem: "the kubeconfig is not a kubeconfig (a YAML mapping with clusters, users and contexts)." });
            expect(problem(kubeconfig({}, {}), "other")).to.deep.equal({ key: "kubeContext", problem: 'names the context "other", which the kubeconfig does not have (it has: ctx).' });
            expect(problem(kubeconfig({}, {}, { "current-context": "" }))).to.deep.equal({ key: "kubeContext", problem: "is not set and the kubeconfig has no current-context." });
            expect(problem(kubeconfig({ server: "" }, {}))).to.deep.equal({ key: "kubeconfig", problem: 'context "ctx" names the cluster "c", which the kubeconfig does not have or which has no server.' });
        });
    });
});
