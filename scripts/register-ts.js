// Lets plain Node load this project's TypeScript: each .ts file is transpiled once with esbuild (no type
// check; `npm run typecheck` does that) and cached by content, so warm starts cost nothing but a file read.
// Only .ts files pass through here; node_modules load at Node's own speed.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const cacheDir = path.join(__dirname, "..", "node_modules", ".cache", "register-ts");
let esbuild;

function transpile(source, filename) {
    esbuild = esbuild || require("esbuild");
    return esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcefile: filename,
        sourcemap: "inline",
    }).code;
}

require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto.createHash("sha256").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let code;
    try {
        code = fs.readFileSync(cached, "utf8");
    } catch {
        code = transpile(source, filename);
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(cached, code);
    }
    module._compile(code, filename);
};
