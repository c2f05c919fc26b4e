// Writes the config declarations of Pulumi.yaml and the config table at the end of README.md from
// stacks/schema.ts, the one place keys are defined. Run after changing the schema: npm run sync-schema.
// tests/schema.test.ts fails when either file is out of step.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ConfigKeySpec, configSchema } from "../stacks/schema";

const root = path.resolve(__dirname, "..");
const specs = Object.entries(configSchema as Record<string, ConfigKeySpec>);

const pulumiYamlFile = path.join(root, "Pulumi.yaml");
const project = yaml.load(fs.readFileSync(pulumiYamlFile, "utf8")) as Record<string, unknown>;
const header = fs.readFileSync(pulumiYamlFile, "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
project.config = Object.fromEntries(
    specs.map(([key, spec]) => [key, { type: spec.type, description: spec.description, ...("default" in spec ? { default: spec.default } : {}) }]),
);
fs.writeFileSync(pulumiYamlFile, `${header}\n${yaml.dump(project, { lineWidth: -1, noRefs: true })}`);

const readmeFile = path.join(root, "README.md");
const readme = fs.readFileSync(readmeFile, "utf8");
const tableStart = readme.indexOf("| key | type | default | what it is |");
const shownDefault = (spec: ConfigKeySpec) => (spec.default === undefined ? "(required)" : spec.default === "" ? "(empty)" : `\`${spec.default}\``);
const rows = specs.map(([key, spec]) => `| \`${key}\` | ${spec.type}${spec.secret ? ", secret" : ""} | ${shownDefault(spec)} | ${spec.description.replace(/\|/g, "\\|")} |`);
fs.writeFileSync(readmeFile, `${readme.slice(0, tableStart)}| key | type | default | what it is |\n|---|---|---|---|\n${rows.join("\n")}\n`);
