#!/usr/bin/env node
// A stand-in for the `pulumi` CLI, on PATH in the tests of ci/stack.sh. It records each call (never a value
// read from standard input) in $PULUMI_STAND_IN_LOG, keeps stacks as files in $PULUMI_STAND_IN_BACKEND, and
// keeps each stack's config in Pulumi.<stack>.yaml of the working folder as the CLI does. Before preview,
// up, refresh and destroy it checks the stack's config as the CLI does (render/engineConfig.ts follows
// ValidateStackConfigAndApplyProjectConfig of pulumi v3.248.0) and fails with the CLI's message.
"use strict";
const fs = require("fs");
const path = require("path");
const projectRoot = path.resolve(__dirname, "..", "..");
const yaml = require("js-yaml");

const args = process.argv.slice(2);
const backend = process.env.PULUMI_STAND_IN_BACKEND;
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && ["--stack"].includes(args[i - 1])));
const fail = (message) => {
    console.error(`error: ${message}`);
    process.exit(255);
};
const stackFile = (stack) => path.join(process.cwd(), `Pulumi.${stack}.yaml`);
const readStack = (stack) => (fs.existsSync(stackFile(stack)) ? yaml.load(fs.readFileSync(stackFile(stack), "utf8")) || {} : {});
const exists = (stack) => fs.existsSync(path.join(backend, stack));

fs.appendFileSync(process.env.PULUMI_STAND_IN_LOG, `${args.join(" ")}\n`);
const [command, sub] = positional;
if (command === "login") {
    process.exit(0);
} else if (command === "stack" && sub === "select") {
    const stack = positional[2];
    if (!exists(stack)) {
        if (!args.includes("--create")) fail(`no stack named '${stack}' found`);
        fs.writeFileSync(path.join(backend, stack), "");
    }
} else if (command === "stack" && sub === "export") {
    // The stack's resources: those its last `up` left (the backend file holds them), none before.
    const stack = flag("--stack");
    if (!exists(stack)) fail(`no stack named '${stack}' found`);
    const recorded = fs.readFileSync(path.join(backend, stack), "utf8");
    console.log(JSON.stringify({ version: 3, deployment: { resources: recorded ? JSON.parse(recorded) : [] } }));
} else if (command === "stack" && sub === "rm") {
    const stack = flag("--stack");
    if (!exists(stack)) fail(`no stack named '${stack}' found`);
    fs.rmSync(path.join(backend, stack));
} else if (command === "config" && sub === "set") {
    const stack = flag("--stack");
    const [key, value] = positional.slice(2);
    const file = readStack(stack);
    file.config = { ...(file.config || {}), [`argus:${key}`]: args.includes("--secret") ? { secure: `v1:${fs.readFileSync(0).length}` } : value };
    fs.writeFileSync(stackFile(stack), yaml.dump(file));
} else if (command === "config" && sub === "get") {
    const value = (readStack(flag("--stack")).config || {})[`argus:${positional[2]}`];
    if (value === undefined) fail(`configuration key '${positional[2]}' not found for stack '${flag("--stack")}'`);
    console.log(typeof value === "object" ? "[secret]" : String(value));
} else if (["preview", "up", "destroy", "refresh"].includes(command)) {
    const stack = flag("--stack");
    if (!exists(stack)) fail(`no stack named '${stack}' found`);
    const config = readStack(stack).config || {};
    const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "object" ? "secret" : String(v)]));
    const secretKeys = Object.keys(config).filter((k) => typeof config[k] === "object");
    // Loaded here only: compiling the TypeScript costs most of a call, and most calls are `config set`.
    require(path.join(projectRoot, "scripts", "register-ts.js"));
    const { applyProjectConfig, readProjectFile } = require(path.join(projectRoot, "render", "engineConfig.ts"));
    try {
        applyProjectConfig(stack, { values, secretKeys }, readProjectFile(process.cwd()));
    } catch (err) {
        console.error(err.message.split("\n")[0]);
        process.exit(255);
    }
    if (command === "up") fs.writeFileSync(path.join(backend, stack), JSON.stringify([{ urn: `urn:pulumi:${stack}::argus::pulumi:pulumi:Stack::argus-${stack}` }]));
    if (command === "destroy" && args.includes("--remove")) fs.rmSync(path.join(backend, stack));
    // A preview prints the JSON and exits with the code the test gives (what ci/stack.sh drift reads).
    if (command === "preview" && process.env.PULUMI_STAND_IN_PREVIEW_JSON) {
        process.stdout.write(fs.readFileSync(process.env.PULUMI_STAND_IN_PREVIEW_JSON));
        process.exitCode = Number(process.env.PULUMI_STAND_IN_PREVIEW_EXIT ?? 0);
    }
} else {
    fail(`the stand-in does not know "${args.join(" ")}"`);
}
