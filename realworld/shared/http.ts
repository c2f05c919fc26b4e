/** A GET's status, for readiness checks and probes: http or https by the URL. */
import * as http from "http";
import * as https from "https";

export interface GetOptions {
    readonly headers?: Readonly<Record<string, string>>;
    /** The CA an https server's certificate must chain to. */
    readonly ca?: Buffer;
    readonly timeoutMs?: number;
}

/** The status of a GET to `url`; 0 when nothing answered within timeoutMs (default 5 s). */
export function httpStatus(url: string, options: GetOptions = {}): Promise<number> {
    const get = url.startsWith("https:") ? https.get : http.get;
    return new Promise((resolve) => {
        const req = get(url, { headers: { ...options.headers }, ca: options.ca, agent: false, timeout: options.timeoutMs ?? 5000 }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
            res.on("error", () => resolve(res.statusCode ?? 0));
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(0));
    });
}
