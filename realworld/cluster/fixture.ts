// The one control plane of a cluster-suite run, shared by every test file: mocha root hooks (this file is in
// .mocharc.yml's require) start it before the first test and stop it after the last, so its start and the
// memory of etcd and the API server are paid once per run; a failed test prints the last lines of every
// component's log. Then what the cluster team sets up once (deployers.ts setUpIdentities): the namespaces
// argus and argus-staging and the deployer identities (the deployers program), whose kubeconfigs the stack
// tests deploy with. Also the timings the suite measures, printed at the end (the README quotes them).
import { Result } from "../shared/process";
import { ciVariables } from "../engine/harness";
import type { Environment } from "../../stacks/stackName";
import { Cluster } from "./controlPlane";
import { Identities, setUpIdentities } from "./deployers";

let running: Cluster | undefined;
let identities: Identities | undefined;

/** The run's control plane (started by the root hook below). */
export function cluster(): Cluster {
    if (!running) throw new Error("the control plane is not running: realworld/cluster/fixture.ts is not in mocha's require, or it failed to start");
    return running;
}

/** An identity's kubeconfig (set up once per run, after the control plane: deployers.ts setUpIdentities). */
export function deployerKubeconfig(environment: Environment): string {
    if (!identities) throw new Error("the deployer identities are not set up: realworld/cluster/fixture.ts is not in mocha's require, or it failed");
    return identities.kubeconfigs[environment];
}

/** kubectl as one identity (its kubeconfig in place of the admin's); never throws on a non-zero exit. */
export function asIdentity(environment: Environment, args: string[], input?: string): Promise<Result> {
    if (!identities) throw new Error("the deployer identities are not set up: realworld/cluster/fixture.ts is not in mocha's require, or it failed");
    return cluster().kubectl(["--kubeconfig", identities.files[environment], ...args], { input });
}

/** What the suite measured, printed at the end (the README quotes it). */
export const timings: string[] = [];
export function timed(what: string, ms: number): void {
    timings.push(`${what}: ${(ms / 1000).toFixed(1)} s`);
}

export async function clock<T>(fn: () => Promise<T>): Promise<[T, number]> {
    const start = Date.now();
    const result = await fn();
    return [result, Date.now() - start];
}

/** Starts the run's control plane, then sets up what the cluster team does once (the root hook below; realworld/bench runs it too). */
export async function startCluster(): Promise<Cluster> {
    const ci = ciVariables();
    const [c, ms] = await clock(() => Cluster.start({ username: ci.CI_REGISTRY_USER, password: ci.CI_REGISTRY_PASSWORD }));
    running = c;
    timed("control plane start (etcd, API server, controller manager, scheduler, kwok and its node Ready; the registry)", ms);
    // What the cluster team does once, before any stack deploys: each stack test deploys with its identity.
    const [ids, idMs] = await clock(() => setUpIdentities(c));
    identities = ids;
    timed("the environments' namespaces and the deployer identities set up (the deployers program's pulumi up as the admin, the review policy in force)", idMs);
    return c;
}

/** Stops the run's control plane (the root hook below; realworld/bench). */
export async function stopCluster(): Promise<void> {
    await running?.stop();
    running = undefined;
    identities = undefined;
}

export const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
        this.timeout(180_000);
        await startCluster();
    },
    afterEach(this: Mocha.Context): void {
        if (this.currentTest?.state === "failed" && running) console.log(running.logTails(8));
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(60_000);
        await stopCluster();
        console.log(`\n    Timings:\n${timings.map((t) => `      ${t}`).join("\n")}\n`);
    },
};

/** A command (an update, a destroy) run and timed under `what`: its result and when it started (expectHealthy's `since`). */
export async function timedRun(what: string, run: () => Promise<Result>): Promise<{ result: Result; since: number }> {
    const since = Date.now();
    const [result, ms] = await clock(run);
    timed(what, ms);
    return { result, since };
}
