// STAND-IN for pulumi-resource-docker, for the engine and cluster suites only (realworld/engine,
// realworld/cluster): the real plugin is not served by the Go module proxy here and this machine has no docker
// daemon (tools/build.sh). It implements exactly what our program uses (components/image.ts): the docker
// provider (explicit, with registryAuth), docker.Image and the docker.getRegistryImage function.
// docker.Image builds nothing: its digest is made up from the inputs, or, with ARGUS_STANDIN_PUSH=registry (the
// pipeline suite), it pushes a small image of its own under the reference and reports the registry's digest
// (push.ts). docker.getRegistryImage asks
// the registry, as the real plugin does (below), unless ARGUS_STANDIN_REGISTRY=offline (the engine suite, which
// has no registry), where its digest is made up from the name. Never use it to deploy.
import * as crypto from "crypto";
import * as path from "path";
import * as provider from "@pulumi/pulumi/provider";
import { deepPlain, plain, replaceOnAnyChange, standInDigest } from "./common";
import { pushStandInImage } from "./push";

const version: string = require("@pulumi/docker/package.json").version;

function repository(imageName: string): string {
    // A reference's repository is what precedes a ":tag" after its last "/" (distribution/reference).
    const slash = imageName.lastIndexOf("/");
    const colon = imageName.indexOf(":", slash + 1);
    return colon < 0 ? imageName : imageName.slice(0, colon);
}

// --- The registry look-up, as the real plugin makes it. @pulumi/docker 4.11.2 is pulumi-docker v4.11.2, whose
// provider bridges kreuzwerker/terraform-provider-docker at commit d7d7ff7f (its `upstream` submodule; tag
// v3.9.0) with three patches, none of which touches this function except the HTTP client's TLS settings
// (patches/0003-do-not-create-empty-TLS-config.patch: the default client unless insecureSkipVerify).
// Facts read in internal/provider/data_source_docker_registry_image.go, authentication_helpers.go,
// resource_docker_image_funcs.go (parseImageOptions) and provider.go (providerSetToRegistryAuth), at v3.9.0:
// - the name splits into a registry (its first path element, when it contains "." or ":" or is localhost, or
//   when the name has more than one "/"; else registry-1.docker.io with "library/" for a bare name), a
//   repository and a tag (after the first ":" past the registry; "latest" when none; a digest after "@" wins);
// - credentials are the provider's registryAuth entry whose address (scheme and path stripped) is that
//   registry; without one, none, and the URL is https://<registry>;
// - a HEAD of <https://registry>/v2/<repository>/manifests/<tag>, accepting Docker schema 2 manifests and lists
//   and OCI manifests and indexes, with basic auth when a username is known (ghcr.io, gcr.io, ECR and Azure
//   get a bearer header instead: not implemented here, our registry is none of them);
// - 200: the digest is the Docker-Content-Digest header, else sha256 of the body (empty for a HEAD: an error);
//   401 with a Bearer challenge: a token from the realm (basic auth, service, scope or
//   repository:<repo>:push,pull), then HEAD, then GET, with it; 401 otherwise: "bad credentials: <status>";
//   anything else: "got bad response from registry: <status>";
// - on any error, once more accepting only schema 1 (prettyjws); if that fails too, the error is
//   "Got error when attempting to fetch image version <repository>:<tag> from registry: <second error>".

export interface RegistryAuth {
    address: string;
    username?: string;
    password?: string;
}

/**
 * The provider's registryAuth, from Configure. @pulumi/pulumi's provider server (v3.248.0, provider/server.js
 * `configure`) answers Configure without passing its arguments to the provider, so they are read here from the
 * gRPC request before it: the one ResourceProvider service @pulumi/pulumi/provider registers with grpc-js gets
 * a configure that keeps them. The CLI starts one plugin process per provider resource, so one per ArgusImage.
 */
let registryAuth: RegistryAuth[] = [];

