import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ImageConfig } from "../stacks/types";
import { compareText } from "../util/compare";
// Pulumi runs the program in the project folder, and build contexts are given relative to it.
import { projectRoot } from "../util/projectRoot";

/** Every image we build targets the cluster's nodes, whatever machine runs `pulumi up`. */
export const targetPlatform = "linux/amd64";

/** Our images: the Argus server (both layouts) and the 1.x React webui. */
export type ImageComponent = "argus" | "webui";

export interface ArgusImageArgs {
    /** The component the image belongs to, and its short name under the repository. */
    readonly component: ImageComponent;
    readonly buildArgs: Record<string, string>;
    readonly images: ImageConfig;
    /** What this stack ran before this update, from its own outputs; undefined on its first update. */
    readonly previous?: pulumi.Input<PreviousImage | undefined>;
}

/** An image as the stack's last update left it: its reference and the cache its build was given. */
export interface PreviousImage {
    readonly reference?: string;
    readonly cacheFrom?: string;
}

/**
 * The image whose layers a build reuses: one that exists, the image the stack ran before. Unchanged content
 * keeps the cache the image was built with, since a different cacheFrom alone would make docker.Image see a
 * change (pulumi-docker v4.11.2 Diff compares every input) and rebuild an image whose content is the same.
 */
export function chooseCacheFrom(reference: string, previous: PreviousImage | undefined): string | undefined {
    if (!previous?.reference) {
        return undefined;
    }
    return previous.reference === reference ? previous.cacheFrom : previous.reference;
}

/** The build context of a component's image, `components/<name>/image`, relative to the project. */
export function imageContext(component: ImageComponent): string {
    return path.join("components", component, "image");
}

/** Files that are never part of an image's content: Python's bytecode caches of a developer's checkout. */
const notContent = (name: string) => name === "__pycache__" || name.endsWith(".pyc");

/** Every file under `dir`, as paths relative to it, sorted by code units (bytecode caches left out). */
export function contextFiles(dir: string, prefix = ""): string[] {
    return fs
        .readdirSync(path.join(dir, prefix), { withFileTypes: true })
        .filter((entry) => !notContent(entry.name))
        .flatMap((entry) => {
            const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
            return entry.isDirectory() ? contextFiles(dir, relative) : [relative];
        })
        .sort(compareText);
}

/**
 * The image's tag: a hash of everything its build reads (each file of the build context, Dockerfile
 * included, the build arguments and the platform). A commit that changes none of them keeps the tag, so
 * docker.Image sees no change: nothing is built, pushed or rolled (pulumi-docker v4.11.2 provider/provider.go:
 * Diff compares the old and new inputs).
 */
export function contentTag(component: ImageComponent, buildArgs: Record<string, string>, root = projectRoot): string {
    const dir = path.join(root, imageContext(component));
    const hash = createHash("sha256");
    const sortedArgs = Object.keys(buildArgs)
        .sort()
        .map((k) => [k, buildArgs[k]]);
    hash.update(JSON.stringify({ platform: targetPlatform, buildArgs: sortedArgs })).update("\0");
    for (const file of contextFiles(dir)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(dir, file))).update("\0");
    }
    return hash.digest("hex").slice(0, 20);
}

/** `<repository>/<component>:<content tag>`: where the image is pushed, and what production looks up. */
export function imageReference(args: ArgusImageArgs): string {
    return `${args.images.repository}/${args.component}:${contentTag(args.component, args.buildArgs)}`;
}

/** Arguments of the docker.Image that builds and pushes one of our images under `reference` (imageReference). */
export function dockerImageArgs(args: ArgusImageArgs, reference: string, cacheFrom: pulumi.Input<string | undefined>): docker.ImageArgs {
    const context = imageContext(args.component);
    const registry = args.images.registry;
    return {
        imageName: reference,
        build: {
            context,
            dockerfile: path.join(context, "Dockerfile"),
            platform: targetPlatform,
            // Inline cache metadata in the pushed image lets the next build reuse its layers.
            args: { ...args.buildArgs, BUILDKIT_INLINE_CACHE: "1" },
            cacheFrom: { images: pulumi.output(cacheFrom).apply((image) => (image ? [image] : [])) },
        },
        skipPush: false,
        buildOnPreview: args.images.buildOnPreview,
        ...(registry ? { registry: { server: registry.server, username: registry.username, password: registry.password } } : {}),
    };
}

/**
 * One of our images, by digest. Where the stack builds (review, staging), it is built and pushed under its
 * content tag. Where it promotes (production), nothing is built: the digest is looked up in the registry
 * under the same content tag, which only staging pushes to, so production runs exactly what staging ran.
 */
export class ArgusImage extends pulumi.ComponentResource {
    /** `<repository>/<component>@sha256:...`, what Pods run. */
    readonly digest: pulumi.Output<string>;
    /** `<repository>/<component>:<content tag>`. */
    readonly reference: string;
    /** The image this build reused layers of, "" for none; the next update needs it (chooseCacheFrom). */
    readonly cacheFrom: pulumi.Output<string>;

    constructor(name: string, args: ArgusImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("argus:index:Image", name, {}, opts);
        this.reference = imageReference(args);
        const repository = `${args.images.repository}/${args.component}`;

        if (args.images.delivery === "promote") {
            const registry = args.images.registry;
            const provider = new docker.Provider(
                `${name}-registry`,
                registry ? { registryAuth: [{ address: registry.server, username: registry.username, password: registry.password }] } : {},
                { parent: this },
            );
            const found = docker.getRegistryImageOutput({ name: this.reference }, { parent: this, provider });
            this.digest = pulumi.interpolate`${repository}@${found.sha256Digest}`;
            this.cacheFrom = pulumi.output("");
        } else {
            this.cacheFrom = pulumi.output(args.previous).apply((previous) => chooseCacheFrom(this.reference, previous) ?? "");
            const image = new docker.Image(`${name}-build`, dockerImageArgs(args, this.reference, this.cacheFrom), { parent: this });
            this.digest = image.repoDigest;
        }
        this.registerOutputs({ reference: this.reference, digest: this.digest, cacheFrom: this.cacheFrom });
    }
}
