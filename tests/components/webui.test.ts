import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { runtimeConfig, webuiConfigData, webuiVolumes } from "../../components/webui/spec";
import { Rendering } from "../../render";
import { findObject, parseMinimal, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** How the seed's build showed times and severities: 24-hour ISO dates with the zone offset. */
const seedDisplay = {
    use24hTime: true, timestampDateFormat: "yyyy-MM-dd", timestampTimeFormat: "HH:mm:ss", timestampTimeNoSeconds: "HH:mm",
    timestampTimezoneOffsetFormat: "xxx", timestampFormat: "{date} {time}{timezone_offset}", showSeverityLevels: true,
};

describe("the webui's runtime-config.json", () => {
    let webui: ReturnType<typeof parseMinimal>["webui"];
    beforeEach(() => (webui = parseMinimal("staging", { autoRefreshInterval: "60", realtimeMaxRetries: "9" }).webui));

    it("gives Argus-frontend its backend, websocket, cookie and refresh settings and the seed's display formats", () => {
        expect(JSON.parse(runtimeConfig({ apiHost: "api.argus.example.org", webuiHost: "argus.example.org", tls: true, webui }))).to.deep.equal({
            backendUrl: "https://api.argus.example.org",
            // The webui host: only there does the browser send the host-only token cookie (components/webui/spec.ts).
            backendWSUrl: "wss://argus.example.org/ws",
            enableWebsocketSupport: true,
            useSecureCookie: true,
            debug: false,
            cookieDomain: "argus.example.org",
            defaultAutoRefreshInterval: 60,
            realtimeServiceMaxRetries: 9,
            ...seedDisplay,
        });
    });

    it("uses http, ws and cookies without Secure when the stack has no TLS, and ends with a newline", () => {
        const text = runtimeConfig({ apiHost: "api.a.example.org", webuiHost: "a.example.org", tls: false, webui });
        expect(JSON.parse(text)).to.include({ backendUrl: "http://api.a.example.org", backendWSUrl: "ws://a.example.org/ws", useSecureCookie: false });
        expect(text.endsWith("}\n")).to.equal(true);
    });

    it("ships beside nginx.conf in one ConfigMap, mounted with a small /tmp for nginx", () => {
        expect(Object.keys(webuiConfigData({ apiHost: "api.a.example.org", webuiHost: "a.example.org", tls: false, webui }, "a-api"))).to.deep.equal(["nginx.conf", "runtime-config.json"]);
        expect(webuiVolumes("webui-config-abc")).to.deep.equal([
            { name: "config", configMap: { name: "webui-config-abc" } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ]);
    });
});

describe("the webui of a rendered stack", () => {
    const staging = renderedBeforeEach("staging");
    const withoutTls = renderedBeforeEach("review-123", { tls: "false", certIssuer: null });
    const runtime = (r: () => Rendering) => JSON.parse((findObject(r(), "ConfigMap", "webui-config").data as any)["runtime-config.json"]);

    it("gets this stack's backend in runtime-config.json", () => {
        expect(runtime(staging)).to.deep.include({
            backendUrl: "https://api.argus-staging.paas2.uninett.no",
            backendWSUrl: "wss://argus-staging.paas2.uninett.no/ws",
            cookieDomain: "argus-staging.paas2.uninett.no",
            useSecureCookie: true,
        });
    });

    it("points at the backend over plain http, without secure cookies, when TLS is off", () => {
        expect(runtime(withoutTls)).to.include({ backendUrl: "http://api.argus-review-123.paas2.uninett.no", useSecureCookie: false });
    });

    it("mounts its config read-only", () => {
        expect(podSpecOf(findObject(staging(), "Deployment", "argus-staging-webui")).containers[0].volumeMounts[0]).to.deep.include({ readOnly: true });
    });
});

describe("the webui image", () => {
    it("is built with REACT_APP_USE_SECURE_COOKIE=false, so runtime-config.json decides secure cookies", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "components", "webui", "image", "Dockerfile"), "utf8");
        const build = text.indexOf("npm run build");
        const flag = text.indexOf("ENV REACT_APP_USE_SECURE_COOKIE=false");
        expect(flag, "the flag is set").to.be.greaterThan(-1);
        expect(flag, "before the build that bakes it in").to.be.lessThan(build);
        expect(text.lastIndexOf("FROM", build), "in the build stage").to.be.lessThan(flag);
    });
});
