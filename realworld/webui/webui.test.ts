/**
 * The 1.x webui (Argus-frontend, built as components/webui/image/Dockerfile's build stage builds it) in Debian's
 * Chromium on the staging render's real hostnames: served by the webui Pod's nginx with the rendered ConfigMap,
 * talking to the api Pod of the default release through the ingress stand-in (issue #32), the live update
 * over the websocket after a password login included.
 */
import { expect } from "chai";
import * as path from "path";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { ADMIN } from "../argus/layout";
import { Client } from "../argus/client";
import { artifactsDir, launchChromium, newUser } from "./browser";
import { ingressRequest } from "./ingress";
import { postIncident, startWebuiStack, WebuiStack } from "./stack";
import { waitFor } from "../shared/wait";

describe("the webui in Chromium, against the real api (staging render)", () => {
    let stack: WebuiStack;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const webui = (p = "/") => `https://${stack.webuiHost}${p}`;

    before(async () => {
        stack = await startWebuiStack();
        console.log(`      frontend ${stack.frontend.built ? "built" : "from the cache"} in ${stack.frontend.seconds.toFixed(0)} s (node ${stack.frontend.nodeVersion}): ${stack.frontend.html}`);
        browser = await launchChromium(stack.ingress);
    });
    after(async () => {
        for (const c of contexts) await c.close().catch(() => undefined);
        await browser?.close();
        await stack?.stop();
    });

    afterEach(async function () {
        if (this.currentTest?.state !== "failed") return;
        const pages = contexts.flatMap((c) => c.pages());
        const name = (this.currentTest.title.replace(/[^a-z0-9]+/gi, "-") + "-").slice(0, 60);
        for (const [i, page] of pages.slice(-2).entries()) {
            const file = path.join(artifactsDir(), `failed-${name}${i}.png`);
            await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
            console.log(`      screenshot of the failure: ${file}`);
        }
    });

    async function freshPage(): Promise<Page> {
        const context = await newUser(browser);
        contexts.push(context);
        return context.newPage();
    }

    /** The login form, filled and sent as a user does; resolves when the incident list's header shows the user. */
    async function logIn(page: Page, password = stack.layout.adminPassword): Promise<void> {
        await page.goto(webui("/login"));
        await page.fill("#username-input", ADMIN.username);
        await page.fill("#password-input", password);
        await page.click("#login-form button[type=submit]");
    }

    /**
     * An API client with the token the page's login got (its `token` cookie). Not the suite's own admin token:
     * every password login replaces the user's one token (argus/auth/spa/views.py ObtainNewAuthToken, argus-server
     * 1.37.0), so a login in the browser ends any other client's token of that user.
     */
    async function apiClientOf(page: Page): Promise<Client> {
        const token = (await page.context().cookies(webui("/"))).find((c) => c.name === "token");
        if (!token) throw new Error(`no token cookie on ${webui("/")}: the page is not logged in`);
        const client = new Client(stack.api.namedPort(), stack.apiHost);
        client.token = token.value;
        return client;
    }

    async function loggedInPage(): Promise<Page> {
        const page = await freshPage();
        await logIn(page);
        await page.getByRole("button", { name: "User menu" }).getByText(ADMIN.username).waitFor({ timeout: 30000 });
        return page;
    }

    describe("runtime config", () => {
        it("loads /runtime-config.json from the webui host, the ConfigMap's values, and calls the backendUrl it names", async () => {
            const page = await freshPage();
            const configAnswer = page.waitForResponse((r) => r.url() === webui("/runtime-config.json"));
            // The login page's first call: `${backendUrl}/login-methods/` (src/api/client.ts at v1.14.1).
            const apiCall = page.waitForResponse((r) => r.url() === `${stack.runtimeConfig.backendUrl}/login-methods/`);
            await page.goto(webui("/"));
            const config = await configAnswer;
            expect(config.status()).to.equal(200);
            expect(await config.json()).to.deep.equal(stack.runtimeConfig);
            expect(stack.runtimeConfig.backendUrl).to.equal(`https://${stack.apiHost}`);
            expect((await apiCall).status()).to.equal(200);
        });
    });

    describe("login through the form (a password user, the render's first admin)", () => {
        it("refuses a wrong password with the form's message", async () => {
            const page = await freshPage();
            await logIn(page, "not-the-password");
            await page.getByText("Wrong username or password").waitFor({ timeout: 30000 });
            expect(new URL(page.url()).pathname).to.equal("/login");
        });

        it("logs the admin in: the header names the user, the token cookie is a secure one of the webui host", async () => {
            const page = await loggedInPage();
            const cookies = await page.context().cookies(webui("/"));
            const token = cookies.find((c) => c.name === "token");
            expect(token, JSON.stringify(cookies.map((c) => c.name))).to.not.equal(undefined);
            expect(token).to.include({ domain: stack.webuiHost, secure: stack.runtimeConfig.useSecureCookie, path: "/" });
            expect((await (await apiClientOf(page)).get("/api/v1/auth/user/")).json().username).to.equal(ADMIN.username);
        });

        it("ends the first browser's token when the same user logs in from a second (one token per user)", async () => {
            const first = await apiClientOf(await loggedInPage());
            expect((await first.get("/api/v1/auth/user/")).status).to.equal(200);
            await loggedInPage();
            expect((await first.get("/api/v1/auth/user/")).status).to.equal(401);
        });
    });

    describe("the incident list", () => {
        it("shows an incident of the real api; a screenshot goes to the artifacts", async () => {
            const description = `webui list ${Date.now()}`;
            await postIncident(stack, description);
            const page = await loggedInPage();
            await page.getByText(description).waitFor({ timeout: 30000 });
            const file = path.join(artifactsDir(), "incident-list.png");
            await page.screenshot({ path: file, fullPage: true });
            console.log(`      screenshot: ${file}`);
        });
    });

    describe("an incident posted through the API while the list is open", () => {
        it("appears after a reload", async () => {
            const page = await loggedInPage();
            const description = `webui reload ${Date.now()}`;
            await postIncident(stack, description);
            await page.reload();
            await page.getByText(description).waitFor({ timeout: 30000 });
        });
    });

    describe("the Realtime mode after a password login", () => {
        it("gets the api's incident events over the websocket to the webui host, and lists a new incident and drops an acknowledged one without a reload", async () => {
            const shown = `webui realtime shown ${Date.now()}`;
            const shownPk = await postIncident(stack, shown);
            const page = await freshPage();
            // The toolbar's Auto Update choice, as Argus-frontend v1.14.1 keeps it (src/localstorageconsts.ts
            // AUTO_UPDATE_METHOD, utils.tsx fromLocalStorageOrDefault reads { value }); the default is "interval".
            await page.addInitScript('window.localStorage.setItem("autoupdatemethod", JSON.stringify({ value: "realtime" }))');
            const sockets: string[] = [];
            const events: { type: string; payload?: { description?: string } }[] = [];
            page.on("websocket", (ws) => {
                sockets.push(ws.url());
                ws.on("framereceived", (frame) => events.push(JSON.parse(String(frame.payload))));
            });
            let loads = 0;
            page.on("load", () => loads++);
            await logIn(page);
            // RealtimeIncidentTable.tsx at v1.14.1 shows this once the consumer accepted the handshake and answered the
            // subscription; a refused one shows "Failed to establish realtime connection" and falls back to interval.
            await page.getByText("Established realtime connection").waitFor({ timeout: 30000 });
            expect(sockets).to.deep.equal([`wss://${stack.webuiHost}/ws/open/`]);
            await page.getByText(shown).waitFor({ timeout: 15000 });
            const loadsBefore = loads;

            // A new incident reaches the page as a "created" event and joins the list: v1.14.1 alone would keep it
            // in storedIncidents only (src/components/incidentsprovider.tsx, IncidentsType.AddIncident), which the
            // webui image's build fixes (components/webui/image/fixes/new-incidents-in-realtime-list.mjs).
            const posted = `webui realtime posted ${Date.now()}`;
            await postIncident(stack, posted);
            await waitFor(() => events.some((e) => e.type === "created" && e.payload?.description === posted), 15000, () => `no "created" event for ${posted}: ${JSON.stringify(events.map((e) => e.type))}`);
            await page.getByText(posted).waitFor({ timeout: 15000 });

            // A listed incident acknowledged elsewhere (here through the API with the page's own token) is modified
            // in place, and leaves the list the Unacked filter shows, with no load of the page.
            const api = await apiClientOf(page);
            const ack = await api.post(`/api/v1/incidents/${shownPk}/acks/`, { event: { timestamp: new Date().toISOString(), description: "acked elsewhere" } });
            expect(ack.status, ack.body).to.equal(201);
            await page.getByText(shown).waitFor({ state: "detached", timeout: 15000 });
            expect(loads, "the page was not loaded again").to.equal(loadsBefore);
        });
    });

    describe("acknowledging an incident from the UI", () => {
        it("acknowledges through the incident's page, which the api then reports acked", async () => {
            const pk = await postIncident(stack, `webui ack ${Date.now()}`);
            const page = await loggedInPage();
            await page.goto(webui(`/incidents/${pk}`));
            await page.getByRole("button", { name: "Create acknowledegment" }).first().click();
            const dialog = page.getByRole("dialog");
            await dialog.getByLabel("Acknowledgment message").fill("seen in the webui suite");
            await dialog.getByRole("button", { name: "Submit" }).click();
            // At v1.14.1 Submit sends it at once (no "Are you sure" step): the page then lists it, with the status chip.
            await page.getByText("seen in the webui suite").waitFor({ timeout: 30000 });
            await page.getByText("Acknowledged", { exact: true }).waitFor({ timeout: 30000 });
            const api = await apiClientOf(page);
            const incident = await api.get(`/api/v1/incidents/${pk}/`);
            expect(incident.json().acked, incident.body).to.equal(true);
            const acks = await api.get(`/api/v1/incidents/${pk}/acks/`);
            expect(acks.json().map((a: { event: { description: string } }) => a.event.description), acks.body).to.include("seen in the webui suite");
        });
    });

    describe("logout", () => {
        it("ends the session: the login page, no token cookie, and the api refuses the old token", async () => {
            const page = await loggedInPage();
            const api = await apiClientOf(page);
            await page.getByRole("button", { name: "User menu" }).click();
            await page.getByRole("menuitem", { name: "Logout" }).click();
            await page.waitForURL(webui("/login"), { timeout: 30000 });
            expect((await page.context().cookies(webui("/"))).map((c) => c.name)).to.not.include("token");
            expect((await api.get("/api/v1/auth/user/")).status).to.equal(401);
        });
    });

    describe("CORS between the webui and api hosts", () => {
        it("answers the preflight of the webui origin, and of no other", async () => {
            const preflight = (origin: string) =>
                ingressRequest(stack.ingress, stack.apiHost, "OPTIONS", "/api/v1/incidents/", {
                    Origin: origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization,content-type",
                });
            const ours = await preflight(`https://${stack.webuiHost}`);
            expect(ours.status).to.equal(200);
            expect(ours.headers["access-control-allow-origin"]).to.equal(`https://${stack.webuiHost}`);
            expect(String(ours.headers["access-control-allow-headers"]).toLowerCase()).to.include("authorization");
            expect(String(ours.headers["access-control-allow-methods"])).to.include("POST");
            const other = await preflight("https://elsewhere.example.org");
            expect(other.headers["access-control-allow-origin"]).to.equal(undefined);
        });
    });

    describe("deep links", () => {
        it("serves /incidents/<id> with index.html (not cached), and the app shows that incident", async () => {
            const description = `webui deep link ${Date.now()}`;
            const pk = await postIncident(stack, description);
            const page = await loggedInPage();
            const answer = (await page.goto(webui(`/incidents/${pk}`)))!;
            expect(answer.status()).to.equal(200);
            expect(answer.headers()["content-type"]).to.match(/^text\/html/);
            expect(answer.headers()["cache-control"]).to.equal("no-cache");
            await page.getByText(description).first().waitFor({ timeout: 30000 });
        });
    });

    describe("static cache headers", () => {
        it("keeps hashed /static/ files a year, never index.html or runtime-config.json; a missing file and the deleted source maps are 404s not kept", async () => {
            const page = await freshPage();
            const statics: Response[] = [];
            page.on("response", (r) => {
                if (new URL(r.url()).pathname.startsWith("/static/js/")) statics.push(r);
            });
            const index = (await page.goto(webui("/")))!;
            await page.waitForLoadState("networkidle");
            expect(index.headers()["cache-control"]).to.equal("no-cache");
            expect(statics.length).to.be.above(0);
            for (const r of statics) expect(r.headers()["cache-control"], r.url()).to.equal("public, max-age=31536000, immutable");
            const config = await ingressRequest(stack.ingress, stack.webuiHost, "GET", "/runtime-config.json");
            expect(config.headers["cache-control"]).to.equal("no-cache");
            const main = new URL(statics.find((r) => /\/main\.[0-9a-f]+\.js$/.test(r.url()))!.url()).pathname;
            for (const missing of ["/static/js/main.0000.js", `${main}.map`]) {
                const r = await ingressRequest(stack.ingress, stack.webuiHost, "GET", missing);
                expect(r.status, missing).to.equal(404);
                expect(r.headers["cache-control"], missing).to.not.match(/immutable/);
            }
        });
    });
});
