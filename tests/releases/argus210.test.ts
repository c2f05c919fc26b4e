import { expect } from "chai";
import { argusRelease, newestServerVersion } from "../../releases/argus";

/** What releases/argus.ts records of Argus 2.10 (argus-server 2.10.0 and 2.10.2 sdists); the render's use of it is in tests/components. */

describe("Argus 2.10 in the release contract", () => {
    it("is the newest 2.x release, probed on /.still-alive/, reading TIME_ZONE itself", () => {
        expect(newestServerVersion).to.equal("2.10.2");
        for (const version of ["2.10.0", "2.10.1", "2.10.2"]) {
            const release = argusRelease(version);
            expect(release.probePath, version).to.equal("/.still-alive/");
            expect(release.readEnv, version).to.include("TIME_ZONE");
            expect(release.heartbeats, version).to.deep.equal(["django-admin", "sync_heartbeat_incidents"]);
            expect(release.extras, version).to.deep.equal(["apprise", "jsonlogging"]);
        }
        expect(argusRelease("2.9.1")).to.deep.include({ probePath: "/api/", extras: [] });
        expect([argusRelease("2.9.1").heartbeats, argusRelease("2.9.1").steppingStone]).to.deep.equal([undefined, undefined]);
        expect(argusRelease("2.9.1").readEnv).not.to.include("TIME_ZONE");
    });
});
