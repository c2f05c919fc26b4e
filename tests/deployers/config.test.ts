import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { DeployersConfig, deployersConfigNamespace, deployersKeys, FallbackKubeconfig, parseDeployersConfig, readFallbackKubeconfig } from "../../deployers/config";
import { projectRoot } from "../../util/projectRoot";
import { mapSource } from "../helpers";
import { configError } from "../config/helpers";

const admin = (server = "https://10.0.0.1:6443") =>
    [
        "apiVersion: v1",
        "clusters:",
        `- name: c\n  cluster:\n    server: ${server}`,
        "users:",
        "- name: u\n  user:\n    token: ADMIN-TOKEN-1234",
        "contexts:",
        "- name: admin\n  context:\n    cluster: c\n    user: u",
        "current-context: admin",
    ].join("\n");

const fromEnv = (text = admin()): FallbackKubeconfig => ({ sources: [{ path: "/home/admin/.kube/config", text }] });

describe("the deployers program's config", () => {
    describe("unset", () => {
        let config: DeployersConfig;
        beforeEach(() => (config = parseDeployersConfig("paas2", mapSource({ kubeconfig: "", kubeContext: "", apiServer: "" }), fromEnv())));

        it("takes the cluster from the file $KUBECONFIG names, its current context, and that server for CI", () => {
            expect([config.kubeconfig, config.context, config.target.context, config.target.server, config.apiServer]).to.deep.equal([undefined, undefined, "admin", "https://10.0.0.1:6443", "https://10.0.0.1:6443"]);
        });
    });

    describe("set", () => {
        it("takes the kubeconfig from config as a secret, the context named and apiServer as given", async () => {
            const other = admin("https://internal:6443").replace("current-context: admin", "current-context: none");
            const config = parseDeployersConfig("paas2", mapSource({ kubeContext: "admin", apiServer: "https://k8s.example.org" }, { kubeconfig: other }), { unreadable: "never read" });
            expect([config.context, config.target.server, config.apiServer]).to.deep.equal(["admin", "https://internal:6443", "https://k8s.example.org"]);
            // isSecret is on every Output at run time, left out of the SDK's typings.
            expect(await (config.kubeconfig as unknown as { isSecret: Promise<boolean> }).isSecret).to.equal(true);
        });
    });

    describe("bad input", () => {
        it("collects every problem, each naming the stack, the argus-deployers: key, what is wrong and the fix, and redacts the kubeconfig", () => {
            const error = configError(() => parseDeployersConfig("paas2", mapSource({ kubeconfig: admin(), kubeContext: "missing", apiServer: "http://k8s.example.org", kubeConfig: "x" }), fromEnv()));
            expect(error.message).to.equal(
                [
                    'The configuration of stack "paas2" has 4 problems; nothing was created.',
                    '  - argus-deployers:kubeConfig: is not a setting this program knows. Fix: Did you mean "kubeconfig"? pulumi -C deployers config rm --stack paas2 kubeConfig',
                    "  - argus-deployers:kubeconfig: is stored in plain text, so it would sit unencrypted in the stack file and the state. Fix: pulumi -C deployers config set --secret --stack paas2 kubeconfig '<kubeconfig YAML>'",
                    '  - argus-deployers:kubeContext: names the context "missing", which the kubeconfig does not have (it has: admin). Fix: pulumi -C deployers config set --stack paas2 kubeContext paas2-admin',
                    '  - argus-deployers:apiServer: "http://k8s.example.org" is not https: CI\'s kubeconfigs carry a bearer token, which must not travel in plain text. Fix: pulumi -C deployers config set --stack paas2 apiServer https://kubernetes.example.org:6443',
                ].join("\n"),
            );
            expect(error.message).not.to.contain("ADMIN-TOKEN-1234");
        });

        it("refuses a missing kubeconfig file, a kubeconfig that is not YAML, and an http server left for CI", () => {
            const problems = (source: Record<string, string>, fallback: FallbackKubeconfig, secrets: Record<string, string> = {}) =>
                configError(() => parseDeployersConfig("paas2", mapSource(source, secrets), fallback)).problems.map((p) => `${p.key}: ${p.problem}`);
            expect(problems({}, { unreadable: "no kubeconfig file exists at /nowhere ($KUBECONFIG)." })).to.deep.equal(["kubeconfig: is not set and no kubeconfig file exists at /nowhere ($KUBECONFIG)."]);
            expect(problems({}, { unreadable: "never read" }, { kubeconfig: "a: [" })[0]).to.match(/^kubeconfig: the kubeconfig is not YAML: /);
            expect(problems({}, fromEnv(admin("http://127.0.0.1:8080")))).to.deep.equal(['apiServer: is not set, and the kubeconfig\'s server "http://127.0.0.1:8080" is not an https URL to give CI.']);
        });
    });
});

describe("deployers/Pulumi.yaml", () => {
    it("declares every key of the program, with its description and default", () => {
        const project = yaml.load(fs.readFileSync(path.join(projectRoot, "deployers", "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, unknown> };
        expect(project.name).to.equal(deployersConfigNamespace);
        expect(project.config).to.deep.equal(Object.fromEntries(Object.entries(deployersKeys).map(([key, spec]) => [key, { type: spec.type, description: spec.description, default: spec.default }])));
    });
});

describe("the kubeconfig files $KUBECONFIG names", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployers-config-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("are read in order, a missing one skipped as client-go skips it; none at all is a problem", () => {
        fs.writeFileSync(path.join(dir, "b"), "b: 1\n");
        const both = readFallbackKubeconfig({ KUBECONFIG: [path.join(dir, "a"), path.join(dir, "b")].join(path.delimiter) });
        expect(both).to.deep.equal({ sources: [{ path: path.join(dir, "b"), text: "b: 1\n" }] });
        expect(readFallbackKubeconfig({ KUBECONFIG: path.join(dir, "a") })).to.deep.equal({ unreadable: `no kubeconfig file exists at ${path.join(dir, "a")} ($KUBECONFIG).` });
    });
});
