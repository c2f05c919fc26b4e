/**
 * The images a stack runs: where they are pushed and pulled, the Argus and Argus-frontend releases built into
 * them, and the stock images beside them.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { StackIdentity } from "../stackName";
import { checkObjectName, list, requireTogether } from "../valueReaders";
import { compareText } from "../../util/compare";
import { isImageRepository, isPinnedImage } from "../../util/validators";
import { argusRelease, argusSupportHelp, defaultArgusVersion, isSupportedArgusVersion, supportedRanges } from "../../releases/argus";
import { defaultFrontendVersion, frontendSupportHelp, isSupportedFrontendVersion } from "../../releases/frontend";

export const imageKeys = {
    imageRepository: {
        type: "string",
        description: "Registry path of the images, e.g. registry.example.org/sikt/argus (CI: $CI_REGISTRY_IMAGE). Staging pushes <path>/<image>:<content hash>, production runs those, review stacks push under <path>/review.",
        example: "registry.example.org/sikt/argus",
    },
    registryUsername: {
        type: "string",
        description: "User for pushing images. Empty: use the credentials of the local Docker client.",
        example: "$CI_REGISTRY_USER",
        default: "",
    },
    registryPassword: {
        type: "string",
        description: "Password or token for pushing images (secret).",
        example: "$CI_REGISTRY_PASSWORD",
        default: "",
        secret: true,
    },
    buildOnPreview: {
        type: "boolean",
        description: "Build the images during `pulumi preview` too (checks the Dockerfiles; never pushes).",
        example: "true",
        default: false,
    },
    imagePullSecret: {
        type: "string",
        description: "Name of an existing docker-registry Secret in the namespace the Pods pull with. Empty: none, or the one registryPullToken makes.",
        example: "argus-registry",
        default: "",
    },
    registryPullUsername: {
        type: "string",
        description: "User of the registry deploy token the cluster pulls images with (a GitLab deploy token with read_registry). Needs registryPullToken.",
        example: "gitlab+deploy-token-42",
        default: "",
    },
    registryPullToken: {
        type: "string",
        description: "The deploy token (secret). With it the program makes a kubernetes.io/dockerconfigjson Secret in the namespace and every Pod pulls with it.",
        example: "<deploy token>",
        default: "",
        secret: true,
        ciVariable: "ARGUS_REGISTRY_PULL_TOKEN",
    },
    argusVersion: {
        type: "string",
        description: `Argus server release (PyPI argus-server): ${supportedRanges.spa} deploy the 1.x layout with the React webui, ${supportedRanges.server} the 2.x layout (releases/argus.ts).`,
        example: "1.36.2",
        default: defaultArgusVersion,
    },
    frontendVersion: {
        type: "string",
        description: "Argus-frontend release (git tag) built into the webui image: v1.13.0, v1.14.0 or v1.14.1 (releases/frontend.ts).",
        example: "v1.14.0",
        default: defaultFrontendVersion,
    },
    extraPythonPackages: {
        type: "string",
        description: "Extra pip packages for the api image, each pinned as name==version, comma-separated (e.g. the seed's argus-ticket-rt). Empty: none.",
        example: "argus-ticket-rt==1.2.0",
        default: "",
    },
    nginxImage: {
        type: "string",
        description: "Stock unprivileged nginx image of the proxy in front of gunicorn (the 1.x api Pod, the 2.x web Pod), pinned to a version.",
        example: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine",
        default: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine",
    },
    redisImage: {
        type: "string",
        description: "Stock redis image for the api Pod's channel layer, pinned to a version.",
        example: "docker.io/library/redis:7.4.2-alpine",
        default: "docker.io/library/redis:7.4.2-alpine",
    },
    argusExtras: {
        type: "string",
        description: "Optional extras of argus-server to install, comma-separated, from those the release has (2.10: apprise, which Slack and other Apprise media need, and jsonlogging). Empty: none.",
        example: "apprise",
        default: "",
    },
    jsonLogging: {
        type: "boolean",
        description: "Log as JSON lines (2.10 and later): installs the jsonlogging extra and points DJANGO_LOGGING_MODULE at our JSON logging config.",
        example: "true",
        default: false,
    },
} satisfies Record<string, ConfigKeySpec>;

export type ImageKey = keyof typeof imageKeys;

/**
 * How a stack gets its images: review and staging build and push them; production promotes, running the
 * digests staging pushed under the same content tags, and builds nothing.
 */
export type ImageDelivery = "build" | "promote";

export interface ImageConfig {
    /** Where this stack's images live: imageRepository, or imageRepository/review for review stacks. */
    readonly repository: string;
    readonly delivery: ImageDelivery;
    readonly registry?: RegistryCredentials;
    readonly buildOnPreview: boolean;
    /** How Pods authenticate to the registry: an operator's Secret, or a deploy token we make one from. */
    readonly pull?: { readonly existingSecret: string } | { readonly server: string; readonly username: string; readonly token: pulumi.Output<string> };
    readonly argusVersion: string;
    readonly frontendVersion: string;
    /** Pinned pip requirements added to the api image. */
    readonly extraPythonPackages: readonly string[];
    /** Optional extras of argus-server the image installs (the release's, `argusExtras` and `jsonLogging`). */
    readonly argusExtras: readonly string[];
    readonly nginx: string;
    readonly redis: string;
}

