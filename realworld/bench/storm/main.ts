// `npm run bench:argus`: an outage storm against each layout of Argus as the production render runs it (target.ts,
// on the Argus suite's harness), measured (storm.ts) and printed as a table (report.ts), also written as
// markdown to $BENCH_OUT (default: a new temp folder's storm.md). The storm's shape: STORM_INCIDENTS (500),
// STORM_SOURCES (16), STORM_READERS (4), STORM_WEBSOCKETS (4, 1.x only), STORM_LAYOUTS ("server,spa"), and
// STORM_VARIANTS, the tuning steps to compare (variants.ts; default: the program's defaults alone).
// STORM_BAD_INPUT=1 runs each storm a second time with bad input beside it (abuse.ts).
// Exits 1 only when the result is wrong (a failed request, an incident stored twice or not at all, not notified,
// missed by a websocket client: report.ts stormProblems), never on a time. README.md says what it runs.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stopAll } from "../../shared/process";
import { removeScratch } from "../../shared/scratch";
import { StormMeasurement, stormProblems, stormReport, StormShape } from "./report";
import { runStorm } from "./storm";
import { LayoutName, startTarget, StormTarget } from "./target";
import { appliesTo, chosenVariants } from "./variants";
import { Abuser, invalidTokens, oversizedPosts, slowClients } from "./abuse";

/** The bad input of STORM_BAD_INPUT=1: five 1 MB posts, 4 clients with tokens never issued, 16 slow clients. */
function badInput(target: StormTarget): Abuser[] {
    const [source] = target.sources;
    return [oversizedPosts(source, target.incidentsPath, 5), invalidTokens(source.port, source.host, target.incidentsPath, 4), slowClients(source.port, source.host, 16)];
}

function whole(name: string, fallback: number, min: number): number {
    const value = process.env[name] ?? String(fallback);
    if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${name} is "${value}": set a whole number, ${min} or more`);
    return Number(value);
}

function layoutsFromEnvironment(): LayoutName[] {
    const names = (process.env.STORM_LAYOUTS ?? "server,spa").split(",").map((s) => s.trim());
    const wrong = names.filter((n) => n !== "server" && n !== "spa");
    if (wrong.length > 0 || names.length === 0) throw new Error(`STORM_LAYOUTS is "${process.env.STORM_LAYOUTS}": name "server" (2.x), "spa" (1.x) or both, comma-separated`);
    return names as LayoutName[];
}

async function main(): Promise<number> {
    if (process.getuid?.() !== 0) throw new Error("npm run bench:argus runs as root, as npm run test:argus does: it starts every container in a mount namespace and drops to its uid.");
    const base = { incidents: whole("STORM_INCIDENTS", 500, 1), sources: whole("STORM_SOURCES", 16, 1), readers: whole("STORM_READERS", 4, 0) };
    const websockets = whole("STORM_WEBSOCKETS", 4, 0);
    const measurements: StormMeasurement[] = [];
    const chosen = chosenVariants(process.env.STORM_VARIANTS);
    for (const layout of layoutsFromEnvironment()) {
        const shape: StormShape = { ...base, websockets: layout === "spa" ? websockets : 0 };
        for (const variant of chosen.filter((v) => appliesTo(v, layout))) {
            console.log(`storm: deploying ${layout}, ${variant.name} ${JSON.stringify(variant.config)} ...`);
            const target = await startTarget(layout, shape.sources, variant);
            try {
                console.log(`storm: ${target.name}: ${shape.incidents} incidents from ${shape.sources} sources, ${shape.readers} readers, ${shape.websockets} websocket clients`);
                measurements.push(await runStorm(target, shape));
                if (process.env.STORM_BAD_INPUT === "1") {
                    console.log(`storm: ${target.name}: again, with bad input beside it`);
                    measurements.push(await runStorm(target, shape, badInput(target)));
                }
            } finally {
                await target.stop();
            }
        }
    }
    const report = stormReport(measurements, { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", processors: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? "unknown" });
    const out = process.env.BENCH_OUT ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "argus-storm-")), "storm.md");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, report);
    console.log(`\n${report}\nwritten to ${out}`);
    const problems = measurements.flatMap((m) => stormProblems(m).map((p) => `${m.target}: ${p}`));
    for (const p of problems) console.error(`storm: WRONG: ${p}`);
    return problems.length > 0 ? 1 : 0;
}

main()
    .then(async (code) => {
        await stopAll();
        removeScratch();
        process.exit(code);
    })
    .catch(async (error) => {
        console.error(error instanceof Error ? error.message : error);
        await stopAll();
        removeScratch();
        process.exit(1);
    });
