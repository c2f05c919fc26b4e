import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { fixedEnvironmentRights, reviewRoles } from "../../deployers/identities";
import { PolicyRule } from "../../deployers/rights";
import { projectRoot } from "../../util/projectRoot";

// docs/operations.md names each right a deployer identity holds and why (issue #29): this keeps the table in
// step with the objects deployers/ makes, both ways.

/** The rows of the markdown table that follows `heading`: each row's cells, trimmed. */
function tableAfter(markdown: string, heading: string): string[][] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((l) => l.startsWith(heading));
    expect(start, `"${heading}" in docs/operations.md`).to.be.greaterThan(-1);
    const first = lines.findIndex((l, i) => i > start && l.startsWith("|"));
    const end = lines.findIndex((l, i) => i > first && !l.startsWith("|"));
    const rows = lines.slice(first, end);
    return rows.slice(2).map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()));
}

/** The names in backquotes of one cell. */
const quoted = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** Every rule of every identity's Roles and ClusterRoles. */
function allRules(): PolicyRule[] {
    const objects = [...fixedEnvironmentRights("production"), ...fixedEnvironmentRights("staging"), ...reviewRoles()];
    return objects.filter((o) => o.kind === "Role" || o.kind === "ClusterRole").flatMap((o) => (o as unknown as { rules: PolicyRule[] }).rules);
}

describe("docs/operations.md names each right of the deployers and why", () => {
    let rows: { names: string[]; verbs: string[]; why: string }[];
    before(() => {
        const markdown = fs.readFileSync(path.join(projectRoot, "docs/operations.md"), "utf8");
        rows = tableAfter(markdown, "Each right, and why").map(([resources, verbs, why]) => ({
            names: quoted(resources),
            verbs: verbs.split(",").map((v) => v.trim()),
            why,
        }));
    });

    it("every resource of every rule is in a row that lists its verbs and says why", () => {
        const missing = allRules().flatMap((rule) =>
            (rule.resourceNames ?? rule.resources).flatMap((name, i) => {
                const resource = rule.resourceNames ? rule.resources[0] : name;
                const row = rows.find((r) => r.names.includes(resource) && (!rule.resourceNames || r.names.includes(rule.resourceNames[i])));
                const lacking = rule.verbs.filter((v) => !row?.verbs.includes(v));
                return !row || lacking.length > 0 || row.why.length < 20 ? [`${rule.apiGroups[0]}/${resource} ${lacking.join(",") || "(no reason)"}`] : [];
            }),
        );
        expect(missing).to.deep.equal([]);
    });

    it("names no resource, group or role no identity holds", () => {
        const rules = allRules();
        const known = new Set(rules.flatMap((r) => [...r.resources, ...r.apiGroups, ...(r.resourceNames ?? [])]));
        expect(rows.flatMap((r) => r.names).filter((n) => !known.has(n))).to.deep.equal([]);
    });
});
