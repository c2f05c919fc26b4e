import { expect } from "chai";
import { dockerConfigJson } from "../../components/pullSecret";
import { findObject, renderedBeforeEach, sharedRender } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The cluster a stack deploys to (components/cluster.ts) and the registry its Pods pull from (components/pullSecret.ts). */

const provider = (r: Awaited<ReturnType<typeof sharedRender>>) => r.resources.find((x) => x.type === "pulumi:providers:kubernetes")!;

describe("the stack's Kubernetes provider", () => {
    for (const [stack, instance] of [["production", "argus"], ["staging", "argus-staging"], ["review-123", "argus-review-123"]]) {
        describe(stack, () => {
            const rendering = renderedBeforeEach(stack, { kubeContext: `ctx-${stack}` });

            it("carries every Kubernetes object, and nothing else goes through it", () => {
                expect(provider(rendering()).name).to.equal(`${instance}-kubernetes`);
                expect(provider(rendering()).inputs).to.deep.include({ context: `ctx-${stack}`, deleteUnreachable: stack.startsWith("review") ? "true" : "false" });
                for (const resource of rendering().resources.filter((x) => x.type.startsWith("kubernetes:"))) {
                    expect(resource.provider, `${resource.type} ${resource.name}`).to.equal(`pulumi:providers:kubernetes::${instance}-kubernetes`);
                }
            });
        });
    }

    describe("adopting existing objects", () => {
        const adopting = renderedBeforeEach("production", { adoptExistingObjects: "true" });
        const notAdopting = renderedBeforeEach("production");

        it("forces server-side apply over their field managers, and only while adopting", () => {
            expect(provider(adopting()).inputs).to.deep.include({ upsertExistingObjects: "true", enablePatchForce: "true" });
            expect(provider(notAdopting()).inputs).to.deep.include({ upsertExistingObjects: "false", enablePatchForce: "false" });
        });
    });
});

describe("the registry pull Secret", () => {
    const review = renderedBeforeEach("review-123");
    const operatorSecret = renderedBeforeEach("staging", { imagePullSecret: "argus-registry", registryPullUsername: null, registryPullToken: null });
    let refusal = "";
    beforeEach(async () => (refusal = await sharedRender("staging", { imagePullSecret: "argus-registry" }).then(() => "", (err: Error) => err.message)));

    it("is a dockerconfigjson Secret made from the deploy token, which every Pod pulls with", () => {
        const pull = review().objects.filter((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson");
        expect(pull).to.have.length(1);
        expect(pull[0].stringData).to.deep.equal({ ".dockerconfigjson": "[secret]" });
        const pods = review().objects.filter((o) => o.kind === "Deployment" || o.kind === "Job");
        expect(pods.length).to.be.greaterThan(0);
        for (const o of pods) {
            expect(podSpecOf(o).imagePullSecrets, o.metadata.name).to.deep.equal([{ name: pull[0].metadata.name }]);
        }
    });

    it("is an operator's Secret instead, when the stack names one", () => {
        const r = operatorSecret();
        expect(r.objects.filter((o) => o.kind === "Secret" && o.type === "kubernetes.io/dockerconfigjson")).to.deep.equal([]);
        expect(podSpecOf(findObject(r, "Deployment", "-api")).imagePullSecrets).to.deep.equal([{ name: "argus-registry" }]);
    });

    it("refuses both", () => {
        expect(refusal).to.contain("argus:imagePullSecret: is set, and so is registryPullToken: the Pods can pull with one Secret only.");
    });
});

describe("the pull Secret's .dockerconfigjson (dockerConfigJson)", () => {
    it("holds one registry with user, token and their base64 auth", () => {
        expect(JSON.parse(dockerConfigJson("registry.example.org", "deployer", "t0ken"))).to.deep.equal({
            auths: { "registry.example.org": { username: "deployer", password: "t0ken", auth: Buffer.from("deployer:t0ken").toString("base64") } },
        });
    });
});
