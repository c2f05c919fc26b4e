import { RecordedResource } from "./mocks";
import { compareText } from "../util/compare";

/** The resource tree as `pulumi preview` shows it for a new stack: every resource to create, under its parent. */
export function resourceTree(resources: RecordedResource[]): string {
    const key = (r: RecordedResource) => `${r.type}::${r.name}`;
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const typeWidth = Math.max(...resources.map((r) => r.type.length)) + 12;
    const lines = [`     ${"Type".padEnd(typeWidth)} Name`];
    const walk = (parent: string | undefined, indent: string) => {
        const list = [...(children.get(parent) ?? [])].sort((a, b) => compareText(a.name, b.name) || compareText(a.type, b.type));
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            lines.push(` +   ${(indent + branch + r.type).padEnd(typeWidth)} ${r.name}`);
            walk(key(r), parent === undefined ? "" : indent + (last ? "   " : "│  "));
        });
    };
    walk(undefined, "");
    return lines.join("\n");
}

/** How many resources of each type, as `pulumi preview` sums up. */
export function typeCounts(resources: RecordedResource[]): string {
    const counts = new Map<string, number>();
    resources.forEach((r) => counts.set(r.type, (counts.get(r.type) ?? 0) + 1));
    const rows = [...counts.entries()].sort(([a], [b]) => compareText(a, b));
    return [`Resources: ${resources.length} to create`, ...rows.map(([type, n]) => `    ${String(n).padStart(3)} ${type}`)].join("\n");
}
