/**
 * Debian's Chromium (scripts/install-system-packages.sh), driven by playwright-core (no browser download of its
 * own), on the real hostnames: `--host-resolver-rules` maps every Ingress host to the ingress stand-in on
 * 127.0.0.1 (ingress.ts), and only that stand-in's key is trusted (`--ignore-certificate-errors-spki-list`),
 * so the pages are real https origins: secure cookies, CORS between the webui and api hosts, wss.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Browser, BrowserContext, chromium } from "playwright-core";
import { Ingress } from "./ingress";

export const chromiumPath = "/usr/bin/chromium";

/** Where the screenshots go: $WEBUI_ARTIFACTS, else a folder in the temp folder (kept after the run). */
export function artifactsDir(): string {
    const dir = process.env.WEBUI_ARTIFACTS || path.join(os.tmpdir(), "argus-webui-artifacts");
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

/** Chromium's flags for the ingress: its hosts resolved to its local port, its certificate's key trusted. */
export function chromiumArgs(ingress: Pick<Ingress, "hosts" | "port" | "spkiHash">): string[] {
    const rules = ingress.hosts.map((h) => `MAP ${h} 127.0.0.1:${ingress.port}`).join(", ");
    return [`--host-resolver-rules=${rules}`, `--ignore-certificate-errors-spki-list=${ingress.spkiHash}`];
}

export async function launchChromium(ingress: Ingress): Promise<Browser> {
    if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: run \`sudo bash scripts/install-system-packages.sh\` (Debian's chromium)`);
    // --no-sandbox: the suite runs as root, and Chromium refuses its sandbox to root.
    return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", ...chromiumArgs(ingress)] });
}

/** A fresh browser profile (no cookies, no local storage), as a new user's. */
export function newUser(browser: Browser): Promise<BrowserContext> {
    return browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "UTC" });
}
