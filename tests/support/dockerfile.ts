import * as fs from "fs";
import * as path from "path";

/** One instruction of a Dockerfile: its keyword in capitals, and the rest of its logical line. */
export interface Instruction {
    readonly keyword: string;
    readonly args: string;
}

/** Dockerfile instructions, with comments dropped and continuation lines joined (comment lines inside a continuation are dropped too, as Docker does). */
export function parseDockerfile(text: string): Instruction[] {
    const logical = text
        .split("\n")
        .filter((line) => !line.trim().startsWith("#"))
        .join("\n")
        .replace(/\\\n/g, " ")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    return logical.map((line) => {
        const [keyword, ...rest] = line.split(/\s+/);
        return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** The folder a component's image is built from (components/<component>/image). */
export function imageDir(component: "argus" | "webui"): string {
    return path.join(__dirname, "..", "..", "components", component, "image");
}

/** The instructions of a component's Dockerfile. */
export function dockerfileOf(component: "argus" | "webui"): Instruction[] {
    return parseDockerfile(fs.readFileSync(path.join(imageDir(component), "Dockerfile"), "utf8"));
}

/** The first instruction with this keyword whose arguments contain `text`. */
export function instruction(instructions: Instruction[], keyword: string, text: string): Instruction {
    const found = instructions.find((i) => i.keyword === keyword && i.args.includes(text));
    if (!found) throw new Error(`no ${keyword} instruction contains ${text}`);
    return found;
}
