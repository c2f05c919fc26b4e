// Production's image look-up against the suite's registry (fixture.ts, production.ts): an image staging never
// pushed stops pulumi up before anything is created.
import { expect } from "chai";
import { Result } from "../shared/process";
import { Workspace } from "../engine/harness";
import { tail } from "../engine/support";
import { cluster } from "./fixture";
import { emptyNamespace, managed } from "./objects";
import { imageRepository, lookups, prepareProduction } from "./production";
import { setConfig, up } from "./workspace";

describe("an image staging never pushed (another frontend release: another webui content tag)", () => {
    let ws: Workspace;
    let missing: string[];
    let result: Result;
    before(async () => {
        ws = await Workspace.create();
        await emptyNamespace(cluster(), "argus");
        const pushed = await prepareProduction(cluster(), ws);
        // Another frontend release: another webui build, so another content tag, which nobody pushed.
        await setConfig(ws, "production", { frontendVersion: "v1.13.0" });
        missing = (await lookups(ws, "production")).filter((r) => !(r in pushed));
        result = await up(ws, "production");
    });
    after(async () => {
        await emptyNamespace(cluster(), "argus");
        ws?.dispose();
    });

    it("is only the webui's reference", () => {
        expect(missing.map((r) => r.replace(/:[0-9a-f]{20}$/, ":<tag>")), "only the webui's tag differs").to.deep.equal([`${imageRepository(cluster())}/webui:<tag>`]);
    });

    it("fails pulumi up at the registry look-up, naming the reference and the 404", () => {
        expect(result.code, tail(result)).to.not.equal(0);
        // The real provider's wording (data_source_docker_registry_image.go, kreuzwerker v3.9.0): the
        // repository without the registry host, then the registry's status.
        const named = missing[0].slice(cluster().registry.host.length + 1);
        expect(result.output).to.include(`Got error when attempting to fetch image version ${named} from registry: got bad response from registry: 404 Not Found`);
    });

    it("creates nothing in the namespace", async () => {
        expect(await managed(cluster(), "argus"), "nothing created in the namespace").to.deep.equal([]);
    });

    it("leaves no resource in the state", async () => {
        const state = await ws.pulumi(["stack", "export", "--stack", "production"]);
        expect(state.code, state.output).to.equal(0);
        expect(JSON.parse(state.stdout).deployment?.resources ?? [], "no resource in the state").to.deep.equal([]);
    });
});
