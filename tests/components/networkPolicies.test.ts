import { expect } from "chai";
import { Rendering } from "../../render";
import { findObject, parseMinimal, renderedBeforeEach } from "../helpers";

/** The NetworkPolicies of an instance (components/networkPolicies.ts): deny by default, then what each Pod needs. */

const policies = (r: Rendering) => new Map(r.objects.filter((o) => o.kind === "NetworkPolicy").map((o) => [o.metadata.name, o.spec as any]));
const egressPorts = (policy: any) => policy.egress.map((e: any) => e.ports.map((p: any) => p.port));

describe("DNS egress", () => {
    const kubeDns = renderedBeforeEach("staging");
    const nodeLocal = renderedBeforeEach("staging", { dnsEgress: "169.254.20.10/32, 10.96.0.10/32" });
    const dnsRule = (r: Rendering) => policies(r).get("argus-staging-api").egress[0];

    it("goes to the kube-dns Pods by default", () => {
        expect(dnsRule(kubeDns()).to).to.deep.equal([{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }]);
    });

    it("goes to the address ranges given instead (NodeLocal DNSCache), on port 53 over UDP and TCP", () => {
        const local = dnsRule(nodeLocal());
        expect(local.to).to.deep.equal([{ ipBlock: { cidr: "169.254.20.10/32" } }, { ipBlock: { cidr: "10.96.0.10/32" } }]);
        expect(local.ports).to.deep.equal([{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]);
    });

    it("refuses anything else", () => {
        expect(() => parseMinimal("staging", { dnsEgress: "coredns" })).to.throw('argus:dnsEgress: "coredns" is neither kube-dns nor an IPv4 address range like 169.254.20.10/32.');
    });
});

describe("network policies of the 1.x layout", () => {
    const production = renderedBeforeEach("production");
    const withDatabaseCidr = renderedBeforeEach("production", { databaseCidr: "10.20.0.0/16" });
    const sharedRedis = renderedBeforeEach("staging", { apiReplicas: "2" });
    const review = renderedBeforeEach("review-123");

    it("deny everything of the instance by default and admit only the ingress controller to the web ports, and the webui to the api's", () => {
        const r = policies(production());
        expect([...r.keys()].sort()).to.deep.equal(["argus-api", "argus-backup", "argus-default-deny", "argus-migrate", "argus-webui"]);
        expect(r.get("argus-default-deny")).to.deep.equal({
            podSelector: { matchLabels: { "app.kubernetes.io/instance": "argus", "app.kubernetes.io/name": "argus" } },
            policyTypes: ["Ingress", "Egress"],
        });
        const fromIngressController = { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080, protocol: "TCP" }] };
        const pods = (component: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/component": component, "app.kubernetes.io/instance": "argus", "app.kubernetes.io/name": "argus" } } });
        expect(r.get("argus-webui").ingress).to.deep.equal([fromIngressController]);
        // The webui nginx passes the webui's websockets to the api Service (components/webui/nginx.ts).
        expect(r.get("argus-api").ingress).to.deep.equal([fromIngressController, { from: [pods("webui")], ports: [{ port: 8080, protocol: "TCP" }] }]);
        expect(r.get("argus-webui").egress).to.deep.equal([
            { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
            { to: [pods("api")], ports: [{ port: 8080, protocol: "TCP" }] },
        ]);
    });

    it("let the api reach only DNS, PostgreSQL and the mail server", () => {
        const api = policies(withDatabaseCidr()).get("argus-api");
        expect(api.egress.map((e: any) => e.ports)).to.deep.equal([
            [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
            [{ port: 5432, protocol: "TCP" }],
            // emailUseTls is on by default, and with it the derived port is 587, as in Argus itself.
            [{ port: 587, protocol: "TCP" }],
        ]);
        expect(api.egress[1].to).to.deep.equal([{ ipBlock: { cidr: "10.20.0.0/16" } }]);
        expect(api.egress[2].to).to.deep.equal([{ ipBlock: { cidr: "0.0.0.0/0" } }]);
    });

    it("let a review app without a mail server reach no mail port", () => {
        expect(egressPorts(findObject(review(), "NetworkPolicy", "-api").spec).flat()).to.deep.equal([53, 53, 5432]);
    });

    it("admit only api Pods to a shared redis", () => {
        const r = policies(sharedRedis());
        const selector = { matchLabels: { "app.kubernetes.io/component": "api", "app.kubernetes.io/instance": "argus-staging", "app.kubernetes.io/name": "argus" } };
        expect(r.get("argus-staging-redis").ingress).to.deep.equal([{ from: [{ podSelector: selector }], ports: [{ port: 6379, protocol: "TCP" }] }]);
        const apiEgress = r.get("argus-staging-api").egress;
        expect(apiEgress).to.have.length(4);
        expect(apiEgress[3]).to.deep.equal({ to: [{ podSelector: { matchLabels: { ...selector.matchLabels, "app.kubernetes.io/component": "redis" } } }], ports: [{ port: 6379, protocol: "TCP" }] });
    });
});

describe("network policies of the 2.x layout", () => {
    const production = renderedBeforeEach("production", { argusVersion: "2.9.1", webuiReplicas: null });
    const versionCheck = renderedBeforeEach("staging", { argusVersion: "2.9.1", versionCheck: "true" });

    it("admit the ingress controller to web only, nothing into the worker, and let each reach only what it needs", () => {
        const r = production();
        const policy = (name: string) => findObject(r, "NetworkPolicy", `argus-${name}`).spec as any;
        expect([...policies(r).keys()].sort()).to.deep.equal(["argus-backup", "argus-default-deny", "argus-housekeeping", "argus-migrate", "argus-web", "argus-worker"]);
        expect(policy("web").ingress).to.deep.equal([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080, protocol: "TCP" }] },
        ]);
        expect(policy("worker").ingress).to.deep.equal([]);
        expect(egressPorts(policy("web"))).to.deep.equal([[53, 53], [5432], [587]]);
        expect(egressPorts(policy("worker"))).to.deep.equal([[53, 53], [5432], [587]]);
        expect(egressPorts(policy("housekeeping"))).to.deep.equal([[53, 53], [5432]]);
        expect(egressPorts(policy("migrate"))).to.deep.equal([[53, 53], [5432]]);
        // The backup before each migration (on for production) reaches what the migration reaches.
        expect(policy("backup").egress).to.deep.equal(policy("migrate").egress);
        expect(policy("backup").ingress).to.deep.equal([]);
    });

    it("let the version check reach any address on 443 only, besides DNS and the database", () => {
        const policy = findObject(versionCheck(), "NetworkPolicy", "version-check").spec as any;
        expect(policy.egress.map((e: any) => e.to.map((t: any) => Object.keys(t)[0]))).to.deep.equal([["namespaceSelector"], ["ipBlock"], ["ipBlock"]]);
        expect(egressPorts(policy)).to.deep.equal([[53, 53], [5432], [443]]);
        expect(policy.egress[2]).to.deep.equal({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
        expect(policy.ingress ?? []).to.deep.equal([]);
        expect(policy.policyTypes).to.deep.equal(["Ingress", "Egress"]);
    });
});

describe("network policies left to the cluster team", () => {
    const without = renderedBeforeEach("staging", { networkPolicies: "false" });

    it("are not made", () => {
        expect(policies(without()).size).to.equal(0);
    });
});
