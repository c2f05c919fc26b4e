// STAND-IN for pulumi-resource-random, for the engine suite only (realworld/engine): the real plugin is not
// served by the Go module proxy here (tools/build.sh). It implements exactly what our program uses:
// random.RandomPassword (components/api, components/argus). Never use it to deploy.
import * as crypto from "crypto";
import * as provider from "@pulumi/pulumi/provider";
import { plain, replaceOnAnyChange } from "./common";

// The SDK asks for the plugin at its own package version (@pulumi/random package.json); we answer with it so
// the CLI takes this stand-in for the plugin it wants.
const version: string = require("@pulumi/random/package.json").version;

// Character classes as the Terraform random provider documents them for random_password
// (`special`, `upper`, `lower`, `numeric`, `override_special`, `length`).
function password(inputs: Record<string, unknown>): string {
    const length = Number(plain(inputs.length));
    const on = (key: string) => plain(inputs[key]) !== false;
    let chars = "";
    if (on("lower")) chars += "abcdefghijklmnopqrstuvwxyz";
    if (on("upper")) chars += "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if (on("numeric")) chars += "0123456789";
    if (on("special")) chars += (plain(inputs.overrideSpecial) as string | undefined) ?? "!@#$%&*()-_=+[]{}<>:?";
    let out = "";
    for (let i = 0; i < length; i++) out += chars[crypto.randomInt(chars.length)];
    return out;
}

const standIn: provider.Provider = {
    version,
    async diff(_id, _urn, olds, news) {
        return replaceOnAnyChange(olds, news, ["result", "bcryptHash"]);
    },
    async create(urn, inputs) {
        if (!urn.includes("random:index/randomPassword:RandomPassword")) throw new Error(`stand-in random plugin: ${urn} is not implemented`);
        const result = password(inputs);
        return { id: "none", outs: { ...inputs, result, bcryptHash: "stand-in-no-bcrypt" } };
    },
    async delete() {},
};

provider.main(standIn, process.argv.slice(2));
