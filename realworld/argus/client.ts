/**
 * What talks to the running Argus as its users do: HTTP through the api nginx (or 2.x's gunicorn) with the
 * public Host and the ingress controller's X-Forwarded-Proto, cookies kept per client, and websockets.
 */
import * as http from "http";
import WebSocket from "ws";
import { stats } from "./stats";

export interface Answer {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
    json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A response read to its end. */
export function readAnswer(res: http.IncomingMessage): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
    });
}

/** The name and value a Set-Cookie header sets. */
export function cookiePair(setCookie: string): [string, string] {
    const [pair] = setCookie.split(";");
    const i = pair.indexOf("=");
    return [pair.slice(0, i), pair.slice(i + 1)];
}

/** One browser or API client of one public host, reached on a local port. */
export class Client {
    readonly cookies = new Map<string, string>();
    token?: string;

    constructor(
        readonly port: number,
        readonly host: string,
        readonly scheme: "https" | "http" = "https",
    ) {}

    cookieHeader(): string {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }

    request(method: string, urlPath: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const headers: Record<string, string> = { Host: this.host, "X-Forwarded-Proto": this.scheme, Accept: "application/json, text/html", ...extraHeaders };
        if (payload !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
        if (this.token) headers.Authorization = `Token ${this.token}`;
        if (this.cookies.size) headers.Cookie = this.cookieHeader();
        return new Promise((resolve, reject) => {
            const req = http.request({ host: "127.0.0.1", port: this.port, path: urlPath, method, headers, agent: false, timeout: 60000 }, (res) => {
                readAnswer(res).then((answer) => {
                    for (const c of res.headers["set-cookie"] ?? []) this.cookies.set(...cookiePair(c));
                    stats.requests++;
                    resolve(answer);
                }, reject);
            });
            req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath}: no answer within 60 s`)));
            req.on("error", reject);
            req.end(payload);
        });
    }

    get(urlPath: string): Promise<Answer> {
        return this.request("GET", urlPath);
    }

    post(urlPath: string, body: unknown): Promise<Answer> {
        return this.request("POST", urlPath, body);
    }

    /** A source system's new open incident through API v1, starting now, with one tag; the answer (201 and the incident). */
    postIncident(description: string, level: number, tag: string): Promise<Answer> {
        return this.post("/api/v1/incidents/", { start_time: new Date().toISOString(), end_time: "infinity", description, level, tags: [{ tag }] });
    }

    /** Django's login form (the admin's, or 2.x's /accounts/login/): a session cookie, as a browser gets one. */
    async formLogin(loginPath: string, username: string, password: string): Promise<Answer> {
        const page = await this.get(loginPath);
        const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1];
        if (!csrf) throw new Error(`no CSRF token on ${loginPath} (${page.status}): ${page.body.slice(0, 300)}`);
        const form = new URLSearchParams({ csrfmiddlewaretoken: csrf, username, password, next: loginPath }).toString();
        const origin = `${this.scheme}://${this.host}`;
        return this.request("POST", loginPath, form, { "Content-Type": "application/x-www-form-urlencoded", Referer: `${origin}${loginPath}`, Origin: origin });
    }
}

/** A cookie in a browser's jar: host-only (set without Domain) or for a domain and its subdomains. */
export interface BrowserCookie {
    readonly name: string;
    readonly value: string;
    /** The host that set it (host-only), or its Domain attribute without a leading dot. */
    readonly domain: string;
    readonly hostOnly: boolean;
}

/**
 * The Cookie header a browser sends to `host` (RFC 6265 section 5.4 with 5.1.3's domain-match): a host-only
 * cookie only to the very host that set it, a Domain cookie to that domain and every host under it.
 */
export function cookieHeaderFor(host: string, jar: readonly BrowserCookie[]): string {
    const matches = (c: BrowserCookie) => host === c.domain || (!c.hostOnly && host.endsWith(`.${c.domain}`));
    return jar.filter(matches).map((c) => `${c.name}=${c.value}`).join("; ");
}

/** A websocket client (as the webui opens one), collecting every JSON message it receives. */
export class Socket {
    readonly messages: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    private constructor(readonly ws: WebSocket) {
        ws.on("message", (data) => {
            stats.websocketEvents++;
            this.messages.push(JSON.parse(data.toString()));
        });
    }

    /** Opens `urlPath` on `host` (reached on `port`) from a page of `origin` (default: the same host). */
    static open(port: number, host: string, urlPath: string, cookie: string, origin = `https://${host}`): Promise<Socket> {
        return new Promise((resolve, reject) => {
            const headers: Record<string, string> = { Host: host, "X-Forwarded-Proto": "https", Origin: origin, ...(cookie ? { Cookie: cookie } : {}) };
            const ws = new WebSocket(`ws://127.0.0.1:${port}${urlPath}`, { headers });
            const socket = new Socket(ws);
            ws.once("open", () => resolve(socket));
            ws.once("error", reject);
            ws.once("unexpected-response", (_req, res) => reject(new Error(`websocket upgrade refused: ${res.statusCode}`)));
            ws.once("close", (code) => reject(new Error(`websocket closed before opening: ${code}`)));
        });
    }

    send(value: unknown): void {
        this.ws.send(JSON.stringify(value));
    }

    /** Waits for a message matching predicate. */
    async waitFor(predicate: (m: any) => boolean, timeoutMs: number): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.messages.find(predicate);
            if (found) return found;
            if (Date.now() > deadline) throw new Error(`no matching websocket message within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(0, 500)}`);
            await new Promise((r) => setTimeout(r, 100));
        }
    }

    close(): void {
        this.ws.terminate();
    }
}
