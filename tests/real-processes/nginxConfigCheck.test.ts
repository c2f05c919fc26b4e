import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { sharedRender } from "../helpers";
import { checkConfig, sharedTempDir } from "../support/nginx";

/** The machine's `nginx -t` on the nginx.conf files each stack ships in its ConfigMaps. */

describe("nginx -t on the configs each stack ships", () => {
    for (const stack of ["production", "staging", "review-123"]) {
        describe(stack, () => {
            let dir = "";
            let files: string[] = [];
            beforeEach(async () => {
                const rendering = await sharedRender(stack);
                dir = sharedTempDir("argus-nginx-t-");
                // nginx resolves an upstream's name at start; in the Pod the cluster DNS answers for a Service
                // (the webui's `server <api Service>:80;`), here the name stands for 127.0.0.1.
                const services = rendering.objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name as string);
                const resolved = (text: string) => text.replace(/server ([\w.-]+):(\d+);/g, (m, host, port) => (services.includes(host) ? `server 127.0.0.1:${port};` : m));
                files = rendering.objects
                    .filter((o) => o.kind === "ConfigMap" && (o.data as Record<string, string>)["nginx.conf"])
                    .map((o, i) => {
                        const file = path.join(dir, `nginx-${i}.conf`);
                        fs.writeFileSync(file, resolved((o.data as Record<string, string>)["nginx.conf"]));
                        return file;
                    });
            });
            afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

            it("accepts the api and webui nginx.conf from the rendered ConfigMaps", () => {
                expect(files).to.have.length(2);
                for (const file of files) {
                    const check = checkConfig(file);
                    expect(check.ok, check.output).to.equal(true);
                }
            });
        });
    }
});
