import { expect } from "chai";
import { KubernetesObject } from "../../rules/objects";
import { schemaFailures } from "../../rules/schema";
import { sharedRenders } from "../helpers";
import { brokenCopy } from "../support/objects";

describe("schema: each object against the Kubernetes OpenAPI schema of kubernetes-models", () => {
    it("refuses a kind it has no schema for", () => {
        expect(schemaFailures([{ apiVersion: "example.org/v1", kind: "Widget", metadata: { name: "w" } }])).to.deep.equal([
            { object: "Widget w", rule: "schema", message: "no schema for example.org/v1 Widget." },
        ]);
    });

    describe("in a staging render", () => {
        const renders = sharedRenders(["staging"], { apiReplicas: "2" });
        let objects: KubernetesObject[];
        beforeEach(async () => {
            objects = brokenCopy((await renders()).get("staging")!.objects, "Deployment", "argus-staging-api", (o) => (o.spec.replicas = "two"));
        });

        it("finds a schema violation", () => {
            expect(schemaFailures(objects)).to.deep.equal([
                { object: "Deployment argus-staging/argus-staging-api", rule: "schema", message: "data/spec/replicas must be integer" },
            ]);
        });
    });
});
