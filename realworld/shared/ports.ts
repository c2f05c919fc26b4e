/** Loopback ports: every suite's servers take theirs here (the fast suite's nginx and redis too). */
import * as net from "net";

/** A port on 127.0.0.1 that nothing listens on now: bound by us, then closed. */
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

/** Whether something accepts a TCP connection on 127.0.0.1:port now. */
export function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}
