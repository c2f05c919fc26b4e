import * as pulumi from "@pulumi/pulumi";
import { sha256Hex } from "../util/hash";
import { secretPlaceholder } from "../rules/hardening";

/** One resource the program registered, with its inputs as the engine received them. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    /** `type::name` of the parent, or undefined for the stack itself. */
    readonly parent?: string;
    /** `type::name` of the provider that manages it, when the program chose one. */
    readonly provider?: string;
    /** `type::name` of every resource it names in `dependsOn`; the engine creates those first. */
    readonly dependsOn?: string[];
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

/** How the Node SDK marks a secret value on the wire. */
const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[signatureKey] === secretSignature;
}

function secretValue(value: unknown): unknown {
    return { [signatureKey]: secretSignature, value };
}

/** Replaces every secret value with the placeholder. */
export function redactSecrets(value: unknown): unknown {
    if (isSecretValue(value)) {
        return secretPlaceholder;
    }
    if (Array.isArray(value)) {
        return value.map(redactSecrets);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
    }
    return value;
}

const secretType = "kubernetes:core/v1:Secret";

/** A Secret's data never leaves the program, marked secret or not; its keys are kept, for the reader. */
function redactSecretData(secret: Record<string, unknown>): Record<string, unknown> {
    const redacted = { ...secret };
    for (const field of ["data", "stringData"]) {
        const data = isSecretValue(secret[field]) ? (secret[field] as { value: unknown }).value : secret[field];
        if (typeof data === "object" && data !== null) {
            redacted[field] = Object.fromEntries(Object.keys(data).map((k) => [k, secretPlaceholder]));
        }
    }
    return redacted;
}

/** What may leave the program of a resource's inputs or state: secrets redacted, a Secret's keys kept. */
function redacted(type: string, values: Record<string, unknown>): Record<string, unknown> {
    return redactSecrets(type === secretType ? redactSecretData(values) : values) as Record<string, unknown>;
}


/** `type::name` of a provider reference, `<urn>::<id>` with urn `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function providerKey(reference: string): string {
    const parts = reference.split("::");
    const type = parts[parts.length - 3].split("$").pop();
    return `${type}::${parts[parts.length - 2]}`;
}

/**
 * A stand-in for the digest the registry gives an image: a hash of its reference, which carries the content
 * tag, so it changes exactly when a rebuild would, and is the same where staging pushes and production runs.
 */
export function digestStandIn(reference: string): string {
    return `sha256:${sha256Hex(reference)}`;
}

/**
 * The provider side of the mock runtime, shared by `npm run render` and the tests. It answers the way the
 * providers would during a first `pulumi preview`, except where offline stand-ins are needed:
 * - an auto-named Kubernetes object gets `<name>-<hash of its inputs>`, so a changed ConfigMap gets a new
 *   name, as the provider's random suffix gives it one (secret values are left out of the hash, a Secret's
 *   keys are not);
 * - a docker.Image gets `repoDigest` = `<repository>@<digestStandIn(imageName)>`, and the registry lookup
 *   of production answers the same digest for the same reference;
 * - a StackReference has the outputs given for that stack (none: a stack's first update);
 * - a RandomPassword's result is a secret placeholder.
 */
export class RenderMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    private readonly options = new Map<string, { parent?: string; dependsOn: string[] }>();

    /** `stackOutputs`: the outputs a StackReference to each stack name answers with. */
    constructor(private readonly stackOutputs: Record<string, Record<string, unknown>> = {}) {}

    /** Called for every resource before it registers, with its parent; see `recordParents`. */
    noteOptions(type: string, name: string, parent: string | undefined, dependsOn: string[]): void {
        this.options.set(`${type}::${name}`, { parent, dependsOn });
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = args.inputs as Record<string, unknown>;
        const state = this.stateFor(args.type, args.name, inputs);
        this.resources.push({
            type: args.type,
            name: args.name,
            ...this.recordedOptions(`${args.type}::${args.name}`),
            ...(args.provider ? { provider: providerKey(args.provider) } : {}),
            custom: args.custom ?? true,
            inputs: redacted(args.type, state),
        });
        return { id: args.custom ? `${args.name}-id` : undefined, state };
    }

    private recordedOptions(key: string): { parent?: string; dependsOn?: string[] } {
        const noted = this.options.get(key);
        return { parent: noted?.parent, ...(noted && noted.dependsOn.length > 0 ? { dependsOn: noted.dependsOn } : {}) };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (args.token === "docker:index/getRegistryImage:getRegistryImage") {
            return { ...args.inputs, sha256Digest: digestStandIn(String(args.inputs.name)) };
        }
        return args.inputs;
    }

    private stateFor(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
        if (type === "docker:index/image:Image") {
            const imageName = String(inputs.imageName);
            const repository = imageName.replace(/:[^/:]+$/, "");
            return { ...inputs, repoDigest: `${repository}@${digestStandIn(imageName)}` };
        }
        if (type === "pulumi:pulumi:StackReference") {
            const stack = String(inputs.name).split("/").pop()!;
            return { ...inputs, outputs: this.stackOutputs[stack] ?? {}, secretOutputNames: [] };
        }
        if (type === "random:index/randomPassword:RandomPassword") {
            return { ...inputs, result: secretValue(secretPlaceholder) };
        }
        if (type.startsWith("kubernetes:") && typeof inputs.metadata === "object") {
            const metadata = inputs.metadata as Record<string, unknown>;
            const hash = sha256Hex(JSON.stringify(redacted(type, inputs))).slice(0, 8);
            return { ...inputs, metadata: { ...metadata, name: metadata.name ?? `${name}-${hash}` } };
        }
        return inputs;
    }
}
