// The engine suite: the program run by the real Pulumi CLI (tools/build.sh), not by the mock runtime.
// No cluster: the kubeconfig points at a closed port, and pulumi-kubernetes then previews without the API
// server (provider/pkg/provider/provider.go at v4.25.0: Configure marks the cluster unreachable, Check skips
// the OpenAPI validation, Create and Update with preview=true return the planned object, and only a
// non-preview Create fails with "configured Kubernetes cluster is unreachable").
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Result } from "../shared/process";
import { ciVariables, policyRuntime, renderOffline, sentinels, unreachableKubeconfig, Workspace } from "./harness";
import { initStack, planOf, renderedResources, setInFile, squash, stackFile, tail, toCreate, toLayout2, warnings } from "./support";

const layouts = ["1.x", "2.x"] as const;
const stacks = ["production", "staging", "review-42"];

/**
 * What ci/stack.sh's configure step sets beside the stack file, for the render (a review-<n> stack's render
 * reads the template, not the stack's own file). The registry password is a stand-in; the database URL and
 * the pull token get the render's own stand-ins (render/stackConfig.ts withCiProvidedSecrets).
 */
function ciConfig(): { values: Record<string, string>; secretKeys: string[] } {
    const ci = ciVariables();
    return {
        values: { "argus:imageRepository": ci.CI_REGISTRY_IMAGE, "argus:registryUsername": ci.CI_REGISTRY_USER, "argus:registryPassword": "render-stand-in" },
        secretKeys: ["argus:registryPassword"],
    };
}

/** Renders `stack` offline inside the workspace (its stack files as the engine run left them). */
function renderIn(ws: Workspace, stack: string, extra: Record<string, string> = {}, secretKeys: string[] = []): { result: Result; out: string } {
    const out = path.join(ws.tmp, `render-${stack}-${Object.keys(extra).length}-${Date.now()}`);
    const ci = ciConfig();
    const result = renderOffline(stack, out, { ...ci.values, ...extra }, [...ci.secretKeys, ...secretKeys], ws.dir);
    return { result, out };
}

