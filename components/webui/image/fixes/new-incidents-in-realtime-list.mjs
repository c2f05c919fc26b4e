// Run by the Dockerfile's build stage on the cloned Argus-frontend, before `npm run build`:
//   node ../fixes/new-incidents-in-realtime-list.mjs src/components/incidentsprovider.tsx
//
// Why: in Realtime mode Argus-frontend v1.14.1 never lists an incident that arrives over the websocket.
// RealtimeIncidentTable.tsx passes a "created" event that matches the filter to addIncident, and the reducer's
// `case IncidentsType.AddIncident` (src/components/incidentsprovider.tsx) adds an incident it does not list yet
// (`index === null`) to storedIncidents only, and one it already lists to the list a second time; the table
// renders the list. The same code is on master: upstream is mothballed (README.md on master) and v1.14.1 is
// its last tag, so the fix is ours to carry. It turns that one condition around: a new incident goes into the
// list and the store, a listed one into the store only (its ModifyIncident updates it in place).
//
// The build stops, naming the file, if the case or the condition is not there exactly once: a release that
// changed this code must be read again, not patched blind.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
    console.error("usage: node new-incidents-in-realtime-list.mjs <path to src/components/incidentsprovider.tsx>");
    process.exit(2);
}
const source = readFileSync(file, "utf8");
const caseLabel = "case IncidentsType.AddIncident:";
const wrongCondition = "if (index === null) {";

const fail = (why) => {
    console.error(`${file}: ${why}. This fix was written for Argus-frontend v1.14.1; read the reducer of the release you build and remove or update components/webui/image/fixes/new-incidents-in-realtime-list.mjs.`);
    process.exit(1);
};
const count = (text, part) => text.split(part).length - 1;

if (count(source, caseLabel) !== 1) fail(`expected one \`${caseLabel}\`, found ${count(source, caseLabel)}`);
const start = source.indexOf(caseLabel);
// The case ends where the switch's next label begins.
const end = Math.min(...["case ", "default:"].map((label) => source.indexOf(label, start + caseLabel.length)).filter((i) => i >= 0), source.length);
const block = source.slice(start, end);
if (count(block, wrongCondition) !== 1) fail(`expected one \`${wrongCondition}\` in its \`${caseLabel}\`, found ${count(block, wrongCondition)}`);

writeFileSync(file, source.slice(0, start) + block.replace(wrongCondition, "if (index !== null) {") + source.slice(end));
console.log(`${file}: ${caseLabel} now lists a new incident (fixes/new-incidents-in-realtime-list.mjs)`);
