/**
 * Each identity's kubeconfig, what CI gets as a file variable: the API server's URL, the CA and token of the
 * identity's service-account-token Secret (the token controller fills `ca.crt`, `namespace` and `token`,
 * k8s.io/kubernetes v1.34.4 pkg/controller/serviceaccount/tokens_controller.go; Secret `data` is base64), and for
 * production and staging their namespace as the context's default. Pure; fields as k8s.io/client-go v0.34.4
 * tools/clientcmd/api/v1/types.go names them.
 */
import * as yaml from "js-yaml";
import type { Environment } from "../stacks/stackName";

export interface IdentityKubeconfigArgs {
    readonly environment: Environment;
    /** The https URL CI reaches the API server at. */
    readonly apiServer: string;
    /** The token Secret's `data` (base64 values). */
    readonly tokenSecretData: Readonly<Record<string, string>>;
    /** The context's default namespace (production's, staging's); none for review, whose namespaces are made per merge request. */
    readonly namespace?: string;
}

export function identityKubeconfig(args: IdentityKubeconfigArgs): string {
    const caData = args.tokenSecretData["ca.crt"];
    const tokenData = args.tokenSecretData.token;
    if (!caData || !tokenData) throw new Error(`the ${args.environment} token Secret has no ${caData ? "token" : "ca.crt"}: the token controller has not filled it`);
    const name = `argus-${args.environment}`;
    return yaml.dump(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "argus", cluster: { server: args.apiServer, "certificate-authority-data": caData } }],
            users: [{ name: `${name}-deployer`, user: { token: Buffer.from(tokenData, "base64").toString("utf8") } }],
            contexts: [{ name, context: { cluster: "argus", user: `${name}-deployer`, ...(args.namespace ? { namespace: args.namespace } : {}) } }],
            "current-context": name,
        },
        { lineWidth: -1 },
    );
}
