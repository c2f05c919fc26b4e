/**
 * Login through the organisation's own OpenID Connect provider (2.x), beside Feide and local accounts. Its
 * client secret comes with the api's other secrets (secrets.ts reads it); this section reads the rest.
 *
 * Upstream facts: social-core's generic backend `social_core.backends.open_id_connect.OpenIdConnectAuth`
 * (name "oidc") reads SOCIAL_AUTH_OIDC_OIDC_ENDPOINT, SOCIAL_AUTH_OIDC_KEY and SOCIAL_AUTH_OIDC_SECRET and
 * fetches `<endpoint>/.well-known/openid-configuration` (social_core/backends/open_id_connect.py in
 * social-auth-core 4.5.4, 4.5.6 and 4.8.5, which argus-server 1.24.0, 1.37.0 and 2.9.1/2.10.2 install).
 * Argus 2.x mounts social_django's URLs under /oidc/ (src/argus/htmx/htmx_urls.py at v2.8.0, v2.9.1, 2.10.2)
 * and lists every social backend on its login page, the "oidc" one under ARGUS_OIDC_METHOD_NAME (default
 * "OIDC"; src/argus/htmx/auth/views.py, same tags).
 */
import type { ArgusLayout } from "../../releases/argusRelease";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { hostProblem } from "../../util/validators";

export const loginKeys = {
    oidcEndpoint: {
        type: "string",
        description:
            "Issuer URL of your organisation's OpenID Connect provider (SOCIAL_AUTH_OIDC_OIDC_ENDPOINT), https, without /.well-known/openid-configuration; Argus 2.x only. Register https://<webui host>/oidc/complete/oidc/ as the redirect URI. Empty: no OpenID Connect login.",
        example: "https://login.example.org/realms/staff",
        default: "",
    },
    oidcClientId: {
        type: "string",
        description: "Client id Argus has at the OpenID provider (SOCIAL_AUTH_OIDC_KEY). Required with oidcEndpoint.",
        example: "argus",
        default: "",
    },
    oidcClientSecret: {
        type: "string",
        description: "Client secret Argus has at the OpenID provider (SOCIAL_AUTH_OIDC_SECRET; secret). Required with oidcEndpoint, unless existingApiSecret holds it as SOCIAL_AUTH_OIDC_SECRET.",
        example: "<client secret>",
        default: "",
        secret: true,
    },
    oidcDisplayName: {
        type: "string",
        description: "Name of the provider on Argus' login page (ARGUS_OIDC_METHOD_NAME). Empty: upstream's \"OIDC\".",
        example: "Example University",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type LoginKey = keyof typeof loginKeys;

/** The organisation's OpenID provider; the client secret is in the api Secret (SOCIAL_AUTH_OIDC_SECRET). */
export interface OidcConfig {
    /** The issuer URL, without a trailing slash: social-core appends /.well-known/openid-configuration. */
    readonly endpoint: string;
    readonly clientId: string;
    /** The login page's name for it; undefined: upstream's "OIDC". */
    readonly displayName?: string;
    /** The port the issuer answers on, which the web Pods' NetworkPolicy opens. */
    readonly port: number;
}

/** Where social_django's `complete` view for the "oidc" backend lives in 2.x, the redirect URI the provider must know. */
export const oidcRedirectPath = "/oidc/complete/oidc/";

/** What keeps a text from being an issuer URL we accept, or undefined for a good one. */
export function issuerProblem(endpoint: string): string | undefined {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "is not a URL";
    }
    const host = url.hostname;
    const reasons: [boolean, string][] = [
        [url.protocol !== "https:", "is not an https URL; the provider's tokens and the client secret travel over it"],
        [url.username !== "" || url.password !== "", "has credentials in it; the client id and secret have keys of their own"],
        [url.search !== "" || url.hash !== "", "has a query or fragment, which an issuer URL has not"],
        [url.pathname.includes("/.well-known/"), "includes /.well-known/; give the issuer alone, social-core appends /.well-known/openid-configuration"],
        [endpoint.endsWith("/"), "ends with a slash, which would make social-core ask for //.well-known/openid-configuration"],
        [hostProblem(host) !== undefined, `has a host that ${hostProblem(host)}`],
    ];
    return reasons.find(([applies]) => applies)?.[1];
}

/** The provider, when oidcEndpoint names one; its keys are refused for 1.x, whose login does not work with it. */
export function readOidc(read: ConfigReader<LoginKey>, layout: ArgusLayout): OidcConfig | undefined {
    const endpoint = read.string("oidcEndpoint").trim();
    const clientId = read.string("oidcClientId").trim();
    const displayName = read.string("oidcDisplayName").trim();
    if (layout === "spa") {
        // 1.x completes a social login in argus.spa.views.login_wrapper, which reads extra_data["fullname"] (a
        // Feide field; the OIDC backend stores none) and hands the React webui a token cookie (src/argus/spa/views.py
        // at v1.24.0 and v1.37.0): untested with this backend and failing for users without a name, so refused.
        for (const key of ["oidcEndpoint", "oidcClientId", "oidcClientSecret", "oidcDisplayName"] as const) {
            if (read.isChosen(key)) {
                read.fail(key, "applies to the Argus 2.x layout only: 1.x completes a social login for Feide's data and its React webui, not for a generic OpenID provider, and this stack deploys the 1.x layout (argusVersion).", `pulumi config rm --stack ${read.stack} ${key} (or deploy Argus 2.x)`);
            }
        }
        return undefined;
    }
    if (!endpoint) {
        for (const key of ["oidcClientId", "oidcDisplayName"] as const) {
            if (read.isChosen(key)) {
                read.fail(key, "is set, but oidcEndpoint is not, so no login would use it.", `${read.setCommand("oidcEndpoint")} (or: pulumi config rm --stack ${read.stack} ${key})`);
            }
        }
        return undefined;
    }
    const problem = issuerProblem(endpoint);
    if (problem) {
        read.fail("oidcEndpoint", `"${endpoint}" ${problem}.`, read.setCommand("oidcEndpoint", endpoint.replace(/\/\.well-known\/.*$/, "").replace(/\/+$/, "")));
    }
    if (!clientId) {
        read.fail("oidcClientId", "is required when oidcEndpoint is set.", read.setCommand("oidcClientId"));
    } else if (!/^[\x21-\x7e]+$/.test(clientId)) {
        read.fail("oidcClientId", `"${clientId}" has spaces or characters outside printable ASCII, which a client id has not.`, read.setCommand("oidcClientId"));
    }
    const port = problem ? 443 : Number(new URL(endpoint).port || 443);
    return { endpoint, clientId, port, ...(displayName ? { displayName } : {}) };
}