export interface RegistryCredentials {
    readonly server: string;
    readonly username: string;
    readonly password: pulumi.Output<string>;
}

const pinnedPipRequirement = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][A-Za-z0-9.+!-]*$/;

/**
 * The optional extras of argus-server to install: those config names, and jsonlogging with `jsonLogging`,
 * each one the release has (releases/argus.ts), sorted.
 */
function readArgusExtras(read: ConfigReader<ImageKey>, argusVersion: string, jsonLogging: boolean): string[] {
    const known = isSupportedArgusVersion(argusVersion) ? argusRelease(argusVersion).extras : [];
    const chosen = list(read.string("argusExtras"));
    for (const extra of chosen.filter((e) => !known.includes(e))) {
        read.fail("argusExtras", `"${extra}" is not an extra of argus-server ${argusVersion}; ${known.length > 0 ? `it has ${known.join(", ")}` : "it has none this program installs"}.`, known.length > 0 ? read.setCommand("argusExtras", known[0]) : `pulumi config rm --stack ${read.stack} argusExtras`);
    }
    if (jsonLogging && !known.includes("jsonlogging")) {
        read.fail("jsonLogging", `is on, but argus-server ${argusVersion} has no jsonlogging extra (2.10.0 and later have).`, `pulumi config rm --stack ${read.stack} jsonLogging`);
    }
    return [...new Set([...chosen.filter((e) => known.includes(e)), ...(jsonLogging && known.includes("jsonlogging") ? ["jsonlogging"] : [])])].sort(compareText);
}

/**
 * Pip requirements separated by commas or white space; a comma inside the brackets of extras belongs to
 * its package: `argus-ticket-rt[jira,rt]==1.0` is one.
 */
function requirementList(text: string): string[] {
    return text.match(/[^,\s[]+(\[[^\]]*\])?[^,\s]*/g) ?? [];
}

export function readImages(read: ConfigReader<ImageKey>, identity: StackIdentity, jsonLogging: boolean): ImageConfig {
    const repository = read.string("imageRepository");
    if (repository && !isImageRepository(repository)) {
        read.fail("imageRepository", `"${repository}" is not a registry path (host/path, lower case, no tag).`, read.setCommand("imageRepository"));
    }
    const username = read.string("registryUsername");
    const password = read.secret("registryPassword");
    if (Boolean(username) !== Boolean(password)) {
        const missing = username ? "registryPassword" : "registryUsername";
        read.fail(missing, "must be set together with " + (username ? "registryUsername." : "registryPassword."), read.setCommand(missing));
    }
    const argusVersion = read.string("argusVersion");
    if (!isSupportedArgusVersion(argusVersion)) {
        read.fail("argusVersion", `"${argusVersion}" is not a release this program knows how to run; ${argusSupportHelp}.`, read.setCommand("argusVersion"));
    }
    const frontendVersion = read.string("frontendVersion");
    if (!isSupportedFrontendVersion(frontendVersion)) {
        read.fail("frontendVersion", `"${frontendVersion}" is not a usable Argus-frontend release; ${frontendSupportHelp}.`, read.setCommand("frontendVersion"));
    }
    const extraPythonPackages = requirementList(read.string("extraPythonPackages"));
    for (const requirement of extraPythonPackages.filter((r) => !pinnedPipRequirement.test(r))) {
        read.fail("extraPythonPackages", `"${requirement}" is not a package pinned as name==version.`, read.setCommand("extraPythonPackages"));
    }
    const stock = { nginx: read.string("nginxImage"), redis: read.string("redisImage") };
    for (const [key, image] of [["nginxImage", stock.nginx], ["redisImage", stock.redis]] as const) {
        if (!isPinnedImage(image)) {
            read.fail(key, `"${image}" is not pinned to a version (a tag other than latest, or a digest).`, read.setCommand(key));
        }
    }
    const pullSecret = checkObjectName(read, "imagePullSecret", "Secret");
    const pullUsername = read.string("registryPullUsername");
    const pullToken = read.secret("registryPullToken");
    if (pullSecret && pullToken) {
        read.fail("imagePullSecret", `is set, and so is registryPullToken: the Pods can pull with one Secret only.`, `pulumi config rm --stack ${read.stack} imagePullSecret (or registryPullToken)`);
    }
    requireTogether(read, ["registryPullUsername", pullUsername], ["registryPullToken", pullToken?.raw]);
    return {
        // Review images never share a repository with staging's, which production promotes from.
        repository: identity.environment === "review" ? `${repository}/review` : repository,
        delivery: identity.environment === "production" ? "promote" : "build",
        registry: username && password ? { server: repository.split("/")[0], username, password: password.value } : undefined,
        buildOnPreview: read.boolean("buildOnPreview"),
        pull: pullSecret
            ? { existingSecret: pullSecret }
            : pullUsername && pullToken
              ? { server: repository.split("/")[0], username: pullUsername, token: pullToken.value }
              : undefined,
        argusVersion,
        frontendVersion,
        extraPythonPackages,
        argusExtras: readArgusExtras(read, argusVersion, jsonLogging),
        ...stock,
    };
}