function readRegistryAuth(args: Record<string, unknown>): RegistryAuth[] {
    // Object-valued provider inputs may arrive JSON-encoded as strings (the engine's config variables do).
    let value = deepPlain(args?.registryAuth);
    if (typeof value === "string") value = JSON.parse(value);
    return Array.isArray(value) ? (value as RegistryAuth[]).filter((a) => a && typeof a.address === "string") : [];
}

function keepConfigureArgs(): void {
    const grpcPath = require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const grpc = require(grpcPath);
    const addService = grpc.Server.prototype.addService;
    type Configure = (call: { request: { getArgs(): { toJavaScript(): Record<string, unknown> } | undefined } }, callback: unknown) => unknown;
    grpc.Server.prototype.addService = function (service: unknown, impl: { configure?: Configure }) {
        const configure = impl.configure;
        if (typeof configure === "function") {
            impl.configure = function (call, callback) {
                registryAuth = readRegistryAuth(call.request.getArgs()?.toJavaScript() ?? {});
                return configure.call(impl, call, callback);
            };
        }
        return addService.call(this, service, impl);
    };
}

interface ImageName {
    registry: string;
    repository: string;
    tag: string;
}

/** parseImageOptions's split of a name (resource_docker_image_funcs.go, v3.9.0), restated. */
export function parseImageName(name: string): ImageName {
    let registry = "";
    let repository = name;
    let tag = "";
    const firstSlash = name.indexOf("/");
    const slashes = name.split("/").length - 1;
    if (slashes > 1 || (firstSlash !== -1 && (/[.:]/.test(name.slice(0, firstSlash)) || name.slice(0, firstSlash) === "localhost"))) {
        registry = name.slice(0, firstSlash);
    }
    const colon = name.indexOf(":", registry.length);
    if (colon !== -1) {
        repository = name.slice(0, colon);
        tag = name.slice(colon + 1);
        const at = tag.indexOf("@");
        if (at !== -1) tag = tag.slice(at + 1);
    }
    if (!tag) tag = "latest";
    if (!registry) {
        registry = "registry-1.docker.io";
        if (!repository.includes("/")) repository = `library/${repository}`;
    } else {
        repository = repository.replace(`${registry}/`, "");
    }
    return { registry, repository, tag };
}

function hostname(address: string): string {
    return address.replace(/^https?:\/\//, "").split("/")[0];
}

function basic(username: string, password: string): string {
    return "Basic " + Buffer.from(`${username}:${password}`).toString("base64");
}

const manifestTypes = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
];
const schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";

const status = (res: Response) => `${res.status} ${res.statusText}`;

async function request(url: string, method: string, headers: Headers): Promise<Response> {
    try {
        return await fetch(url, { method, headers });
    } catch (err) {
        const cause = (err as { cause?: Error }).cause;
        throw new Error(`Error during registry request: ${cause?.message ?? (err as Error).message}`);
    }
}

async function digestOf(res: Response): Promise<string> {
    const header = res.headers.get("Docker-Content-Digest");
    if (header) return header;
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length === 0) throw new Error("error reading registry response body: <nil>");
    return "sha256:" + crypto.createHash("sha256").update(body).digest("hex");
}

