// What the docker stand-in's Image does when ARGUS_STANDIN_PUSH=registry (the pipeline suite, realworld/pipeline,
// whose production deploy must run exactly the digests staging pushed): instead of building, it pushes a small
// image of its own under the reference the real plugin would push, so the registry holds the tag and the digest
// the program reports, and a later docker.getRegistryImage of that tag finds them. The image is one config blob
// naming the reference and a hash of the build's inputs, no layers: nothing runs it (the suite's node is kwok).
// The registry HTTP API v2's monolithic push (the OCI distribution spec; not read here at the server's version,
// but what Debian's docker-registry 2.8.2 accepts in the pipeline suite): POST /v2/<name>/blobs/uploads/ answers 202
// with a Location, PUT <location> with ?digest= stores the blob (201), PUT /v2/<name>/manifests/<tag> stores the
// manifest and answers 201 with Docker-Content-Digest. Basic auth, as the registry's htpasswd asks.
import * as crypto from "crypto";

/** Where to push: the registry's host, the repository and the tag (docker.ts parseImageName). */
export interface PushTarget {
    registry: string;
    repository: string;
    tag: string;
}

const sha256 = (data: Buffer) => "sha256:" + crypto.createHash("sha256").update(data).digest("hex");

async function expectStatus(res: Response, expected: number, what: string): Promise<Response> {
    if (res.status !== expected) throw new Error(`stand-in push: ${what}: ${res.status} ${res.statusText} ${await res.text()}`);
    return res;
}

/**
 * Pushes a one-blob image to `image` (named `reference` in it) with the `Authorization` header given (none when
 * undefined); returns the registry's digest of it.
 */
export async function pushStandInImage(image: PushTarget, reference: string, buildInputs: unknown, authorization?: string): Promise<string> {
    const base = `https://${image.registry}/v2/${image.repository}`;
    const auth: Record<string, string> = authorization ? { Authorization: authorization } : {};
    const config = Buffer.from(
        JSON.stringify({
            architecture: "amd64",
            os: "linux",
            config: { Labels: { "org.argus.stand-in.reference": reference, "org.argus.stand-in.build": sha256(Buffer.from(JSON.stringify(buildInputs))) } },
            rootfs: { type: "layers", diff_ids: [] },
        }),
    );
    const configDigest = sha256(config);
    const upload = await expectStatus(await fetch(`${base}/blobs/uploads/`, { method: "POST", headers: auth }), 202, `POST ${base}/blobs/uploads/`);
    const location = new URL(upload.headers.get("Location") ?? "", `https://${image.registry}`);
    location.searchParams.set("digest", configDigest);
    await expectStatus(await fetch(location, { method: "PUT", headers: { ...auth, "Content-Type": "application/octet-stream" }, body: config }), 201, `PUT the config blob of ${reference}`);
    const mediaType = "application/vnd.oci.image.manifest.v1+json";
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length }, layers: [] });
    const put = await expectStatus(
        await fetch(`${base}/manifests/${image.tag}`, { method: "PUT", headers: { ...auth, "Content-Type": mediaType }, body: manifest }),
        201,
        `PUT the manifest of ${reference}`,
    );
    return put.headers.get("Docker-Content-Digest") ?? sha256(Buffer.from(manifest));
}
