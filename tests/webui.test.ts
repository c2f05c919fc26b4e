import { expect } from "chai";
import { runtimeConfig, webuiConfigData, webuiVolumes } from "../components/webui/spec";
import { parseMinimal } from "./helpers";

/** How the seed's build showed times and severities: 24-hour ISO dates with the zone offset. */
const seedDisplay = {
    use24hTime: true, timestampDateFormat: "yyyy-MM-dd", timestampTimeFormat: "HH:mm:ss", timestampTimeNoSeconds: "HH:mm",
    timestampTimezoneOffsetFormat: "xxx", timestampFormat: "{date} {time}{timezone_offset}", showSeverityLevels: true,
};

describe("the webui's runtime-config.json", () => {
    const webui = parseMinimal("staging", { autoRefreshInterval: "60", realtimeMaxRetries: "9" }).webui;

    it("gives Argus-frontend its backend, websocket, cookie and refresh settings and the seed's display formats", () => {
        expect(JSON.parse(runtimeConfig({ apiHost: "api.argus.example.org", webuiHost: "argus.example.org", tls: true, webui }))).to.deep.equal({
            backendUrl: "https://api.argus.example.org",
            backendWSUrl: "wss://api.argus.example.org/ws",
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
        expect(JSON.parse(text)).to.include({ backendUrl: "http://api.a.example.org", backendWSUrl: "ws://api.a.example.org/ws", useSecureCookie: false });
        expect(text.endsWith("}\n")).to.equal(true);
    });

    it("ships beside nginx.conf in one ConfigMap, mounted with a small /tmp for nginx", () => {
        expect(Object.keys(webuiConfigData({ apiHost: "api.a.example.org", webuiHost: "a.example.org", tls: false, webui }))).to.deep.equal(["nginx.conf", "runtime-config.json"]);
        expect(webuiVolumes("webui-config-abc")).to.deep.equal([
            { name: "config", configMap: { name: "webui-config-abc" } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ]);
    });
});
