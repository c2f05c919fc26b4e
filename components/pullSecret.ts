/** The registry credentials Pods pull our images with, as Kubernetes expects them. */

/**
 * The `.dockerconfigjson` of a `kubernetes.io/dockerconfigjson` Secret: one registry, a user and a token,
 * plus `auth` (base64 of user:token), the form the kubelet reads.
 */
export function dockerConfigJson(server: string, username: string, token: string): string {
    const auth = Buffer.from(`${username}:${token}`).toString("base64");
    return JSON.stringify({ auths: { [server]: { username, password: token, auth } } });
}