async function getImageDigest(image: ImageName, base: string, username: string, password: string, fallback: boolean): Promise<string> {
    const url = `${base}/v2/${image.repository}/manifests/${image.tag}`;
    const headers = new Headers();
    if (username) headers.set("Authorization", basic(username, password));
    if (fallback) headers.set("Accept", schema1);
    else for (const type of manifestTypes) headers.append("Accept", type);

    const res = await request(url, "HEAD", headers);
    if (res.status === 200) return digestOf(res);
    if (res.status !== 401) throw new Error(`got bad response from registry: ${status(res)}`);

    const challenge = res.headers.get("www-authenticate") ?? "";
    if (!challenge.startsWith("Bearer")) throw new Error(`bad credentials: ${status(res)}`);
    const params: Record<string, string> = {};
    for (const m of challenge.slice("Bearer".length).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
    const query = new URLSearchParams({ service: params.service ?? "", scope: params.scope || `repository:${image.repository}:push,pull` });
    const tokenHeaders = new Headers();
    if (username) tokenHeaders.set("Authorization", basic(username, password));
    const tokenRes = await request(`${params.realm}?${query}`, "GET", tokenHeaders);
    if (tokenRes.status !== 200) throw new Error(`got bad response from registry: ${status(tokenRes)}`);
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    const token = body.token || body.access_token;
    if (!token) throw new Error("Error unsupported OAuth response");
    headers.set("Authorization", `Bearer ${token}`);
    const head = await request(url, "HEAD", headers);
    if (head.status !== 200) throw new Error(`got bad response from registry: ${status(head)}`);
    if (head.headers.get("Docker-Content-Digest")) return digestOf(head);
    const get = await request(url, "GET", headers);
    if (get.status !== 200) throw new Error(`got bad response from registry: ${status(get)}`);
    return digestOf(get);
}

/** The digest the registry reports for `name`, with the credentials of `auths` for its registry. */
export async function lookUp(name: string, auths: RegistryAuth[]): Promise<string> {
    const image = parseImageName(name);
    const auth = auths.find((a) => hostname(a.address) === image.registry);
    const base = auth ? (auth.address.startsWith("http://") ? auth.address : `https://${auth.address.replace(/^https:\/\//, "")}`) : `https://${image.registry}`;
    const username = auth?.username ?? "";
    const password = auth?.password ?? "";
    try {
        return await getImageDigest(image, base, username, password, false);
    } catch {
        try {
            return await getImageDigest(image, base, username, password, true);
        } catch (err) {
            throw new Error(`Got error when attempting to fetch image version ${image.repository}:${image.tag} from registry: ${(err as Error).message}`);
        }
    }
}

/** The push of ARGUS_STANDIN_PUSH=registry (push.ts), with the Image's own `registry` credentials. */
function push(imageName: string, inputs: Record<string, unknown>): Promise<string> {
    const registry = deepPlain(inputs.registry) as { username?: string; password?: string } | undefined;
    const authorization = registry?.username ? basic(registry.username, registry.password ?? "") : undefined;
    return pushStandInImage(parseImageName(imageName), imageName, deepPlain(inputs.build), authorization);
}

const standIn: provider.Provider = {
    version,
    async diff(_id, _urn, olds, news) {
        return replaceOnAnyChange(olds, news, ["baseImageName", "repoDigest"]);
    },
    async create(urn, inputs) {
        if (!urn.includes("docker:index/image:Image")) throw new Error(`stand-in docker plugin: ${urn} is not implemented`);
        const imageName = String(plain(inputs.imageName));
        const digest = process.env.ARGUS_STANDIN_PUSH === "registry" ? await push(imageName, inputs) : standInDigest(imageName, inputs.build);
        return { id: `${imageName}-stand-in`, outs: { ...inputs, baseImageName: imageName, repoDigest: `${repository(imageName)}@${digest}` } };
    },
    async delete() {},
    async invoke(token, inputs) {
        if (token !== "docker:index/getRegistryImage:getRegistryImage") throw new Error(`stand-in docker plugin: ${token} is not implemented`);
        const name = String(plain(inputs.name));
        const insecureSkipVerify = plain(inputs.insecureSkipVerify) === true;
        if (insecureSkipVerify) throw new Error("stand-in docker plugin: insecureSkipVerify is not implemented");
        const digest = process.env.ARGUS_STANDIN_REGISTRY === "offline" ? standInDigest(name) : await lookUp(name, registryAuth);
        // The data source's id and sha256_digest are both the digest (data_source_docker_registry_image.go, v3.9.0).
        return { outputs: { id: digest, name, sha256Digest: digest, insecureSkipVerify } };
    },
};

if (require.main === module) {
    keepConfigureArgs();
    provider.main(standIn, process.argv.slice(2));
}
