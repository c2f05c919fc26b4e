/** Requests and limits of every container: a profile, and per-container overrides (the profiles: stacks/resourceProfiles.ts). */
import type { ArgusLayout } from "../../releases/argusRelease";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { applyResourceOverrides, ContainerResources, defaultProfile, layoutContainers, overrideSyntax, ResourceProfile, resourceProfileNames, resourceProfiles } from "../resourceProfiles";
import { StackIdentity } from "../stackName";

export const resourceKeys = {
    resourceProfile: {
        type: "string",
        description: "Requests and limits of every container: small, medium or large. Empty: small for review, medium for staging, large for production.",
        example: "large",
        default: "",
    },
    resourceOverrides: {
        type: "string",
        description: "Per-container changes to the profile: <container>.<cpu|memory>=<request>/<limit>, comma-separated (containers: django, websockets, nginx, redis, webui in 1.x; web, nginx, worker in 2.x; postgres of an inCluster database).",
        example: "django.cpu=250m/2,django.memory=512Mi/1Gi",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type ResourceKey = keyof typeof resourceKeys;

export function readResources(read: ConfigReader<ResourceKey>, identity: StackIdentity, layout: ArgusLayout): ContainerResources {
    const profile = read.string("resourceProfile") || defaultProfile[identity.environment];
    if (!(resourceProfileNames as readonly string[]).includes(profile)) {
        read.fail("resourceProfile", `"${profile}" is not one of ${resourceProfileNames.join(", ")}.`, read.setCommand("resourceProfile"));
        return resourceProfiles[defaultProfile[identity.environment]];
    }
    const { resources, problems } = applyResourceOverrides(resourceProfiles[profile as ResourceProfile], read.string("resourceOverrides"), layoutContainers[layout]);
    for (const problem of problems) {
        read.fail("resourceOverrides", problem, `${read.setCommand("resourceOverrides")} (syntax: ${overrideSyntax})`);
    }
    return resources;
}
