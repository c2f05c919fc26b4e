// The container registry production's image look-up asks: Debian's docker-registry (distribution 2.8.2,
// scripts/install-system-packages.sh) with TLS and htpasswd auth on 127.0.0.1, to which crane v0.22.1
// (tools/build-cluster.sh) pushes small test images.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { httpStatus } from "../shared/http";
import { freePort } from "../shared/ports";
import { Proc, Result, runCommand, RunOptions, startProcess } from "../shared/process";
import { waitFor } from "../shared/wait";
import { serverCertificate, writeFile } from "./pki";

/** Debian's docker-registry package (the CNCF distribution server). */
export const registryBinary = "/usr/bin/docker-registry";

/** The user and password the registry accepts (htpasswd, bcrypt), which the program's config also gives. */
export interface RegistryCredentials {
    username: string;
    password: string;
}

export class Registry {
    private constructor(
        /** 127.0.0.1 and a free port. */
        readonly host: string,
        readonly proc: Proc,
        private readonly dir: string,
        private readonly caFile: string,
        private readonly binDir: string,
    ) {}

    /**
     * The registry: distribution 2.8.2's `serve <config>` (configuration/configuration.go at v2.8.2: storage
     * filesystem.rootdirectory, http.addr, http.tls.certificate and key, auth.htpasswd realm and path, whose
     * entries must be bcrypt: registry/auth/htpasswd/htpasswd.go), with a certificate for IP 127.0.0.1 from
     * the suite's CA (in `dir`) and one user. crane gets the CA through SSL_CERT_FILE and the user through a
     * docker config.json in DOCKER_CONFIG; the docker stand-in through NODE_EXTRA_CA_CERTS and the program's config.
     */
    static async start(dir: string, caFile: string, binDir: string, credentials: RegistryCredentials): Promise<Registry> {
        if (!fs.existsSync(registryBinary)) throw new Error(`${registryBinary} is not installed: run scripts/install-system-packages.sh`);
        const host = `127.0.0.1:${await freePort()}`;
        const tls = serverCertificate(dir, "registry", "/CN=argus-suite-registry", "IP:127.0.0.1");
        const { username, password } = credentials;
        // bcrypt through glibc's crypt(3) ($2b$), as Debian's python3 offers it; the password on stdin.
        const hash = execFileSync("python3", ["-W", "ignore", "-c", "import crypt, sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH)))"], { input: password, encoding: "utf8" }).trim();
        if (!hash.startsWith("$2")) throw new Error("python3's crypt made no bcrypt hash for the registry's htpasswd");
        writeFile(dir, "htpasswd", `${username}:${hash}\n`);
        fs.mkdirSync(path.join(dir, "docker"));
        const auth = Buffer.from(`${username}:${password}`).toString("base64");
        writeFile(dir, path.join("docker", "config.json"), JSON.stringify({ auths: { [host]: { auth } } }));
        const config = [
            "version: 0.1",
            "log:",
            "  level: info",
            "storage:",
            "  filesystem:",
            `    rootdirectory: ${path.join(dir, "registry")}`,
            "http:",
            `  addr: ${host}`,
            "  tls:",
            `    certificate: ${tls.cert}`,
            `    key: ${tls.key}`,
            "auth:",
            "  htpasswd:",
            "    realm: argus-cluster-suite",
            `    path: ${path.join(dir, "htpasswd")}`,
            "",
        ].join("\n");
        const configFile = writeFile(dir, "registry.yml", config);
        const proc = startProcess("docker-registry", registryBinary, ["serve", configFile], { cwd: dir, logFile: path.join(dir, "logs", "docker-registry.log") });
        const registry = new Registry(host, proc, dir, caFile, binDir);
        const ca = fs.readFileSync(caFile);
        await waitFor(
            async () => {
                if (!proc.alive) throw new Error(`docker-registry exited with ${proc.exitCode} while waiting for the registry`);
                return (await httpStatus(`https://${host}/v2/`, { ca, headers: { Authorization: `Basic ${auth}` } })) === 200;
            },
            30_000,
            () => "waiting for the registry",
            250,
        );
        return registry;
    }

    /** crane with the suite's CA (SSL_CERT_FILE, no --insecure) and the registry's user (DOCKER_CONFIG). */
    crane(args: string[], opts: RunOptions = {}): Promise<Result> {
        return runCommand(path.join(this.binDir, "crane"), args, { cwd: this.dir, ...opts, env: { ...process.env, SSL_CERT_FILE: this.caFile, DOCKER_CONFIG: path.join(this.dir, "docker"), ...opts.env } });
    }

    /**
     * Pushes a small test image (one layer holding a file that names it, on crane's empty base) under
     * `reference` and returns the digest the registry reports for it (`crane digest`).
     */
    async pushTestImage(reference: string): Promise<string> {
        const dir = fs.mkdtempSync(path.join(this.dir, "image-"));
        fs.mkdirSync(path.join(dir, "layer"));
        fs.writeFileSync(path.join(dir, "layer", "image.txt"), `argus cluster suite test image ${reference}\n`);
        execFileSync("tar", ["-cf", path.join(dir, "layer.tar"), "-C", path.join(dir, "layer"), "image.txt"]);
        const pushed = await this.crane(["append", "-f", path.join(dir, "layer.tar"), "-t", reference]);
        if (pushed.code !== 0) throw new Error(`crane append -t ${reference}: ${pushed.output}`);
        const digest = await this.crane(["digest", reference]);
        if (digest.code !== 0 || !/^sha256:[0-9a-f]{64}$/.test(digest.stdout.trim())) throw new Error(`crane digest ${reference}: ${digest.output}`);
        return digest.stdout.trim();
    }
}
