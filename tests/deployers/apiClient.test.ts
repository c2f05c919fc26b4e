import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { TLSSocket } from "tls";
import { clusterAsker } from "../../deployers/apiClient";
import { ClusterTarget, UserCredentials } from "../../deployers/kubeconfig";

/** A self-signed certificate for 127.0.0.1 (also the client certificate of the tests that send one). */
function selfSigned(dir: string, name: string): { cert: Buffer; key: Buffer } {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "1", "-subj", `/CN=${name}`, "-addext", "subjectAltName=IP:127.0.0.1"], { cwd: dir, stdio: "ignore" });
    return { cert: fs.readFileSync(path.join(dir, `${name}.crt`)), key: fs.readFileSync(path.join(dir, `${name}.key`)) };
}

describe("the pre-flight's https client, with each credential form", () => {
    let dir: string;
    let server: https.Server;
    let url: string;
    let ca: Buffer;
    let client: { cert: Buffer; key: Buffer };
    /** What the server saw of each request: the Authorization header, the client certificate's CN. */
    const seen: { authorization?: string; clientCn?: string }[] = [];
    const target = (user: UserCredentials, extra: Partial<ClusterTarget> = {}): ClusterTarget => ({ context: "t", server: url, ca: { data: ca }, insecureSkipTlsVerify: false, user, ...extra });

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployers-api-client-"));
        const serving = selfSigned(dir, "server");
        ca = serving.cert;
        client = selfSigned(dir, "client");
        server = https.createServer({ ...serving, ca: client.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
            const cn = (req.socket as TLSSocket).getPeerCertificate()?.subject?.CN;
            seen.push({ authorization: req.headers.authorization, clientCn: typeof cn === "string" ? cn : undefined });
            res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ gitVersion: "v1.34.4", path: req.url }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => (seen.length = 0));

    it("sends a token, trusting the kubeconfig's CA", async () => {
        const answer = await clusterAsker(target({ token: "inline-token" }))("/version");
        expect([answer, seen]).to.deep.equal([{ status: 200, body: '{"gitVersion":"v1.34.4","path":"/version"}' }, [{ authorization: "Bearer inline-token", clientCn: undefined }]]);
    });

    it("reads a token file", async () => {
        fs.writeFileSync(path.join(dir, "token"), "file-token\n");
        await clusterAsker(target({ tokenFile: path.join(dir, "token") }))("/version");
        expect(seen[0].authorization).to.equal("Bearer file-token");
    });

    it("presents a client certificate and key, from files or inline", async () => {
        await clusterAsker(target({ clientCertificate: { file: path.join(dir, "client.crt") }, clientKey: { data: client.key } }))("/version");
        expect(seen).to.deep.equal([{ authorization: undefined, clientCn: "client" }]);
    });

    it("runs an exec plugin with its args and env, and KUBERNETES_EXEC_INFO, once for all requests", async () => {
        const script = path.join(dir, "plugin.js");
        fs.writeFileSync(
            script,
            `require("fs").appendFileSync(${JSON.stringify(path.join(dir, "calls"))}, "x");` +
                'const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO); console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: [process.argv[2], process.env.PLUGIN_ENV, info.kind, info.spec.interactive].join("-") } }));',
        );
        const ask = clusterAsker(target({ exec: { command: process.execPath, args: [script, "arg"], env: [{ name: "PLUGIN_ENV", value: "env" }], apiVersion: "client.authentication.k8s.io/v1" } }));
        await ask("/version");
        await ask("/api/v1/namespaces/argus");
        expect(seen.map((s) => s.authorization)).to.deep.equal(["Bearer arg-env-ExecCredential-false", "Bearer arg-env-ExecCredential-false"]);
        expect(fs.readFileSync(path.join(dir, "calls"), "utf8")).to.equal("x");
    });

    it("answers with an error, never a token, when the plugin fails or the server cannot be trusted or reached", async () => {
        const failing = await clusterAsker(target({ exec: { command: process.execPath, args: ["-e", "console.log('secret-output'); process.exit(3)"], env: [], apiVersion: "client.authentication.k8s.io/v1" } }))("/version");
        expect(JSON.stringify(failing)).to.match(/exec plugin .* failed/).and.not.to.contain("secret-output");
        const untrusted = await clusterAsker(target({ token: "t" }, { ca: undefined }))("/version");
        expect(untrusted).to.have.property("error").that.matches(/SELF_SIGNED|self.signed/i);
        expect(await clusterAsker(target({ token: "t" }, { ca: undefined, insecureSkipTlsVerify: true }))("/version")).to.include({ status: 200 });
        const closed = await clusterAsker(target({ token: "t" }, { server: "https://127.0.0.1:1" }))("/version");
        expect(closed).to.have.property("error").that.matches(/^ECONNREFUSED/);
    });
});
