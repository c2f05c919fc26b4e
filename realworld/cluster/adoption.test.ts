// Adoption on the suite's control plane (fixture.ts): objects kubectl applied from the old templates' shape
// are taken over by production's stack with adoptExistingObjects, as docs/operations.md's "Move from the YAML
// deployment" says.
import { expect } from "chai";
import { Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { cluster, timedRun } from "./fixture";
import { emptyNamespace, expectHealthy, managed, Obj } from "./objects";
import { expectImagesFromRegistry, imageRepository, prepareProduction, Pushed } from "./production";
import { setConfig, summary, up } from "./workspace";

/**
 * The objects of the deployment we replace (argus-k8s-examples' shape, docs/operations.md "Move from the YAML
 * deployment"): under our fixed names, with their own selectors, ports, labels and annotations.
 */
const oldTemplates = `apiVersion: v1
kind: ServiceAccount
metadata: {name: argus, namespace: argus, labels: {legacy: "yes"}}
automountServiceAccountToken: true
---
apiVersion: v1
kind: Service
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}}
spec:
  selector: {app: argus-api}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: argus-webui, namespace: argus, labels: {legacy: "yes"}}
spec:
  selector: {app: argus-webui}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}, annotations: {legacy.example.org/owner: yaml}}
spec:
  rules:
  - host: api.argus.uninett.no
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: argus-api, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: argus-webui, namespace: argus, labels: {legacy: "yes"}}
spec:
  rules:
  - host: argus.uninett.no
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: argus-webui, port: {number: 80}}}}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: argus-api, namespace: argus, labels: {legacy: "yes"}}
spec:
  replicas: 1
  selector: {matchLabels: {app: argus-api}}
  template:
    metadata: {labels: {app: argus-api}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: django
        image: registry.example.org/argus/old:1
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;


describe("adoption: objects kubectl applied from the old templates' shape are taken over by adoptExistingObjects, as docs/operations.md says", () => {
    let ws: Workspace;
    let pushed: Pushed;
    before(async () => {
        ws = await Workspace.create();
        await emptyNamespace(cluster(), "argus");
        pushed = await prepareProduction(cluster(), ws);
        const applied = await cluster().kubectl(["apply", "-f", "-"], { input: oldTemplates });
        if (applied.code !== 0) throw new Error(applied.output);
        // Step 2: the old Deployments go (their selector is immutable and differs from ours).
        const deleted = await cluster().kubectl(["-n", "argus", "delete", "deployment", "argus-api", "--wait=true"]);
        if (deleted.code !== 0) throw new Error(deleted.output);
        await setConfig(ws, "production", { adoptExistingObjects: "true" });
    });
    after(async () => {
        if (ws) await ws.pulumi(["destroy", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000 });
        await emptyNamespace(cluster(), "argus");
        ws?.dispose();
    });

    // The program forces field conflicts with the provider option enablePatchForce (components/
    // cluster.ts, read in pulumi-kubernetes 4.32.0). The plugin built here, 4.25.0, has no such option:
    // its patchForce (provider/pkg/await/await.go at v4.25.0) forces only for the pulumi.com/patchForce
    // annotation, a preview, or PULUMI_K8S_ENABLE_PATCH_FORCE; and it always upserts on create with
    // server-side apply (same file, Creation). So this plugin refuses kubectl's fields, as the operations
    // guide says an up without forcing does, and takes them over with the variable set.
    describe("pulumi up without forcing", () => {
        let result: Result;
        before(async () => {
            result = await up(ws, "production");
        });

        it("fails on the Server-Side Apply field conflict", () => {
            expect(result.code, tail(result)).to.not.equal(0);
            expect(result.output).to.include("Server-Side Apply field conflict");
        });
    });

    describe("pulumi up forced (PULUMI_K8S_ENABLE_PATCH_FORCE, as 4.25.0 can)", () => {
        let result: Result;
        let since: number;
        let objects: Obj[];
        before(async () => {
            ({ result, since } = await timedRun("production: pulumi up adopting the old objects (forced as 4.25.0 can)", () => ws.pulumi(["up", "--yes", "--non-interactive", "--stack", "production"], { timeoutMs: 600_000, env: { PULUMI_K8S_ENABLE_PATCH_FORCE: "true" } })));
            objects = await managed(cluster(), "argus");
        });

        it("succeeds with a healthy stack running the registry's images", async () => {
            expect(result.code, tail(result)).to.equal(0);
            await expectHealthy(cluster(), "argus", since);
            expectImagesFromRegistry(objects, imageRepository(cluster()), pushed);
        });

        it("gives the old Service our selector and keeps a label only the old templates set", () => {
            const api = objects.find((o) => o.kind === "Service" && o.metadata.name === "argus-api")!;
            const apiDeployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "argus-api")!;
            expect(api.spec.selector, "our selector took over").to.deep.equal(apiDeployment.spec.selector.matchLabels);
            expect(api.metadata.labels.legacy, "a label only the old templates set stays").to.equal("yes");
        });

        it("turns the old ServiceAccount's token automount off", () => {
            const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "argus")!;
            expect(sa.automountServiceAccountToken).to.equal(false);
        });

        it("gives the old Ingress our TLS section", () => {
            const ingress = objects.find((o) => o.kind === "Ingress" && o.metadata.name === "argus-api")!;
            expect(ingress.spec.tls, "our TLS section").to.not.equal(undefined);
        });
    });

    describe("step 5: adoption off again", () => {
        let next: Result;
        let again: Result;
        before(async () => {
            const rm = await ws.pulumi(["config", "rm", "--stack", "production", "argus:adoptExistingObjects"]);
            if (rm.code !== 0) throw new Error(rm.output);
            next = await up(ws, "production");
            again = await up(ws, "production");
        });

        it("the next update succeeds", () => {
            expect(next.code, tail(next)).to.equal(0);
        });

        it("the one after it changes nothing", () => {
            expect(again.code, tail(again)).to.equal(0);
            expect(Object.keys(summary(again.output)), tail(again)).to.deep.equal(["unchanged"]);
        });
    });
});
