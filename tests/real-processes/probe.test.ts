import { expect } from "chai";
import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";

const probe = path.join(__dirname, "..", "..", "components", "argus", "image", "argus_site", "probe.py");

/** Runs the image's probe script with the machine's python3, as the kubelet runs it in the container. */
function runProbe(...args: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn("python3", [probe, ...args], { stdio: "ignore" });
        child.on("error", reject);
        child.on("exit", (code) => resolve(code ?? -1));
    });
}

describe("the loopback probe of the Argus image (argus_site/probe.py), for real on 127.0.0.1", () => {
    let server: http.Server;
    let port = 0;
    before(async () => {
        // Answers like Django: 200 for the one host it knows, 400 for others, 500 on /broken.
        server = http.createServer((req, res) => {
            res.statusCode = req.url === "/broken" ? 500 : req.headers.host === "api.argus.example.org" ? (req.url === "/moved" ? 302 : 200) : 400;
            res.end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("passes on 2xx and 3xx for the host Django answers, as httpGet counts", async () => {
        expect(await runProbe("http", String(port), "/admin/login/", "api.argus.example.org")).to.equal(0);
        expect(await runProbe("http", String(port), "/moved", "api.argus.example.org")).to.equal(0);
    });

    it("fails on 4xx and 5xx, and when nothing listens", async () => {
        expect(await runProbe("http", String(port), "/admin/login/", "other.example.org")).to.equal(1);
        expect(await runProbe("http", String(port), "/broken", "api.argus.example.org")).to.equal(1);
        const closed = await new Promise<number>((resolve) => {
            const s = http.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as AddressInfo).port;
                s.close(() => resolve(p));
            });
        });
        expect(await runProbe("http", String(closed), "/", "api.argus.example.org")).to.equal(1);
        expect(await runProbe("tcp", String(closed))).to.equal(1);
    });

    it("passes tcp when the port accepts a connection, and refuses a wrong call with status 2", async () => {
        expect(await runProbe("tcp", String(port))).to.equal(0);
        expect(await runProbe("udp", String(port))).to.equal(2);
        expect(await runProbe("tasks", "ten minutes")).to.equal(2);
    });
});
