import { expect } from "chai";
import { literalEnv } from "../../components/workload/containers";
import { podSpecOf } from "../../util/podTemplates";
import { renderWith } from "../helpers";

describe("values the kubelet would expand", () => {
    it("writes $( in a literal env value as $$(, which the kubelet turns back into $(", () => {
        expect(literalEnv("ADMIN_EMAIL", "$(DATABASE_URL)@x.no")).to.deep.equal({ name: "ADMIN_EMAIL", value: "$$(DATABASE_URL)@x.no" });
        expect(literalEnv("A", "$(a)$(b) $x $$")).to.deep.equal({ name: "A", value: "$$(a)$$(b) $x $$" });
    });

    it("never lets a first admin's name or address pull another variable into the migration Job", async () => {
        // A user name cannot hold "$(" (Django's user name characters); an address can.
        const r = await renderWith("staging", { adminUsername: "admin", adminEmail: "$(DATABASE_URL)@x.no" }, { adminPassword: "pw" });
        const job = r.objects.find((o) => o.kind === "Job")!;
        const env = podSpecOf(job).containers[0].env as { name: string; value?: string }[];
        expect(env.filter((e) => e.value !== undefined)).to.deep.equal([
            { name: "ADMIN_USERNAME", value: "admin" },
            { name: "ADMIN_EMAIL", value: "$$(DATABASE_URL)@x.no" },
        ]);
    });
});
