/**
 * Argus-frontend releases the webui can be built from. Facts read in Uninett/Argus-frontend at the tags named.
 *
 * Only releases that read `runtime-config.json` at start qualify: the same image then serves every stack,
 * with each stack's settings in a ConfigMap. That file arrived in v1.13.0 (`src/config.tsx`,
 * `docker/runtime-config-template.json`); v1.14.1 (2024-04-24) is the last release, and the project is
 * mothballed (README). There is no v1.13.1.
 */
export const supportedFrontendVersions = ["v1.13.0", "v1.14.0", "v1.14.1"] as const;

export const defaultFrontendVersion = "v1.14.1";

export const frontendSupportHelp = `supported are ${supportedFrontendVersions.join(", ")}: the releases that read runtime-config.json at start`;

export function isSupportedFrontendVersion(version: string): boolean {
    return (supportedFrontendVersions as readonly string[]).includes(version);
}
