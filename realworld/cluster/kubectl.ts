// A client of the suite's cluster: commands run with its kubeconfig and the built tools first on PATH.
import * as path from "path";
import { apiGroupOf } from "../../deployers/rights";
import { Result, runCommand, RunOptions } from "../shared/process";

/** What kubectlName needs of an object. */
export type NamedObject = { apiVersion: string; kind: string; metadata: { name: string } };

/** How kubectl names one object: `<kind>[.<group>]/<name>` (deployment.apps/argus-api, secret/db). */
export function kubectlName(object: NamedObject): string {
    const group = apiGroupOf(object.apiVersion);
    return `${object.kind.toLowerCase()}${group ? `.${group}` : ""}/${object.metadata.name}`;
}

export class Kubectl {
    constructor(
        readonly binDir: string,
        readonly kubeconfig: string,
        private readonly cwd: string,
    ) {}

    /** Runs a command with the cluster's kubeconfig and the tools on PATH; never throws on a non-zero exit. */
    run(command: string, args: string[], opts: RunOptions = {}): Promise<Result> {
        return runCommand(command, args, {
            timeoutMs: 120_000,
            ...opts,
            cwd: opts.cwd ?? this.cwd,
            env: { ...process.env, PATH: `${this.binDir}:${process.env.PATH}`, KUBECONFIG: this.kubeconfig, ...opts.env },
        });
    }

    kubectl(args: string[], opts: RunOptions = {}): Promise<Result> {
        return this.run(path.join(this.binDir, "kubectl"), args, opts);
    }

    /** One object (or list) as JSON; undefined when it does not exist. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async get<T = Record<string, any>>(args: string[]): Promise<T | undefined> {
        const r = await this.kubectl(["get", ...args, "-o", "json"]);
        if (r.code !== 0) {
            if (/NotFound|not found/.test(r.stderr)) return undefined;
            throw new Error(`kubectl get ${args.join(" ")}: ${r.stderr}`);
        }
        return JSON.parse(r.stdout) as T;
    }
}
