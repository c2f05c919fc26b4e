import { expect } from "chai";
import { secretEnvNames } from "../../components/argus/settings";
import { findObject, parseMinimal, renderedBeforeEach } from "../helpers";
import { configError, problems, problemTexts, specifies } from "./helpers";

/** Login through the organisation's OpenID provider (stacks/sections/login.ts), 2.x only. */
const v2 = { argusVersion: "2.10.2" };
const provider = { ...v2, oidcEndpoint: "https://login.example.org/realms/staff", oidcClientId: "argus" };
const SECRET = "Sentinel-oidc-client-secret";

describe("the organisation's OpenID provider in config", () => {
    it("reads the issuer, client id and display name for 2.x, with the issuer's port, and asks for its secret from the api Secret", () => {
        const api = parseMinimal("staging", { ...provider, oidcDisplayName: " Example University " }, { oidcClientSecret: SECRET }).api;
        expect(api.oidc).to.deep.equal({ endpoint: "https://login.example.org/realms/staff", clientId: "argus", port: 443, displayName: "Example University" });
        expect(parseMinimal("staging", { ...provider, oidcEndpoint: "https://idp.example.org:8443" }, { oidcClientSecret: SECRET }).api.oidc).to.include({ port: 8443 });
        expect(secretEnvNames(api)).to.include("SOCIAL_AUTH_OIDC_SECRET");
        expect(parseMinimal("staging", v2).api.oidc).to.equal(undefined);
        expect(secretEnvNames(parseMinimal("staging", v2).api)).not.to.include("SOCIAL_AUTH_OIDC_SECRET");
    });

    it("needs the client id and secret with the issuer, and refuses the client id or display name without one", () => {
        expect(problemTexts(provider)).to.deep.equal(["oidcClientSecret: is required when oidcEndpoint is set."]);
        expect(problemTexts({ ...v2, oidcEndpoint: provider.oidcEndpoint }, { oidcClientSecret: SECRET })).to.deep.equal(["oidcClientId: is required when oidcEndpoint is set."]);
        expect(problems({ ...v2, oidcClientId: "argus", oidcDisplayName: "Example" })).to.deep.equal([
            "oidcClientId: is set, but oidcEndpoint is not, so no login would use it. Fix: pulumi config set --stack staging oidcEndpoint https://login.example.org/realms/staff (or: pulumi config rm --stack staging oidcClientId)",
            "oidcDisplayName: is set, but oidcEndpoint is not, so no login would use it. Fix: pulumi config set --stack staging oidcEndpoint https://login.example.org/realms/staff (or: pulumi config rm --stack staging oidcDisplayName)",
        ]);
        expect(problemTexts(v2, { oidcClientSecret: SECRET })).to.deep.equal(["oidcEndpoint: is required when oidcClientSecret is set."]);
    });

    it("refuses every key of it for the 1.x layout, whose social login completes for Feide and the React webui", () => {
        const refused = problems({ oidcEndpoint: provider.oidcEndpoint, oidcClientId: "argus", oidcDisplayName: "Example" }, { oidcClientSecret: SECRET });
        expect(refused).to.have.length(4);
        expect(refused[0]).to.equal(
            "oidcEndpoint: applies to the Argus 2.x layout only: 1.x completes a social login for Feide's data and its React webui, not for a generic OpenID provider, and this stack deploys the 1.x layout (argusVersion). Fix: pulumi config rm --stack staging oidcEndpoint (or deploy Argus 2.x)",
        );
        expect(refused.map((p) => p.split(":")[0])).to.deep.equal(["oidcEndpoint", "oidcClientId", "oidcClientSecret", "oidcDisplayName"]);
        expect(refused.join()).not.to.contain(SECRET);
    });

    it("keeps the client secret out of every message: stored in plain text, or beside existingApiSecret", () => {
        const plain = configError(() => parseMinimal("staging", { ...provider, oidcClientSecret: SECRET })).message;
        expect(plain).to.contain("argus:oidcClientSecret: is stored in plain text");
        expect(plain).not.to.contain(SECRET);
        const beside = configError(() => parseMinimal("staging", { ...provider, existingApiSecret: "argus-api-secrets", database: "external" }, { oidcClientSecret: SECRET, databaseUrl: "" }));
        expect(beside.problems.map((p) => `${p.key}: ${p.problem}`)).to.include('oidcClientSecret: is set, but existingApiSecret "argus-api-secrets" already provides the api\'s secrets.');
        expect(beside.message).not.to.contain(SECRET);
        // With the operator's Secret, it holds SOCIAL_AUTH_OIDC_SECRET: nothing to set here.
        const fromSecret = parseMinimal("staging", { ...provider, existingApiSecret: "argus-api-secrets" }, { databaseUrl: "" }).api;
        expect(secretEnvNames(fromSecret)).to.include("SOCIAL_AUTH_OIDC_SECRET");
    });
});

