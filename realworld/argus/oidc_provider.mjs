/**
 * A real OpenID provider for the Argus suite (realworld/argus/oidc.test.ts): npm's oidc-provider (a certified
 * implementation) over HTTPS on 127.0.0.1, with one confidential client, as an organisation's provider would
 * have Argus registered. Its development interactions are the login form (any user name, any password) and the
 * consent page (node_modules/oidc-provider/lib/actions/interaction.js, 9.13.3). Run with Node 22 (it warns on 20).
 *
 * Everything comes from the environment: OIDC_ISSUER (https://127.0.0.1:<port>), OIDC_PORT, OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_TLS_CERT and OIDC_TLS_KEY (PEM files). It logs one line per
 * event the test reads: "listening", and each grant or authorization error with its code and description.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import Provider from "oidc-provider";

const env = (name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
};

// A signing key of this run: social-core checks the ID token's RS256 signature against the provider's JWKS.
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "realworld", use: "sig", alg: "RS256" };

/** The user who logs in: the login form's name as the subject, with the claims Argus takes into its user. */
function findAccount(_ctx, id) {
    return {
        accountId: id,
        claims: () => ({ sub: id, preferred_username: id, email: `${id}@example.org`, email_verified: true, name: "Kari Nordmann", given_name: "Kari", family_name: "Nordmann" }),
    };
}

const provider = new Provider(env("OIDC_ISSUER"), {
    clients: [
        {
            client_id: env("OIDC_CLIENT_ID"),
            client_secret: env("OIDC_CLIENT_SECRET"),
            redirect_uris: [env("OIDC_REDIRECT_URI")],
            grant_types: ["authorization_code"],
            response_types: ["code"],
        },
    ],
    jwks: { keys: [signingKey] },
    findAccount,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name", "preferred_username"] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
});

for (const event of ["grant.error", "authorization.error", "server_error", "userinfo.error"]) {
    provider.on(event, (_ctx, error) => console.log(`${event}: ${error.error ?? error.name} (${error.error_description ?? error.message})`));
}
provider.on("grant.success", () => console.log("grant.success"));

const server = createServer({ cert: readFileSync(env("OIDC_TLS_CERT")), key: readFileSync(env("OIDC_TLS_KEY")) }, provider.callback());
server.listen(Number(env("OIDC_PORT")), "127.0.0.1", () => console.log(`listening on ${env("OIDC_ISSUER")}`));
