import { expect } from "chai";
import { redisContainer } from "../../components/api/redis";
import { resourceProfiles } from "../../stacks/resourceProfiles";
import { findObject, renderedBeforeEach } from "../helpers";
import { podSpecOf } from "../../util/podTemplates";

/** The 1.x api's redis (components/api/redis.ts): in the api Pod for one replica, shared by all of them for more. */

describe("redis in the api Pod, with one api replica", () => {
    const staging = renderedBeforeEach("staging");

    it("runs on loopback, and nothing else runs redis", () => {
        const r = staging();
        const api = podSpecOf(findObject(r, "Deployment", "argus-staging-api"));
        expect(api.containers.map((c: any) => c.name)).to.deep.equal(["django", "websockets", "nginx", "redis"]);
        expect(api.containers[3].command).to.include.ordered.members(["redis-server", "--bind", "127.0.0.1"]);
        expect(findObject(r, "ConfigMap", "argus-staging-runtime-settings").data).to.include({ ARGUS_REDIS_SERVER: "127.0.0.1:6379" });
        expect(r.objects.filter((o) => o.metadata.name === "argus-staging-redis")).to.deep.equal([]);
    });

    it("has no password", () => {
        const [, , , redis] = podSpecOf(findObject(staging(), "Deployment", "argus-staging-api")).containers;
        expect(redis.command).not.to.include("--requirepass");
        expect(redis.env).to.equal(undefined);
    });
});

describe("redis shared by several api replicas", () => {
    const three = renderedBeforeEach("staging", { apiReplicas: "3" });
    const two = renderedBeforeEach("staging", { apiReplicas: "2" });

    it("is one Deployment and Service that every api Pod uses", () => {
        const r = three();
        const api = podSpecOf(findObject(r, "Deployment", "argus-staging-api"));
        expect(api.containers.map((c: any) => c.name)).to.deep.equal(["django", "websockets", "nginx"]);
        expect(api.volumes.map((v: any) => v.name)).not.to.include("redis-data");
        expect(findObject(r, "ConfigMap", "argus-staging-runtime-settings").data).to.include({ ARGUS_REDIS_SERVER: "argus-staging-redis:6379" });
        const redis = findObject(r, "Deployment", "argus-staging-redis");
        expect((redis.spec as any).replicas).to.equal(1);
        expect(podSpecOf(redis).containers[0].command).to.include.ordered.members(["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]);
        const service = findObject(r, "Service", "argus-staging-redis");
        expect((service.spec as any).ports).to.deep.equal([{ name: "redis", port: 6379, protocol: "TCP", targetPort: "redis" }]);
        expect((service.spec as any).selector).to.deep.equal((redis.spec as any).selector.matchLabels);
        expect(r.objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).not.to.include("argus-staging-redis");
    });

    it("requires a generated password, which only the api containers and redis get", () => {
        const r = two();
        const auth = findObject(r, "Secret", "redis-auth");
        expect(auth.stringData).to.deep.equal({ REDIS_PASSWORD: "[secret]" });
        const ref = { valueFrom: { secretKeyRef: { key: "REDIS_PASSWORD", name: auth.metadata.name } } };
        const [redis] = podSpecOf(findObject(r, "Deployment", "argus-staging-redis")).containers;
        expect(redis.command[redis.command.indexOf("--requirepass") + 1]).to.equal("$(REDIS_PASSWORD)");
        expect(redis.env).to.deep.equal([{ name: "REDIS_PASSWORD", ...ref }, { name: "REDISCLI_AUTH", ...ref }]);
        const [django, websockets, nginx] = podSpecOf(findObject(r, "Deployment", "argus-staging-api")).containers;
        for (const container of [django, websockets]) {
            expect(container.env, container.name).to.deep.include({ name: "REDIS_PASSWORD", ...ref });
        }
        expect(nginx.env).to.equal(undefined);
        expect(podSpecOf(findObject(r, "Job", "migrate")).containers[0].env.map((e: any) => e.name)).not.to.include("REDIS_PASSWORD");
        expect(r.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword").map((x) => x.name)).to.include("argus-staging-api-redis-password");
    });
});

describe("redis in the 2.x layout", () => {
    const server = renderedBeforeEach("staging", { argusVersion: "2.9.1" });

    it("is not there, and Argus is not told where it is", () => {
        expect(findObject(server(), "ConfigMap", "runtime-settings").data).not.to.have.property("ARGUS_REDIS_SERVER");
        expect(server().resources.filter((x) => x.name.includes("redis"))).to.deep.equal([]);
    });
});

describe("the redis container (redisContainer)", () => {
    it("runs without persistence, probed with redis-cli on loopback, writing only to /data", () => {
        const redis = redisContainer("redis:7", resourceProfiles.small.redis);
        expect(redis.command).to.deep.equal(["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no"]);
        expect(redis.readinessProbe).to.deep.include({ exec: { command: ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"] } });
        expect(redis.livenessProbe).to.deep.equal(redis.readinessProbe);
        expect(redis.volumeMounts).to.deep.equal([{ name: "redis-data", mountPath: "/data" }]);
        expect(redis).not.to.have.property("env");
    });
});
