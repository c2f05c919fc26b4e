/**
 * The services the cluster would provide the Argus Pods: a throwaway PostgreSQL (the hosted database) and the
 * SMTP server (a sink that keeps every mail in a file). Both bind 127.0.0.1 at a free port.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { freePort } from "../shared/ports";
import { Proc } from "../shared/process";
import { testSecret } from "../shared/redaction";
import { makeDir, scratchDir } from "../shared/scratch";
import { waitFor, waitForPort } from "../shared/wait";
import { VENV_MOUNT } from "./image";
import { runHost, Sandbox, spawnIn } from "./sandbox";

export interface Postgres {
    readonly port: number;
    /** Runs SQL as the superuser (over the cluster's unix socket). */
    sql(statement: string, db?: string): Promise<string>;
    /** A database owned by a new role with a test password; its DATABASE_URL. */
    createDatabase(name: string): Promise<string>;
    readonly proc: Proc;
}

/** A throwaway PostgreSQL 15 cluster, run by the `postgres` user, on 127.0.0.1 and a free port. */
export async function startPostgres(): Promise<Postgres> {
    const bin = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"].find((d) => fs.existsSync(path.join(d, "initdb")));
    if (!bin) throw new Error("PostgreSQL is not installed: run `sudo bash scripts/install-system-packages.sh` (Debian's postgresql).");
    const pwent = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
    if (!pwent) throw new Error("no postgres user: install Debian's postgresql package");
    const [uid, gid] = pwent.split(":").slice(2, 4).map(Number);
    const dir = makeDir("postgres", 0o700, { uid, gid });
    const data = path.join(dir, "data");
    const init = await runHost([path.join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], { as: "postgres", timeoutMs: 120000 });
    if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
    const port = await freePort();
    const log = path.join(scratchDir(), "postgres.log");
    fs.writeFileSync(log, "");
    fs.chownSync(log, uid, gid);
    const args = [path.join(bin, "postgres"), "-D", data, "-c", "listen_addresses=127.0.0.1", "-p", String(port), "-c", `unix_socket_directories=${dir}`, "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"];
    const proc = spawnIn("postgres", { uid, gid, mounts: [], env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" } }, args, log);
    const psql = async (statement: string, db = "postgres"): Promise<string> => {
        const r = await runHost(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", String(port), "-U", "postgres", "-d", db, "-c", statement], { as: "postgres" });
        if (r.code !== 0) throw new Error(`psql failed: ${r.output}`);
        return r.output.trim();
    };
    await waitFor(async () => (await runHost(["pg_isready", "-h", dir, "-p", String(port)], { as: "postgres" })).code === 0 || !proc.alive, 30000, () => proc.log());
    if (!proc.alive) throw new Error(`postgres exited:\n${proc.log()}`);
    return {
        port,
        proc,
        sql: psql,
        async createDatabase(name: string): Promise<string> {
            const password = testSecret();
            await psql(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
            await psql(`CREATE DATABASE ${name} OWNER ${name}`);
            return `postgresql://${name}:${password}@127.0.0.1:${port}/${name}`;
        },
    };
}

export interface SmtpSink {
    readonly port: number;
    readonly proc: Proc;
    /** Every message received so far, raw. */
    messages(): string[];
    /** With STARTTLS: the sink's self-signed certificate (for 127.0.0.1), which a client must trust. */
    readonly certificate?: string;
}

/** A self-signed certificate and key for IP 127.0.0.1, readable by every uid (the key is a throwaway); the caller removes `dir`. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
    fs.chmodSync(dir, 0o755);
    const cert = path.join(dir, "sink-cert.pem");
    const key = path.join(dir, "sink-key.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], { stdio: "pipe" });
    fs.chmodSync(cert, 0o644);
    fs.chmodSync(key, 0o644);
    return { cert, key };
}

/** The one login a relay sink takes (smtp_sink.py); the password is a test secret, redacted from every log. */
export interface SmtpLogin {
    readonly user: string;
    readonly password: string;
    /** Require STARTTLS before AUTH, with a certificate of its own for 127.0.0.1 (SmtpSink.certificate). */
    readonly starttls?: boolean;
}

/**
 * aiosmtpd (from PyPI, built like the Argus layer by tools/argus-python.sh) on 127.0.0.1 and a free port,
 * writing each message it receives to a file: nothing leaves the machine. With `login`, it requires AUTH with
 * exactly that user and password before it takes a mail.
 */
export async function startSmtpSink(venv: string, login?: SmtpLogin): Promise<SmtpSink> {
    const out = makeDir("smtp-sink", 0o777);
    const port = await freePort();
    const script = path.join(__dirname, "smtp_sink.py");
    // Outside /tmp: an Argus container has an emptyDir there, which would hide it from the process that must trust it.
    const tls = login?.starttls ? selfSignedCertificate(fs.mkdtempSync("/var/tmp/argus-realworld-smtp-tls-")) : undefined;
    const env = {
        PATH: `${VENV_MOUNT}/bin:/usr/bin:/bin`,
        PYTHONUNBUFFERED: "1",
        ...(login ? { SMTP_SINK_USER: login.user, SMTP_SINK_PASSWORD: login.password } : {}),
        ...(tls ? { SMTP_SINK_CERT: tls.cert, SMTP_SINK_KEY: tls.key } : {}),
    };
    const sandbox: Sandbox = { uid: 65534, gid: 65534, mounts: [{ source: venv, target: VENV_MOUNT }], env };
    fs.copyFileSync(script, path.join(out, "smtp_sink.py"));
    const proc = spawnIn("smtp-sink", sandbox, [`${VENV_MOUNT}/bin/python`, path.join(out, "smtp_sink.py"), String(port), out], path.join(out, "sink.log"));
    await waitForPort(proc, port, 20000, 200);
    return {
        port,
        proc,
        ...(tls ? { certificate: tls.cert } : {}),
        messages: () =>
            fs
                .readdirSync(out)
                .filter((f) => f.endsWith(".eml"))
                .sort()
                .map((f) => fs.readFileSync(path.join(out, f), "utf8")),
    };
}
