import * as net from "net";

/** A port on 127.0.0.1 that nothing listens on now: bound by us, then closed. Every suite's servers take theirs here. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}
