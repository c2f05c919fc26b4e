/**
 * The official postgres image (a review app's own database), run with Debian's PostgreSQL 15: the image's
 * ENTRYPOINT as postgres-entrypoint.sh, its CMD `postgres` with the image's listen_addresses '*' and port
 * translated, its binaries first on PATH (the image appends /usr/lib/postgresql/15/bin to its PATH), and its
 * `postgres` user, uid 999, in /etc/passwd (initdb needs a name for its uid). Facts: docker-library/postgres
 * 15/bookworm/Dockerfile, commit 21d6964959.
 */
import * as fs from "fs";
import * as path from "path";
import { makeDir } from "../shared/scratch";
import { pathOfDebian } from "./image";
import { Mount } from "./sandbox";

/** The folder of postgres-entrypoint.sh, mounted here before the Pod's volumes (its `/tmp` would hide a checkout under /tmp). */
const postgresEntrypointMount = "/opt/argus-deploy/postgres-image";
export const postgresImage = {
    matches: (image: string) => /(^|\/)postgres:15[.-]/.test(image),
    path: `/usr/lib/postgresql/15/bin:${pathOfDebian}`,
    entrypointMount: postgresEntrypointMount,
    argv: [`${postgresEntrypointMount}/postgres-entrypoint.sh`, "postgres", "-c", "listen_addresses=127.0.0.1", "-p", "5432"],
    passwdLine: "postgres:x:999:999::/var/lib/postgresql:/bin/bash",
};

let imagePasswd: string | undefined;
/** The host's /etc/passwd plus the postgres image's user, bind-mounted over /etc/passwd in its containers. */
function postgresImagePasswd(): string {
    if (!imagePasswd) {
        imagePasswd = path.join(makeDir("postgres-image-etc", 0o755), "passwd");
        fs.writeFileSync(imagePasswd, `${fs.readFileSync("/etc/passwd", "utf8").trimEnd()}\n${postgresImage.passwdLine}\n`, { mode: 0o644 });
    }
    return imagePasswd;
}

/** The mounts a postgres container gets before its volumes: the image's /etc/passwd, the entrypoint's folder (this one). */
export function postgresImageMounts(): Mount[] {
    return [
        { source: postgresImagePasswd(), target: "/etc/passwd" },
        { source: __dirname, target: postgresImage.entrypointMount },
    ];
}
