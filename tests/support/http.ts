import * as http from "http";

/** A plain HTTP client for the tests that run servers on 127.0.0.1: no agent, no keep-alive, the whole body. */

export interface Response {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: Buffer;
}

export function request(port: number, urlPath: string, options: { headers?: Record<string, string>; method?: string; body?: Buffer } = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
        const target = { host: "127.0.0.1", port, path: urlPath, method: options.method ?? "GET", headers: options.headers, agent: false };
        const req = http.request(target, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}
