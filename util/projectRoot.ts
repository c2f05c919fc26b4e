import * as fs from "fs";
import * as path from "path";

/**
 * The checkout's root folder: where Pulumi.yaml, the stack files and the image build contexts are. The
 * nearest folder above this file that holds Pulumi.yaml: this file runs from util/ (the render and the
 * tests load the TypeScript) and from dist/util/ (the engine runs the program `npm run build` compiled).
 */
export const projectRoot = rootAbove(__dirname);

function rootAbove(dir: string): string {
    for (let at = dir; ; at = path.dirname(at)) {
        if (fs.existsSync(path.join(at, "Pulumi.yaml"))) return at;
        if (path.dirname(at) === at) throw new Error(`No Pulumi.yaml in ${dir} or any folder above it: run the program from its checkout.`);
    }
}
