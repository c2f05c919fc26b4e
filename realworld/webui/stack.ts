/**
 * The webui suite's stack, from the staging render (production's uses a prebuilt image and renders no image
 * build): the api Pod of the default 1.x release as realworld/argus/spa.test.ts runs it (hosted PostgreSQL,
 * SMTP sink, migration Job with the first admin), the webui Pod (Debian's nginx with the rendered nginx.conf
 * and runtime-config.json ConfigMap, the frontend build mounted where the image has it), and the ingress
 * stand-in in front of both.
 */
import { defaultArgusVersion } from "../../releases/argus";
import { webuiRoot } from "../../components/webui/spec";
import { Client } from "../argus/client";
import { pythonLayer } from "../argus/image";
import { ADMIN, clusterWithApiService, deploy, deployment, Layout, runMigrationJob, runPod, SMTP_SINK, sourceToken, startPod } from "../argus/layout";
import { Pod } from "../argus/pod";
import { one } from "../argus/render";
import { Postgres, SmtpSink, startPostgres, startSmtpSink } from "../argus/services";
import { buildFrontend, FrontendBuild } from "./frontend";
import { Ingress, startIngress } from "./ingress";

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface WebuiStack {
    readonly layout: Layout;
    readonly frontend: FrontendBuild;
    readonly api: Pod;
    readonly webui: Pod;
    readonly ingress: Ingress;
    readonly webuiHost: string;
    readonly apiHost: string;
    /** A source system's API client, with its own token. */
    readonly source: Client;
    /** runtime-config.json as the render's ConfigMap has it. */
    readonly runtimeConfig: any;
    stop(): Promise<void>;
}

/** The webui Deployment's single image: what the render builds from components/webui/image. */
function webuiImage(layout: Layout): string {
    return deployment(layout, "webui").spec.template.spec.containers[0].image;
}

/** The webui docker.Image's build arguments, as the render gives them. */
function webuiBuildArgs(layout: Layout): Record<string, string> {
    const image = layout.rendering.resources.find((x) => x.type === "docker:index/image:Image" && x.inputs?.build?.dockerfile === "components/webui/image/Dockerfile");
    if (!image) throw new Error(`no docker.Image of components/webui/image/Dockerfile in ${layout.rendering.dir}/resources.json`);
    return image.inputs.build.args;
}

export async function startWebuiStack(): Promise<WebuiStack> {
    const started: { stop(): Promise<void> }[] = [];
    const stop = async () => {
        for (const s of started.reverse()) await s.stop();
    };
    try {
        const pg: Postgres = await startPostgres();
        started.push(pg.proc);
        const sink: SmtpSink = await startSmtpSink(await pythonLayer(SMTP_SINK));
        started.push(sink.proc);
        const layout = await deploy({ version: defaultArgusVersion, databaseUrl: await pg.createDatabase("argus_webui"), smtpPort: sink.port });
        const frontend = await buildFrontend(webuiBuildArgs(layout));
        const migration = await runMigrationJob(layout);
        if (!migration.ok) throw new Error(`the migration Job failed:\n${migration.output}`);
        const api = await startPod(layout, "api", "api");
        started.push(api);
        const image = webuiImage(layout);
        const webui = await Pod.create("webui", deployment(layout, "webui"), layout.image, clusterWithApiService(layout, api), [{ matches: (i) => i === image, mounts: [{ source: frontend.html, target: webuiRoot }] }]);
        started.push(webui);
        await runPod(webui);
        const ingress = await startIngress(layout.rendering, [api, webui]);
        started.push(ingress.proc);

        const admin = new Client(api.namedPort(), layout.publicHost);
        const auth = await admin.post("/api/v1/token-auth/", { username: ADMIN.username, password: layout.adminPassword });
        if (auth.status !== 200) throw new Error(`token-auth of the admin: ${auth.status} ${auth.body}`);
        admin.token = auth.json().token;
        const source = new Client(admin.port, layout.publicHost);
        source.token = await sourceToken(admin, "v1", api, "django", "webui-monitor");

        const configMap = one(layout.rendering, "ConfigMap", "webui");
        return {
            layout,
            frontend,
            api,
            webui,
            ingress,
            webuiHost: one(layout.rendering, "Ingress", "webui").spec.rules[0].host,
            apiHost: one(layout.rendering, "Ingress", "api").spec.rules[0].host,
            source,
            runtimeConfig: JSON.parse(configMap.data["runtime-config.json"]),
            stop,
        };
    } catch (e) {
        await stop();
        throw e;
    }
}

/** An incident posted by the source system through API v1; its pk. */
export async function postIncident(stack: WebuiStack, description: string): Promise<number> {
    const posted = await stack.source.postIncident(description, 2, "host=webui.example.org");
    if (posted.status !== 201) throw new Error(`posting an incident: ${posted.status} ${posted.body}`);
    return posted.json().pk;
}
