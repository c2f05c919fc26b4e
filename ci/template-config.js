// Prints the plain config of a stack template (Pulumi.review.yaml) as "key<TAB>value" lines, without the
// namespace, for ci/stack.sh to set one by one. Refuses secure values: a template is shared by many stacks.
"use strict";
const fs = require("fs");
const yaml = require("js-yaml");

const file = process.argv[2];
const config = (yaml.load(fs.readFileSync(file, "utf8")) || {}).config || {};
for (const [fullKey, value] of Object.entries(config)) {
    if (typeof value === "object" && value !== null) {
        console.error(`${file}: ${fullKey} is not a plain value; a template shared by stacks holds no secrets.`);
        process.exit(1);
    }
    const key = fullKey.replace(/^argus:/, "");
    if (/[\t\n]/.test(String(value))) {
        console.error(`${file}: ${fullKey} has a tab or newline, which ci/stack.sh cannot pass on.`);
        process.exit(1);
    }
    console.log(`${key}\t${value}`);
}
