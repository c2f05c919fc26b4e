/**
 * The deployers program's config (project `argus-deployers`, so its keys are `argus-deployers:<key>`), read
 * once into a typed object with the main program's reader (stacks/configReader.ts): every problem collected,
 * each naming the stack, the key, what is wrong and the fix, before anything is created.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../stacks/configError";
import { ConfigReader, RawConfigSource } from "../stacks/configReader";
import { ConfigKeySpec } from "../stacks/keySpec";
import { pulumiConfigSource } from "../stacks";
import { ClusterTarget, isProblem, KubeconfigSource, selectTarget } from "./kubeconfig";

/** The project's name, which Pulumi uses as the namespace of its config keys. */
export const deployersConfigNamespace = "argus-deployers";

export const deployersKeys = {
    kubeconfig: {
        type: "string",
        description: "The cluster admin's kubeconfig (secret). Empty: the file $KUBECONFIG names (~/.kube/config without it), as the kubernetes provider reads it.",
        example: "<kubeconfig YAML>",
        default: "",
        secret: true,
        multiline: true,
    },
    kubeContext: {
        type: "string",
        description: "Context of the kubeconfig to apply to. Empty: its current context.",
        example: "paas2-admin",
        default: "",
    },
    apiServer: {
        type: "string",
        description: "The https URL CI jobs reach the API server at, written into each identity's kubeconfig. Empty: the server of the admin kubeconfig's context.",
        example: "https://kubernetes.example.org:6443",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type DeployersKey = keyof typeof deployersKeys;

export interface DeployersConfig {
    readonly stack: string;
    /** For the provider: the kubeconfig set in config (a secret). Unset: the provider reads $KUBECONFIG itself. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** For the provider: the context set in config. Unset: the kubeconfig's current context. */
    readonly context?: string;
    /** The cluster and admin user the provider will use: what the pre-flight asks. */
    readonly target: ClusterTarget;
    /** Where CI jobs reach the API server (https). */
    readonly apiServer: string;
}

/** What the kubeconfig files $KUBECONFIG names hold (client-go: path-list separated; unset: ~/.kube/config), or why one cannot be read. */
export type FallbackKubeconfig = { readonly sources: KubeconfigSource[] } | { readonly unreadable: string };

/** An https URL with a host, and nothing that would not belong in a kubeconfig's `server`. */
function httpsProblem(value: string): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `"${value}" is not a URL.`;
    }
    if (url.protocol !== "https:") return `"${value}" is not https: CI's kubeconfigs carry a bearer token, which must not travel in plain text.`;
    if (!url.hostname || url.username || url.password || url.search || url.hash) return `"${value}" must be https://<host>[:port][/path], without credentials, query or fragment.`;
    return undefined;
}

/** Pure: the typed config, or ConfigError listing every problem. */
export function parseDeployersConfig(stack: string, source: RawConfigSource, fallback: FallbackKubeconfig): DeployersConfig {
    const read = new ConfigReader(source, stack, deployersKeys);
    const kubeconfig = read.secret("kubeconfig");
    const context = read.string("kubeContext") || undefined;
    const apiServerSet = read.string("apiServer");

    let target: ClusterTarget | undefined;
    if (kubeconfig) {
        target = selectOrFail(read, [{ text: kubeconfig.raw }], context);
    } else if ("unreadable" in fallback) {
        read.fail("kubeconfig", `is not set and ${fallback.unreadable}`, `${read.setCommand("kubeconfig")}   (or point KUBECONFIG at the admin's kubeconfig file)`);
    } else {
        target = selectOrFail(read, fallback.sources, context);
    }

    if (apiServerSet) {
        const problem = httpsProblem(apiServerSet);
        if (problem) read.fail("apiServer", problem, read.setCommand("apiServer"));
    } else if (target && httpsProblem(target.server)) {
        read.fail("apiServer", `is not set, and the kubeconfig's server ${JSON.stringify(target.server)} is not an https URL to give CI.`, read.setCommand("apiServer"));
    }
    if (read.problems.length > 0 || !target) {
        // The reader's fixes are the main project's commands; this project is run with `-C deployers`.
        const problems = read.redactedProblems().map((p) => ({ ...p, fix: p.fix.replace(/\bpulumi config /g, "pulumi -C deployers config ") }));
        throw new ConfigError(stack, problems, deployersConfigNamespace);
    }
    return { stack, kubeconfig: kubeconfig?.value, context, target, apiServer: apiServerSet || target.server };
}

function selectOrFail(read: ConfigReader<DeployersKey>, sources: KubeconfigSource[], context: string | undefined): ClusterTarget | undefined {
    const selected = selectTarget(sources, context);
    if (!isProblem(selected)) return selected;
    read.fail(selected.key, selected.problem, read.setCommand(selected.key));
    return undefined;
}

/** The files $KUBECONFIG names, read (unset: ~/.kube/config, client-go's RecommendedHomeFile). */
export function readFallbackKubeconfig(env: NodeJS.ProcessEnv = process.env): FallbackKubeconfig {
    const paths = (env.KUBECONFIG ?? "").split(path.delimiter).filter(Boolean);
    const files = paths.length > 0 ? paths : [path.join(os.homedir(), ".kube", "config")];
    const sources: KubeconfigSource[] = [];
    for (const file of files) {
        try {
            sources.push({ path: file, text: fs.readFileSync(file, "utf8") });
        } catch (err) {
            // client-go skips a missing file of the list; only none at all is a problem.
            if ((err as NodeJS.ErrnoException).code !== "ENOENT") return { unreadable: `${file} cannot be read (${(err as NodeJS.ErrnoException).code}).` };
        }
    }
    return sources.length > 0 ? { sources } : { unreadable: `no kubeconfig file exists at ${files.join(", ")} (${env.KUBECONFIG ? "$KUBECONFIG" : "~/.kube/config"}).` };
}

/** The current stack's config from the Pulumi runtime and $KUBECONFIG. */
export function loadDeployersConfig(): DeployersConfig {
    return parseDeployersConfig(pulumi.getStack(), pulumiConfigSource(deployersConfigNamespace), readFallbackKubeconfig());
}
