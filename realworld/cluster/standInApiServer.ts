// A stand-in for another cluster's API server, for the deployers program's pre-flight: https on 127.0.0.1
// (a CA and certificate of its own, pki.ts), answering only what the pre-flight asks: `/version`, the
// admissionregistration.k8s.io/v1 discovery (with or without the policy resources) and the namespaces it has.
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import { makeDir } from "../shared/scratch";
import { makeCa, serverCertificate } from "./pki";

export interface StandInCluster {
    /** e.g. v1.29.3 */
    readonly gitVersion: string;
    /** Whether its admissionregistration.k8s.io/v1 serves validatingadmissionpolicies and their bindings. */
    readonly servesPolicies: boolean;
    /** The namespaces that exist. */
    readonly namespaces: readonly string[];
}

export class StandInApiServer {
    private constructor(
        private readonly server: https.Server,
        private readonly caFile: string,
        readonly url: string,
    ) {}

    static async start(cluster: StandInCluster): Promise<StandInApiServer> {
        const dir = makeDir("standin-apiserver", 0o700);
        const caFile = makeCa(dir);
        const { cert, key } = serverCertificate(dir, "apiserver", "/CN=standin-apiserver", "IP:127.0.0.1");
        const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
            const [status, body] = answer(cluster, req.url ?? "");
            res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return new StandInApiServer(server, caFile, `https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }

    /** An admin kubeconfig for it (a token it never checks). */
    kubeconfigText(): string {
        return [
            "apiVersion: v1",
            "kind: Config",
            `clusters:\n- name: standin\n  cluster:\n    server: ${this.url}\n    certificate-authority-data: ${fs.readFileSync(this.caFile).toString("base64")}`,
            "users:\n- name: admin\n  user:\n    token: standin-admin-token",
            "contexts:\n- name: standin\n  context:\n    cluster: standin\n    user: admin",
            "current-context: standin",
            "",
        ].join("\n");
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

function answer(cluster: StandInCluster, url: string): [number, unknown] {
    const minor = cluster.gitVersion.split(".")[1];
    if (url === "/version") return [200, { major: "1", minor, gitVersion: cluster.gitVersion }];
    if (url === "/apis/admissionregistration.k8s.io/v1") {
        const policies = cluster.servesPolicies ? ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] : [];
        const resources = ["mutatingwebhookconfigurations", "validatingwebhookconfigurations", ...policies].map((name) => ({ name }));
        return [200, { kind: "APIResourceList", apiVersion: "v1", groupVersion: "admissionregistration.k8s.io/v1", resources }];
    }
    const namespace = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url)?.[1];
    if (namespace && cluster.namespaces.includes(namespace)) return [200, { kind: "Namespace", apiVersion: "v1", metadata: { name: namespace } }];
    return [404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }];
}
