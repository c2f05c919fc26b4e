import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { renderStack, Rendering, stackProgramConfig } from "../../render";
import { checkObjects } from "../../rules";
import { CheckError } from "../../rules/failure";
import { KubernetesObject } from "../../rules/objects";
import { maxInstanceNameLength, parseStackName } from "../../stacks/stackName";
import { renderWith, sharedRenders } from "../helpers";
import { service, workload } from "../support/objects";

const stacks = ["production", "staging", "review-123"];

describe("checks on every render", () => {
    const renderAll = sharedRenders(stacks, { apiReplicas: "2" });
    let renderings = new Map<string, Rendering>();
    beforeEach(async () => (renderings = await renderAll()));

    for (const stack of stacks) {
        it(`${stack}: every object passes the Kubernetes schema and our policy`, () => {
            expect(checkObjects(renderings.get(stack)!.objects)).to.deep.equal([]);
        });
    }
});

describe("a 2.x render with every optional object", () => {
    let objects: KubernetesObject[];
    beforeEach(async () => {
        const r = await renderWith("staging", { argusVersion: "2.9.1", apiReplicas: "2", workerReplicas: "2", versionCheck: "true", adminUsername: "admin" }, { adminPassword: "pw" });
        objects = r.objects;
    });

    it("2.x renders, with every optional object, pass every check too", () => {
        expect(checkObjects(objects)).to.deep.equal([]);
    });
});

describe("the longest review slug", () => {
    const slug = "s".repeat(maxInstanceNameLength - "argus-review-".length);
    let layouts: KubernetesObject[][];
    beforeEach(async () => {
        layouts = [];
        for (const layout of [{}, { argusVersion: "2.9.1", versionCheck: "true" }] as Record<string, string>[]) {
            layouts.push((await renderWith(`review-${slug}`, { ...layout, apiReplicas: "2" })).objects);
        }
    });

    it("renders the longest review slug in both layouts through every check, and refuses one character more", () => {
        for (const objects of layouts) {
            expect(checkObjects(objects)).to.deep.equal([]);
        }
        expect(parseStackName(`review-${slug}s`)).to.equal(`stack name "review-${slug}s" is too long: a review slug has at most ${slug.length} characters.`);
    });
});

describe("the order of the checks, which is the order of a render's messages", () => {
    let rules: string[];
    beforeEach(() => {
        const deployment = workload("Deployment", { image: "repo/app" });
        const web = service("1-web", { tier: "none" }, [{ port: 80, targetPort: "http" }]);
        rules = checkObjects([web, deployment]).map((f) => `${f.object} [${f.rule}]`);
    });

    it("runs the schema, hardening, Services and Ingresses, names and labels, then references", () => {
        // The Service comes first among the objects, yet each check reports before the next one starts.
        expect(rules).to.deep.equal([
            "Deployment ns/w [schema]",
            "Deployment ns/w [pinned-image]",
            "Service ns/1-web [service-selects-pods]",
            "Service ns/1-web [name]",
            "Service ns/1-web [reference]",
        ]);
    });
});

describe("a render whose program makes a failing object", () => {
    let error: unknown;
    beforeEach(async () => {
        const program = async () => {
            new k8s.core.v1.ConfigMap("stray", { metadata: { name: "stray", namespace: "argus" }, data: { a: "b" } });
            return {};
        };
        error = undefined;
        try {
            await renderStack("production", stackProgramConfig("production"), program);
        } catch (err) {
            error = err;
        }
    });

    it("stops a render whose program makes a failing object, naming the object and the rule", () => {
        expect(error).to.be.instanceOf(CheckError);
        expect((error as Error).message).to.contain(
            "  - ConfigMap argus/stray: [labels] lacks app.kubernetes.io/name, app.kubernetes.io/instance, app.kubernetes.io/part-of, app.kubernetes.io/managed-by.",
        );
    });
});
