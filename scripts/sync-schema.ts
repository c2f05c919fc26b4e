// Writes the config declarations of Pulumi.yaml and the key table at the end of docs/configuration.md from
// stacks/schema.ts, which merges the key tables of the config sections (stacks/sections/). Run after adding or
// changing a key: npm run sync-schema. tests/config/schemaFiles.test.ts fails when either file is out of step.
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { ConfigKeySpec, configSchema } from "../stacks/schema";
import { projectRoot } from "../util/projectRoot";

const specs = Object.entries(configSchema as Record<string, ConfigKeySpec>);

/** The configuration reference; the key table is the end of the file, from its header on. */
export const configurationReference = path.join(projectRoot, "docs", "configuration.md");
export const keyTableHeader = "| key | type | default | what it is |";

/** The key table's lines after its header: the separator, then one row per key, in the schema's order. */
export function keyTableRows(): string[] {
    const shownDefault = (spec: ConfigKeySpec) => (spec.default === undefined ? "(required)" : spec.default === "" ? "(empty)" : `\`${spec.default}\``);
    return ["|---|---|---|---|", ...specs.map(([key, spec]) => `| \`${key}\` | ${spec.type}${spec.secret ? ", secret" : ""} | ${shownDefault(spec)} | ${spec.description.replace(/\|/g, "\\|")} |`)];
}

function writePulumiYaml(): void {
    const pulumiYamlFile = path.join(projectRoot, "Pulumi.yaml");
    const project = yaml.load(fs.readFileSync(pulumiYamlFile, "utf8")) as Record<string, unknown>;
    const header = fs.readFileSync(pulumiYamlFile, "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
    project.config = Object.fromEntries(
        specs.map(([key, spec]) => [key, { type: spec.type, description: spec.description, ...("default" in spec ? { default: spec.default } : {}) }]),
    );
    fs.writeFileSync(pulumiYamlFile, `${header}\n${yaml.dump(project, { lineWidth: -1, noRefs: true })}`);
}

function writeKeyTable(): void {
    const reference = fs.readFileSync(configurationReference, "utf8");
    const tableStart = reference.indexOf(keyTableHeader);
    if (tableStart < 0) {
        throw new Error(`${path.relative(projectRoot, configurationReference)} has no line "${keyTableHeader}" for the key table to follow.`);
    }
    fs.writeFileSync(configurationReference, `${reference.slice(0, tableStart)}${[keyTableHeader, ...keyTableRows()].join("\n")}\n`);
}

if (require.main === module) {
    writePulumiYaml();
    writeKeyTable();
}
