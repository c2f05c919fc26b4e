// STAND-IN for pulumi-resource-docker, for the engine suite only (realworld/engine): the real plugin is not
// served by the Go module proxy here and this machine has no docker daemon (tools/build.sh). It implements
// exactly what our program uses (components/image.ts): the docker provider (explicit, with registryAuth),
// docker.Image and the docker.getRegistryImage function. It builds and pushes nothing and contacts no
// registry: digests are made up from the inputs. Never use it to deploy.
import * as provider from "@pulumi/pulumi/provider";
import { plain, replaceOnAnyChange, standInDigest } from "./common";

const version: string = require("@pulumi/docker/package.json").version;

function repository(imageName: string): string {
    // A reference's repository is what precedes a ":tag" after its last "/" (distribution/reference).
    const slash = imageName.lastIndexOf("/");
    const colon = imageName.indexOf(":", slash + 1);
    return colon < 0 ? imageName : imageName.slice(0, colon);
}

const standIn: provider.Provider = {
    version,
    async diff(_id, _urn, olds, news) {
        return replaceOnAnyChange(olds, news, ["baseImageName", "repoDigest"]);
    },
    async create(urn, inputs) {
        if (!urn.includes("docker:index/image:Image")) throw new Error(`stand-in docker plugin: ${urn} is not implemented`);
        const imageName = String(plain(inputs.imageName));
        const digest = standInDigest(imageName, inputs.build);
        return { id: `${imageName}-stand-in`, outs: { ...inputs, baseImageName: imageName, repoDigest: `${repository(imageName)}@${digest}` } };
    },
    async delete() {},
    async invoke(token, inputs) {
        if (token !== "docker:index/getRegistryImage:getRegistryImage") throw new Error(`stand-in docker plugin: ${token} is not implemented`);
        const name = String(plain(inputs.name));
        return { outputs: { id: name, name, sha256Digest: standInDigest(name), insecureSkipVerify: false } };
    },
};

provider.main(standIn, process.argv.slice(2));