describe("what the OpenID provider's keys take, value by value", () => {
    specifies("oidcEndpoint", {
        accepted: ["https://login.example.org", "https://login.example.org/realms/staff", "https://idp.example.org:8443/oidc", "https://127.0.0.1:9443"],
        refused: ["http://login.example.org", "login.example.org", "https://login.example.org/", "https://login.example.org/.well-known/openid-configuration", "https://login.example.org?x=1", "https://user:pw@login.example.org"],
        problem: (v) =>
            `"${v}" ${
                {
                    "http://login.example.org": "is not an https URL; the provider's tokens and the client secret travel over it",
                    "login.example.org": "is not a URL",
                    "https://login.example.org/": "ends with a slash, which would make social-core ask for //.well-known/openid-configuration",
                    "https://login.example.org/.well-known/openid-configuration": "includes /.well-known/; give the issuer alone, social-core appends /.well-known/openid-configuration",
                    "https://login.example.org?x=1": "has a query or fragment, which an issuer URL has not",
                    "https://user:pw@login.example.org": "has credentials in it; the client id and secret have keys of their own",
                }[v]
            }.`,
        with: { ...v2, oidcClientId: "argus" },
    });

    specifies("oidcClientId", {
        accepted: ["argus", "0oa1b2c3d4E5f6G7h8", "urn:example:argus"],
        refused: ["argus client", "argüs"],
        problem: (v) => `"${v}" has spaces or characters outside printable ASCII, which a client id has not.`,
        with: { ...v2, oidcEndpoint: "https://login.example.org" },
    });
});

describe("what an OpenID provider renders (2.x)", () => {
    const rendered = renderedBeforeEach("staging", { ...provider, oidcDisplayName: "Example University" }, { oidcClientSecret: SECRET });

    it("puts the issuer, client id and display name into the settings ConfigMap, and the client secret into the api Secret only", () => {
        const r = rendered();
        const configMaps = r.objects.filter((o) => o.kind === "ConfigMap");
        const settings = configMaps.find((c) => (c as any).data?.ARGUS_PUBLIC_HOSTS) as any;
        expect(settings.data).to.include({ SOCIAL_AUTH_OIDC_OIDC_ENDPOINT: "https://login.example.org/realms/staff", SOCIAL_AUTH_OIDC_KEY: "argus", ARGUS_OIDC_METHOD_NAME: "Example University" });
        expect(settings.data).not.to.have.property("SOCIAL_AUTH_OIDC_SECRET");
        for (const text of [JSON.stringify(configMaps), r.manifestsYaml]) expect(text).not.to.contain(SECRET);
        const secret = r.resources.find((x) => x.type === "kubernetes:core/v1:Secret" && JSON.stringify(x.inputs).includes("SOCIAL_AUTH_OIDC_SECRET"));
        expect(secret, "the api Secret has the key SOCIAL_AUTH_OIDC_SECRET").to.not.equal(undefined);
        const web = (findObject(r, "Deployment", "web") as any).spec.template.spec.containers[0];
        expect(web.env.find((e: any) => e.name === "SOCIAL_AUTH_OIDC_SECRET").valueFrom.secretKeyRef.key).to.equal("SOCIAL_AUTH_OIDC_SECRET");
    });

    it("lets the web Pods, and only they, reach the issuer's port", () => {
        const r = rendered();
        const egressPorts = (name: string) => ((findObject(r, "NetworkPolicy", `argus-staging-${name}`) as any).spec.egress as any[]).map((e) => e.ports.map((p: any) => p.port));
        expect(egressPorts("web")).to.deep.include([443]);
        expect((findObject(r, "NetworkPolicy", "argus-staging-web") as any).spec.egress.at(-1)).to.deep.equal({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
        for (const other of ["worker", "migrate", "housekeeping"]) expect(egressPorts(other), other).not.to.deep.include([443]);
    });
});
