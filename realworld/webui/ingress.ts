/**
 * What the ingress controller does for the browser: TLS for the render's Ingress hosts and a proxy to the
 * Service each rule names. A stand-in, not ingress-nginx: Debian's nginx on 127.0.0.1 and a free port, a
 * certificate for every Ingress host signed by a CA of the run's own (../cluster/pki.ts), the headers a proxy
 * in front of Argus must set (Host, X-Forwarded-Proto https, X-Forwarded-For) and the websocket upgrade, and the
 * rendered `nginx.ingress.kubernetes.io/proxy-{read,send}-timeout` annotations. Chromium reaches it by the real
 * hostnames through `--host-resolver-rules` (browser.ts).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { block, connectionUpgradeMap, nginxConfig } from "../../components/nginx";
import { makeCa, serverCertificate } from "../cluster/pki";
import { Pod } from "../argus/pod";
import { objectsOf, Rendering } from "../argus/render";
import { freePort } from "../shared/ports";
import { Proc, startProcess } from "../shared/process";
import { makeDir } from "../shared/scratch";
import { waitForPort } from "../shared/wait";

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Ingress {
    readonly port: number;
    /** Every Ingress host of the render. */
    readonly hosts: readonly string[];
    /** The CA the certificate chains to (for Node clients). */
    readonly ca: Buffer;
    /** base64 SHA-256 of the certificate's public key: what Chromium's --ignore-certificate-errors-spki-list trusts. */
    readonly spkiHash: string;
    readonly proc: Proc;
}

/** The local port of a Service's target: the Pod whose labels its selector matches, the port its targetPort names. */
function serviceTarget(rendering: Rendering, pods: readonly Pod[], serviceName: string, servicePort: any): number {
    const service = objectsOf(rendering, "Service").find((s) => s.metadata.name === serviceName);
    if (!service) throw new Error(`an Ingress names Service ${serviceName}, which is not in the render`);
    const port = service.spec.ports.find((p: any) => (servicePort.name ? p.name === servicePort.name : p.port === servicePort.number));
    const selector: Record<string, string> = service.spec.selector ?? {};
    const pod = pods.find((p) => Object.entries(selector).every(([k, v]) => p.workload.spec.template.metadata.labels?.[k] === v));
    if (!port || !pod) throw new Error(`Service ${serviceName}: no port ${JSON.stringify(servicePort)} or no started Pod its selector matches`);
    const containerPort =
        typeof port.targetPort === "number" ? port.targetPort : pod.spec.containers.flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === port.targetPort)?.containerPort;
    const local = pod.ports.get(containerPort);
    if (!local) throw new Error(`Service ${serviceName}: targetPort ${port.targetPort} is no port of Pod ${pod.name}`);
    return local;
}

/** One server block per Ingress rule: TLS, its paths proxied to the Service's local port. */
function serverBlock(rule: any, annotations: Record<string, string>, target: (backend: any) => number, listen: number, cert: { cert: string; key: string }): string {
    const timeouts = ["read", "send"].flatMap((k) => {
        const v = annotations[`nginx.ingress.kubernetes.io/proxy-${k}-timeout`];
        return v ? [`proxy_${k}_timeout ${v}s;`] : [];
    });
    return block("server", [
        `listen 127.0.0.1:${listen} ssl;`,
        `server_name ${rule.host};`,
        `ssl_certificate ${cert.cert};`,
        `ssl_certificate_key ${cert.key};`,
        ...rule.http.paths.map((p: any) =>
            block(`location ${p.path}`, [
                `proxy_pass http://127.0.0.1:${target(p.backend)};`,
                "proxy_http_version 1.1;",
                "proxy_set_header Host $host;",
                "proxy_set_header X-Forwarded-Proto https;",
                "proxy_set_header X-Forwarded-For $remote_addr;",
                "proxy_set_header X-Forwarded-Host $host;",
                "proxy_set_header X-Forwarded-Port 443;",
                "proxy_set_header Upgrade $http_upgrade;",
                "proxy_set_header Connection $connection_upgrade;",
                ...timeouts,
            ]),
        ),
    ]);
}

/** Starts the stand-in for the render's Ingresses, in front of the given (started) Pods. */
export async function startIngress(rendering: Rendering, pods: readonly Pod[]): Promise<Ingress> {
    const dir = makeDir("ingress");
    const ingresses = objectsOf(rendering, "Ingress");
    const hosts: string[] = ingresses.flatMap((i) => i.spec.rules.map((r: any) => r.host));
    makeCa(dir);
    const cert = serverCertificate(dir, "ingress", `/CN=${hosts[0]}`, hosts.map((h) => `DNS:${h}`).join(","));
    const port = await freePort();
    const servers = ingresses.flatMap((i) =>
        i.spec.rules.map((r: any) => serverBlock(r, i.metadata.annotations ?? {}, (b) => serviceTarget(rendering, pods, b.service.name, b.service.port), port, cert)),
    );
    const conf = path.join(dir, "nginx.conf");
    fs.writeFileSync(conf, nginxConfig({ writableDir: dir, mimeTypes: "/etc/nginx/mime.types" }, [connectionUpgradeMap(), ...servers]));
    const proc = startProcess("ingress", "nginx", ["-c", conf, "-g", "daemon off;"], { logFile: path.join(dir, "nginx.log"), env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
    await waitForPort(proc, port, 20000);
    const spki = new crypto.X509Certificate(fs.readFileSync(cert.cert)).publicKey.export({ type: "spki", format: "der" });
    return { port, hosts, ca: fs.readFileSync(path.join(dir, "ca.crt")), spkiHash: crypto.createHash("sha256").update(spki).digest("base64"), proc };
}

export interface IngressAnswer {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

/** A request through the ingress to https://<host><path>, as a client outside the cluster sends it (SNI, the run's CA). */
export function ingressRequest(ingress: Ingress, host: string, method: string, urlPath: string, headers: Record<string, string> = {}): Promise<IngressAnswer> {
    return new Promise((resolve, reject) => {
        const req = https.request({ host: "127.0.0.1", port: ingress.port, servername: host, ca: ingress.ca, method, path: urlPath, headers: { Host: host, ...headers }, agent: false, timeout: 30000 }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("timeout", () => req.destroy(new Error(`${method} https://${host}${urlPath}: no answer within 30 s`)));
        req.on("error", reject);
        req.end();
    });
}
