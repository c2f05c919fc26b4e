import { expect } from "chai";
import * as fs from "fs";
import { argusRelease, supportedArgusVersions } from "../../releases/argus";
import * as path from "path";
import { argusConstraints, constraintsDir, imageTimeZones, packageName } from "../../releases/constraints";
import { argusImageBuildArgs } from "../../components/argus/spec";

describe("the dependency set upstream tested, per release", () => {
    it("exists for every supported release, as pins pip takes for constraints (no extras, one version each)", () => {
        for (const version of supportedArgusVersions) {
            const pins = argusConstraints(version);
            expect(pins.length, version).to.be.greaterThan(40);
            for (const pin of pins) expect(pin, `${version}: ${pin}`).to.match(/^[a-z0-9][a-z0-9._-]*==[^\s=\[\]]+$/);
            expect(new Set(pins.map(packageName)).size, version).to.equal(pins.length);
        }
    });

    it("says what to run for a release that has none", () => {
        expect(() => argusConstraints("9.9.9")).to.throw("No pip constraints for argus-server 9.9.9: run scripts/update-argus-constraints.py 9.9.9.");
    });

    it("holds the versions upstream locked where newer ones break Argus", () => {
        // redis-py 8 breaks channels_redis' blocking receive (django/channels_redis#422); django-tasks-db 0.13
        // made django-tasks an extra; django-psycopg-infinity 0.1.1 breaks open incidents (CHANGELOG at 2.10.0).
        expect(argusConstraints("1.37.0")).to.include.members(["redis==5.2.1", "channels-redis==4.2.1", "django==5.2.1"]);
        expect(argusConstraints("2.9.1")).to.include.members(["django-tasks==0.12.0", "django-tasks-db==0.12.0", "django-psycopg-infinity==0.1.0"]);
    });

    it("agrees with every package our image adds on top, release by release", () => {
        for (const version of supportedArgusVersions) {
            const locked = new Map(argusConstraints(version).map((pin) => [packageName(pin), pin.split("==")[1]]));
            for (const requirement of argusRelease(version).runtimePackages) {
                const pinned = /==(.+)$/.exec(requirement)?.[1];
                const upstream = locked.get(packageName(requirement));
                if (pinned && upstream) expect(pinned, `${version}: ${requirement} against upstream's ${upstream}`).to.equal(upstream);
            }
        }
    });

    it("reaches the image build as a build argument, so a new set is a new image", () => {
        const args = argusImageBuildArgs(argusRelease("1.37.0"), []);
        expect(args.ARGUS_CONSTRAINTS.split(" ")).to.deep.equal(argusConstraints("1.37.0"));
        expect(argusImageBuildArgs(argusRelease("2.9.1"), []).ARGUS_CONSTRAINTS).not.to.equal(args.ARGUS_CONSTRAINTS);
    });

    it("keeps no file for a release the program does not support", () => {
        const files = fs.readdirSync(constraintsDir).map((f) => f.replace(/^argus-server-(.+)\.txt$/, "$1"));
        expect(files.filter((v) => !(supportedArgusVersions as readonly string[]).includes(v))).to.deep.equal([]);
    });
});

describe("the time zones the image knows", () => {
    it("are tzdata's at the version the image pins, and only those are taken", () => {
        const file = fs.readFileSync(path.join(constraintsDir, "..", "tzdata-zones.txt"), "utf8");
        const pinned = argusRelease("2.10.2").runtimePackages.find((p) => p.startsWith("tzdata=="))!;
        expect(file).to.contain(`The zone names of ${pinned} `);
        expect(argusRelease("1.37.0").runtimePackages).to.include(pinned);
        expect([...imageTimeZones].length).to.equal(598);
        for (const zone of ["UTC", "Europe/Oslo", "America/Argentina/Buenos_Aires", "Etc/GMT+1"]) expect(imageTimeZones.has(zone), zone).to.equal(true);
        // Names ICU knows that tzdata's zones file does not list are refused.
        for (const zone of ["Europe/Olso", "europe/oslo", "EST5EDT,M3.2.0", ""]) expect(imageTimeZones.has(zone), zone).to.equal(false);
    });
});
