import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../util/projectRoot";

// The shape issue #28 gave the code, kept by the build: which folder may import which, no import circle, no
// file doing several things. Read from the files git tracks, as text.
const tracked = execFileSync("git", ["ls-files", "*.ts"], { cwd: projectRoot, encoding: "utf8" }).split("\n").filter(Boolean);
const program = tracked.filter((f) => !f.startsWith("tests/") && !f.startsWith("realworld/"));

/** The relative imports of one file, resolved to tracked files, each with whether it is `import type`. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
    const source = fs.readFileSync(path.join(projectRoot, file), "utf8");
    return [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)";/gms)].flatMap((m) => {
        const base = path.join(path.dirname(file), m[2]);
        const target = [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => tracked.includes(candidate));
        return target ? [{ target, typeOnly: Boolean(m[1]) }] : [];
    });
}

const graph = new Map(tracked.map((file) => [file, importsOf(file)]));

/** Import circles among `files`, each as the files around it, found by depth-first search. */
function circles(files: readonly string[]): string[][] {
    const found: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]): void => {
        state.set(file, "open");
        for (const { target } of graph.get(file) ?? []) {
            if (state.get(target) === "open") found.push([...trail.slice(trail.indexOf(target)), file, target]);
            else if (!state.has(target)) visit(target, [...trail, file]);
        }
        state.set(file, "done");
    };
    files.filter((f) => !state.has(f)).forEach((f) => visit(f, []));
    return found;
}

describe("imports: which folder may use which", () => {
    const from = (folder: string) => [...graph].filter(([file]) => file.startsWith(folder));

    it("components import only types from the config (stacks/), never its parser", () => {
        const values = from("components/").flatMap(([file, imports]) => imports.filter((i) => i.target.startsWith("stacks/") && !i.typeOnly).map((i) => `${file} -> ${i.target}`));
        expect(values).to.deep.equal([]);
    });

    it("rules/ depends on nothing of the render, the config or the components", () => {
        const outside = from("rules/").flatMap(([file, imports]) => imports.filter((i) => /^(render|stacks|components)\//.test(i.target)).map((i) => `${file} -> ${i.target}`));
        expect(outside).to.deep.equal([]);
    });

    it("the real-world suites and the program never import the fast suite's files", () => {
        const intoTests = [...graph].filter(([file]) => !file.startsWith("tests/")).flatMap(([file, imports]) => imports.filter((i) => i.target.startsWith("tests/")).map((i) => `${file} -> ${i.target}`));
        expect(intoTests).to.deep.equal([]);
    });
});

describe("imports: no circle", () => {
    it("finds a circle when there is one (the search itself)", () => {
        graph.set("a.ts", [{ target: "b.ts", typeOnly: false }]);
        graph.set("b.ts", [{ target: "a.ts", typeOnly: true }]);
        try {
            expect(circles(["a.ts"])).to.deep.equal([["a.ts", "b.ts", "a.ts"]]);
        } finally {
            graph.delete("a.ts");
            graph.delete("b.ts");
        }
    });

    it("has none among the program's files, the tests or the real-world suites", () => {
        expect(circles(tracked)).to.deep.equal([]);
    });
});

describe("file size", () => {
    it("keeps every file of the program under about 300 lines (past that it does several things: split it by concern)", () => {
        const long = program.map((file) => [file, fs.readFileSync(path.join(projectRoot, file), "utf8").split("\n").length] as const).filter(([, lines]) => lines > 300);
        expect(long).to.deep.equal([]);
    });
});