describe("the real engine (pulumi v3.248.0 CLI, Node.js language host v3.68.0, pulumi-kubernetes 4.25.0, stand-ins for random and docker)", function () {
    let ws: Workspace | undefined;
    afterEach(() => {
        ws?.dispose();
        ws = undefined;
    });

    // 1 and 5 share one workspace per stack and layout: ci/stack.sh's preview, then the plan as JSON.
    for (const layout of layouts) {
        for (const stack of stacks) {
            describe(`${stack}, ${layout} layout`, () => {
                let w: Workspace | undefined;
                let preview: Result;
                let rendered: { type: string; name: string; parent?: string; custom: boolean }[];
                before(async () => {
                    w = await Workspace.create();
                    if (layout === "2.x") toLayout2(stackFile(w, stack));
                    await initStack(w, stack);
                    preview = await w.stackSh(stack, "preview");
                    const { result, out } = renderIn(w, stack);
                    expect(result.code, result.output).to.equal(0);
                    rendered = renderedResources(out);
                });
                after(() => w?.dispose());

                it("1. ci/stack.sh preview exits 0 with the policy pack, creates as many resources as the offline render, warns only as listed", () => {
                    expect(preview.code, tail(preview)).to.equal(0);
                    // `--diff` lists the packs run at the end: "Policy Packs run:", then "argus|local|policy  <version>".
                    expect(preview.output).to.match(/Policy Packs run:\s+Name\s+Version\s+argus\|local\|policy\s+\d/);
                    expect(preview.output).to.not.include("[mandatory]");
                    // The StackReference is read, not created: the summary counts it nowhere.
                    expect(toCreate(preview.output), tail(preview)).to.equal(rendered.filter((r) => r.type !== "pulumi:pulumi:StackReference").length);
                    const unlisted = [...new Set(warnings(preview.output))].filter((line) => !knownWarnings.some((re) => re.test(line)));
                    expect(unlisted, "warnings not listed in realworld/engine/README.md").to.deep.equal([]);
                });

                it("5. the engine's plan (preview --json) is the render's resource list: types, names, parents, custom", async () => {
                    const json = await w!.pulumi(["preview", "--json", "--non-interactive", "--stack", stack]);
                    expect(json.code, tail(json)).to.equal(0);
                    const plan = planOf(json.stdout);
                    expect(plan.filter((r) => r.op !== "create" && r.op !== "read").map((r) => `${r.op} ${r.type}`)).to.deep.equal([]);
                    const key = (r: { type: string; name: string; parent?: string; custom: boolean }) => `${r.type} ${r.name} parent=${r.parent ?? "-"} custom=${r.custom}`;
                    expect(plan.map(key).sort()).to.deep.equal(rendered.map(key).sort());
                });
            });
        }
    }

    describe("2. bad config is refused by the engine with the render's message", () => {
        // [key, value, secret?, other config]: cases from the config specs (tests/config/), on staging.
        const cases: [string, string, boolean, Record<string, string>][] = [
            ["emailHost", "smtp", false, {}],
            ["timeZone", "Europe/Olso", false, {}],
            ["fallbackFilter", "[]", false, {}],
            ["mediaPlugins", "a-b.c", false, {}],
            ["admins", "<ops@example.org>", false, {}],
            ["namespace", "A", false, {}],
            ["dnsEgress", "coredns", false, {}],
            ["databaseCidr", "10.0.0.0/33", false, { "argus:emailHost": "smtp.example.org" }],
            ["defaultFromEmail", "nobody", false, {}],
            ["extraPythonPackages", "pkg>=1.0", false, {}],
            ["ingressClassName", "a_b", false, {}],
            ["imagePullSecret", "A", false, {}],
            ["pruneSchedule", "daily", false, { "argus:argusVersion": "2.9.1" }],
            ["databaseUrl", "mysql://u@h/db", true, {}],
            ["webuiReplicas", "2", false, { "argus:argusVersion": "2.9.1" }],
        ];
        let shared: Workspace | undefined;
        before(async () => {
            shared = await Workspace.create();
            await initStack(shared, "staging");
            await configureLikeCi(shared, "staging");
        });
        after(() => shared?.dispose());

        for (const [key, value, secret, other] of cases) {
            it(`${key} = ${secret ? "(secret)" : JSON.stringify(value)}${Object.keys(other).length ? ` with ${JSON.stringify(other)}` : ""}`, async () => {
                const w = shared!;
                const file = path.join(w.dir, "Pulumi.staging.yaml");
                const saved = fs.readFileSync(file, "utf8");
                try {
                    const full = `argus:${key}`;
                    setInFile(file, other);
                    const set = await w.pulumi(["config", "set", ...(secret ? ["--secret"] : []), "--stack", "staging", "--", full, ...(secret ? [] : [value])], { input: secret ? value : "" });
                    expect(set.code, set.output).to.equal(0);
                    const offline = renderIn(w, "staging", { ...other, ...(secret ? { [full]: value } : {}) }, secret ? [full] : []);
                    expect(offline.result.code, "the render accepted it").to.equal(1);
                    const message = offline.result.stderr.trim();
                    expect(message).to.include(key);
                    const engine = await w.pulumi(["preview", "--non-interactive", "--stack", "staging"]);
                    expect(engine.code, tail(engine)).to.not.equal(0);
                    expect(squash(engine.output)).to.include(squash(message));
                } finally {
                    fs.writeFileSync(file, saved);
                }
            });
        }
    });

    describe("3. secrets: no sentinel appears in plain text anywhere the engine writes", () => {
        it("staging with every secret key set: preview, a failed up, stack export, stack output, the engine's log; only -v=7+ logs leak (upstream)", async () => {
            ws = await Workspace.create();
            const w = ws;
            await initStack(w, "staging");
            // The keys CI does not set, by hand as the operator would. The environment's File variable KUBECONFIG
            // holds a kubeconfig whose token is a sentinel: ci/stack.sh puts it into the stack's config as a secret.
            fs.writeFileSync(w.env.KUBECONFIG, unreachableKubeconfig(1, sentinels.kubeToken));
            setInFile(path.join(w.dir, "Pulumi.staging.yaml"), {
                "argus:adminUsername": "admin",
                "argus:dataportenKey": "argus-client",
                // 2.x, where the organisation's OpenID provider applies (stacks/sections/login.ts); its secret is set below.
                "argus:argusVersion": "2.10.2",
                "argus:oidcEndpoint": "https://login.example.org/realms/staff",
                "argus:oidcClientId": "argus",
                "argus:ticketPlugin": "argus_ticket_jira.JiraPlugin",
                "argus:ticketEndpoint": "https://tickets.example.org",
                "argus:ticketInformation": "{}",
            });
            const set = await w.pulumi(["config", "set", "--secret", "--stack", "staging", "argus:adminPassword"], { input: sentinels.adminPassword });
            expect(set.code, set.output).to.equal(0);
            const setOidc = await w.pulumi(["config", "set", "--secret", "--stack", "staging", "argus:oidcClientSecret"], { input: sentinels.oidcClientSecret });
            expect(setOidc.code, setOidc.output).to.equal(0);
            // The mail relay's password, and a secret extra setting, set as docs/operations.md shows (a map entry with --path).
            setInFile(path.join(w.dir, "Pulumi.staging.yaml"), { "argus:emailHostUser": "argus@example.org" });
            for (const [key, value] of [["argus:emailHostPassword", sentinels.mailPassword], ["argus:extraSecretSettings.SMS_GATEWAY_TOKEN", sentinels.extraSecretSetting]]) {
                const made = await w.pulumi(["config", "set", "--secret", "--path", "--stack", "staging", key], { input: value });
                expect(made.code, made.output).to.equal(0);
            }
            const extra = {
                ARGUS_DJANGO_SECRET_KEY: sentinels.djangoSecretKey,
                ARGUS_DATAPORTEN_SECRET: sentinels.dataportenSecret,
                ARGUS_TICKET_AUTHENTICATION_SECRET: JSON.stringify({ token: sentinels.ticketToken }),
            };
            const preview = await w.stackSh("staging", "preview", extra);
            expect(preview.code, tail(preview)).to.equal(0);
            const logged = await w.pulumi(["preview", "--diff", "--non-interactive", "--stack", "staging", "--logtostderr", "--logflow"]);
            expect(logged.code, tail(logged)).to.equal(0);
            // Verbose engine logs (-v=7 and up) print secret values in plain text: the CLI's log filter for
            // secure config values (pkg/engine/events.go) replaces them only in string attributes, while
            // property values are formatted after filtering (sdk/go/common/util/logging/log.go filterAttr and
            // Infof, pulumi v3.248.0). CI must never pass -v; this pins the upstream behaviour.
            const verbose = await w.pulumi(["preview", "--non-interactive", "--stack", "staging", "-v=9", "--logtostderr", "--logflow"]);
            expect(verbose.code, tail(verbose)).to.equal(0);
            expect(verbose.output, "-v=9 log").to.include(sentinels.adminPassword);
            // up creates what needs no cluster (the random password, the images) and fails at the first
            // Kubernetes object, so the state holds secret outputs too.
            const up = await w.pulumi(["up", "--yes", "--non-interactive", "--stack", "staging"]);
            expect(up.output).to.include("configured Kubernetes cluster is unreachable");
            const exported = await w.pulumi(["stack", "export", "--stack", "staging"]);
            expect(exported.code, exported.output).to.equal(0);
            const outputs = await w.pulumi(["stack", "output", "--json", "--stack", "staging"]);
            expect(outputs.code, outputs.output).to.equal(0);
            // Without a cluster, up creates only the components and the Kubernetes provider, whose kubeconfig
            // (with the token sentinel) the state keeps encrypted. The program's outputs are registered only
            // by a finished update: `stack output --json` prints {} here, and the preview shows them instead.
            const state = JSON.parse(exported.stdout) as { deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] } };
            const provider = state.deployment.resources?.find((r) => r.type === "pulumi:providers:kubernetes");
            expect(JSON.stringify(provider?.inputs?.kubeconfig), "the provider's kubeconfig is kept encrypted").to.include("ciphertext");

            const texts: [string, string][] = [
                ["ci/stack.sh preview output", preview.output],
                ["preview.txt", fs.readFileSync(path.join(w.dir, "preview.txt"), "utf8")],
                ["preview log (default verbosity, --logtostderr --logflow)", logged.output],
                ["up output", up.output],
                ["stack export", exported.output],
                ["stack output --json", outputs.output],
                // Everything the engine wrote: backend, PULUMI_HOME, HOME, the project's stack files; not the
                // File variable KUBECONFIG, which holds the token as CI gives it.
                ...w
                    .allFiles()
                    .filter((f) => f !== w.env.KUBECONFIG && (!path.relative(w.tmp, f).startsWith("project") || /^Pulumi\..*\.yaml$|^preview\.txt$/.test(path.basename(f))))
                    .map((f) => [`file ${path.relative(w.tmp, f)}`, fs.readFileSync(f, "latin1")] as [string, string]),
            ];
            const leaks: string[] = [];
            for (const [name, text] of texts) {
                for (const [which, sentinel] of Object.entries(sentinels)) {
                    if (text.includes(sentinel)) leaks.push(`${which} in ${name}`);
                }
            }
            expect(leaks).to.deep.equal([]);
            // They are there, encrypted: the stack file holds a secure value for each key set as a secret.
            const stackFileText = fs.readFileSync(path.join(w.dir, "Pulumi.staging.yaml"), "utf8");
            for (const key of ["registryPassword", "registryPullToken", "databaseUrl", "djangoSecretKey", "dataportenSecret", "oidcClientSecret", "ticketAuthenticationSecret", "adminPassword", "kubeconfig"]) {
                expect(stackFileText).to.match(new RegExp(`argus:${key}:\\s*\\n\\s*secure: `), key);
            }
        });
    });

    describe("4. a review stack from a fresh clone, as the merge-request pipeline runs it", () => {
        it("ci/stack.sh review-7 preview, then destroy, with the backend from PULUMI_BACKEND_URL", async () => {
            ws = await Workspace.create({ clone: true });
            const preview = await ws.stackSh("review-7", "preview");
            expect(preview.code, tail(preview)).to.equal(0);
            expect(toCreate(preview.output)).to.be.greaterThan(0);
            const destroy = await ws.stackSh("review-7", "destroy");
            expect(destroy.code, tail(destroy)).to.equal(0);
            const ls = await ws.pulumi(["stack", "ls", "--json"]);
            expect(JSON.parse(ls.stdout)).to.deep.equal([]);
            const again = await ws.stackSh("review-7", "destroy");
            expect(again.code, tail(again)).to.equal(0);
            expect(again.output).to.include("does not exist (already removed)");
        });
    });

    describe("6. the policy pack, run by the engine", () => {
        it("stops the preview of a program whose containers allow privilege escalation, naming the rule and the object", async () => {
            ws = await Workspace.create();
            await initStack(ws, "staging");
            await configureLikeCi(ws, "staging");
            // A defect the offline render would also refuse; under the engine only the pack stands in its way.
            const containers = path.join(ws.dir, "components", "workload", "containers.ts");
            const text = fs.readFileSync(containers, "utf8");
            expect(text).to.include("allowPrivilegeEscalation: false,");
            fs.writeFileSync(containers, text.replace("allowPrivilegeEscalation: false,", "allowPrivilegeEscalation: true,"));
            ws.buildSync();
            const preview = await ws.pulumi(["preview", "--non-interactive", "--stack", "staging", "--policy-pack", "policy"]);
            expect(preview.code, tail(preview)).to.not.equal(0);
            expect(preview.output).to.include("[mandatory]  argus-non-root  (kubernetes:apps/v1:Deployment: argus-staging-webui-workload-deployment)");
            expect(preview.output).to.include("[non-root] container nginx allows privilege escalation.");
        });

        it("needs the launcher here: with `runtime: nodejs` the CLI asks the built language host's RunPlugin, which v3.68.0 does not support", async () => {
            ws = await Workspace.create();
            await initStack(ws, "staging");
            await configureLikeCi(ws, "staging");
            const file = path.join(ws.dir, "policy", "PulumiPolicy.yaml");
            fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`runtime: ${policyRuntime}`, "runtime: nodejs"));
            const preview = await ws.pulumi(["preview", "--non-interactive", "--stack", "staging", "--policy-pack", "policy"]);
            expect(preview.code).to.not.equal(0);
            expect(preview.output).to.include("could not read plugin [policy]: not supported");
        });
    });
});

