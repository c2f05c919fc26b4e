import { expect } from "chai";
import { Rendering } from "../../render";
import { findObject, renderedBeforeEach } from "../helpers";

/** The host names each stack serves, and the Ingresses that serve them. */

const hosts = (r: Rendering) => r.objects.filter((o) => o.kind === "Ingress").map((o) => (o.spec as any).rules[0].host).sort();
const ingressNames = (r: Rendering) => r.objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name);

describe("the hosts of each stack", () => {
    const production = renderedBeforeEach("production");
    const staging = renderedBeforeEach("staging");
    const review = renderedBeforeEach("review-123");

    it("production serves argus.uninett.no and api.argus.uninett.no", () => {
        expect(hosts(production())).to.deep.equal(["api.argus.uninett.no", "argus.uninett.no"]);
    });

    it("staging and review serve under paas2.uninett.no", () => {
        expect(hosts(staging())).to.deep.equal(["api.argus-staging.paas2.uninett.no", "argus-staging.paas2.uninett.no"]);
        expect(hosts(review())).to.deep.equal(["api.argus-review-123.paas2.uninett.no", "argus-review-123.paas2.uninett.no"]);
    });
});

describe("the Ingresses websockets pass (1.x: the webui's, where the webui opens its own, and the api's)", () => {
    const staging = renderedBeforeEach("staging");

    it("keep websockets open an hour, like the nginx behind them", () => {
        for (const name of ["argus-staging-api", "argus-staging-webui"]) {
            expect(findObject(staging(), "Ingress", name).metadata.annotations, name).to.include({
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
            });
        }
    });
});

describe("Ingresses left to another tool", () => {
    const withoutApi = renderedBeforeEach("staging", { apiIngress: "false" });
    const withoutWebui = renderedBeforeEach("staging", { webuiIngress: "false" });

    it("leaves out the api Ingress when the stack switches it off", () => {
        expect(ingressNames(withoutApi())).to.deep.equal(["argus-staging-webui"]);
    });

    it("leaves out the webui Ingress when the stack switches it off", () => {
        expect(ingressNames(withoutWebui())).to.deep.equal(["argus-staging-api"]);
    });
});
