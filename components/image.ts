import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ImageConfig } from "../stacks";

/** Every image we build targets the cluster's nodes, whatever machine runs `pulumi up`. */
export const targetPlatform = "linux/amd64";

export interface ImageBuildArgs {
    /** Short image name under the repository: `api` or `webui`. */
    readonly name: string;
    /** Folder with the Dockerfile and the files the build copies. */
    readonly context: string;
    readonly buildArgs: Record<string, string>;
    readonly images: ImageConfig;
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
    const registry = args.images.registry;
    return {
        imageName: name,
        build: {
            context: args.context,
            dockerfile: `${args.context}/Dockerfile`,
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