/** Warnings a preview here prints, each explained in realworld/engine/README.md. */
const knownWarnings = [
    // Any plugin found on PATH that is not bundled beside the CLI (sdk/go/common/workspace/plugins.go,
    // GetPluginPath, at pulumi v3.248.0). The engine suite puts the provider and the stand-ins there.
    /^warning: using pulumi-resource-(kubernetes|random|docker) from \$PATH at /,
    // @pulumi/kubernetes 4.34.2 asks for the plugin at >=4.34.2; only 4.25.0 builds here
    // (pkg/host/host.go at pulumi v3.248.0).
    /^warning: resource plugin kubernetes is expected to have version >=4\.34\.2, but has 4\.25\.0; /,
    // The test-only launcher of the policy pack (policy-launcher/), found on PATH like the plugins above.
    /^warning: using pulumi-analyzer-policy-nodejs-launcher from \$PATH at /,
];

/** ci/stack.sh's configure step without its preview: select, configure (it leaves the stack configured). */
async function configureLikeCi(ws: Workspace, stack: string): Promise<void> {
    // ci/stack.sh has no configure-only action; its preview configures, then previews (output discarded here).
    const run = await ws.stackSh(stack, "preview");
    if (run.code !== 0) throw new Error(`ci/stack.sh ${stack} preview failed:\n${tail(run)}`);
}
