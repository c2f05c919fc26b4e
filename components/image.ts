import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { ImageConfig } from "../stacks";

/** Every image we build targets the cluster's nodes, whatever machine runs `pulumi up`. */
export const targetPlatform = "linux/amd64";

export interface ImageBuildArgs {
    /** The component the image belongs to, and its short name under the repository. */
    readonly name: "api" | "webui";
    readonly buildArgs: Record<string, string>;
    readonly images: ImageConfig;
}

/** The build context of a component's image: `components/<name>/image`, beside the component's code. */
export function imageContext(name: ImageBuildArgs["name"]): string {
    return path.join(__dirname, name, "image");
}

/** `<repository>/<name>:<tag>`: where the image is pushed. */
export function imageName(args: ImageBuildArgs): string {
    return `${args.images.repository}/${args.name}:${args.images.tag}`;
}

/**
 * Arguments of the docker.Image that builds and pushes one of our images. Builds reuse layers of the
 * previous push (`cacheFrom` with inline cache), so CI runners without a warm cache stay fast.
 */
export function dockerImageArgs(args: ImageBuildArgs): docker.ImageArgs {
    const name = imageName(args);
    const context = imageContext(args.name);
    const registry = args.images.registry;
    return {
        imageName: name,
        build: {
            context,
            dockerfile: path.join(context, "Dockerfile"),
            platform: targetPlatform,
            args: { ...args.buildArgs, BUILDKIT_INLINE_CACHE: "1" },
            cacheFrom: { images: [name] },
        },
        skipPush: false,
        buildOnPreview: args.images.buildOnPreview,
        ...(registry
            ? { registry: { server: registry.server, username: registry.username, password: registry.password } }
            : {}),
    };
}

/** Builds and pushes one image; Pods reference its pushed digest so every new push rolls them out. */
export function buildImage(resourceName: string, args: ImageBuildArgs, parent: pulumi.Resource): docker.Image {
    return new docker.Image(resourceName, dockerImageArgs(args), { parent });
}
