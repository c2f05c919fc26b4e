/**
 * What upstream tested each Argus release with: the versions its `requirements.txt` locks (pip-compiled,
 * shipped in the release's sdist), kept per release in releases/constraints/argus-server-<version>.txt and
 * made by scripts/update-argus-constraints.py. The image installs Argus with them as pip constraints, so
 * pip resolves nothing to "whatever is newest on the day of the build".
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../util/projectRoot";

/** This folder in the checkout: its data files are not compiled into dist/ (tsconfig.build.json). */
const releasesDir = path.join(projectRoot, "releases");

export const constraintsDir = path.join(releasesDir, "constraints");

/** The pins of one release, `name==version`, sorted; throws for a release that has no file. */
export function argusConstraints(version: string): string[] {
    const file = path.join(constraintsDir, `argus-server-${version}.txt`);
    if (!fs.existsSync(file)) {
        throw new Error(`No pip constraints for argus-server ${version}: run scripts/update-argus-constraints.py ${version}.`);
    }
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith("#"));
}

/** The package a pin or requirement names, normalised as pip compares names (PEP 503). */
export function packageName(requirement: string): string {
    return (/^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(requirement)?.[0] ?? requirement).toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * The zone names the image's time zone data has (tzdata, pinned in releases/argus.ts), from
 * releases/tzdata-zones.txt: the names Django's TIME_ZONE can take there, whichever of Argus and our settings
 * module reads it.
 */
export const imageTimeZones: ReadonlySet<string> = new Set(
    fs
        .readFileSync(path.join(releasesDir, "tzdata-zones.txt"), "utf8")
        .split("\n")
        .filter((line) => line && !line.startsWith("#")),
);
