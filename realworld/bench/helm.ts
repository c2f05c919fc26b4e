// The Helm v4 side (helm.sh/helm/v4 v4.3.2, built by tools/build.sh): a chart made of the same rendered
// manifests, installed and upgraded with `helm upgrade --install --wait --wait-for-jobs`, removed with
// `helm uninstall --wait`. What those do, read in Helm's source at v4.3.2 (module helm.sh/helm/v4@v4.3.2):
// - `--wait` alone is the `watcher` strategy (pkg/cmd/flags.go AddWaitFlag: NoOptDefVal StatusWatcherStrategy;
//   without the flag, `hookOnly`): kstatus watches every object of the release until each is Current
//   (pkg/kube/statuswait.go `wait`). A Deployment is Current when its replicas, updated, available and ready
//   replicas all reach spec.replicas, what `kubectl rollout status` reads (github.com/fluxcd/cli-utils v1.2.2,
//   the version tools/helm/go.mod resolves: pkg/kstatus/status/core.go `deploymentConditions`). With
//   `--wait-for-jobs` a Job is Current once complete (statuswait.go WaitWithJobs adds the custom Job status
//   reader; pkg/action/install.go and upgrade.go call WaitWithJobs when WaitForJobs is set). `upgrade --install`
//   of a release that does not exist runs an install with the same wait settings (pkg/cmd/upgrade.go,
//   "Installing it now").
// - Objects are applied server-side, as kubectl's here: install's `--server-side` defaults to true
//   (pkg/cmd/install.go), upgrade's `auto` takes the previous release's method (pkg/cmd/upgrade.go).
// - All objects at once: no Job-before-Deployments order (only hooks are ordered, and the render has none).
// - `uninstall --wait` waits until every deleted object is gone (pkg/action/uninstall.go WaitForDelete);
//   `--cascade foreground` deletes as the kubernetes provider and the kubectl side do (pkg/cmd/uninstall.go).
// - `--timeout` is each wait's limit (default 5m; pkg/cmd/upgrade.go): 10m here, the provider's default.
import * as fs from "fs";
import * as path from "path";
import { ok, Result } from "../shared/process";
import { stepsWithoutPreview, Tool } from "./rounds";

/** helm with the deploying identity's kubeconfig and a HELM_*_HOME of its own; never throws on a non-zero exit. */
export type HelmAs = (args: string[]) => Promise<Result>;

/** The release the benchmark installs. */
const release = "argus";

/**
 * A chart in `dir` whose one template is `{{ .Files.Get "manifests.yaml" }}`: the render's text goes out as it
 * is, never parsed as a template (a `{{` in a ConfigMap stays). Files.Get returns a non-template file's bytes
 * as a string (pkg/engine/files.go `Get`, GetBytes; the chart loader puts every file outside templates/ and
 * charts/ in Files: pkg/chart/v2/loader/load.go, LoadFiles' default case), and template output is not
 * rendered again. Returns the chart's folder.
 */
export function writeChart(dir: string, manifestsYaml: string): string {
    fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Chart.yaml"), ["apiVersion: v2", `name: ${release}`, "description: production's rendered manifests (realworld/bench)", "version: 0.1.0", ""].join("\n"));
    fs.writeFileSync(path.join(dir, "templates", "manifests.yaml"), '{{ .Files.Get "manifests.yaml" }}\n');
    fs.writeFileSync(path.join(dir, "manifests.yaml"), manifestsYaml, { mode: 0o600 });
    return dir;
}

async function helm(run: HelmAs, args: string[]): Promise<void> {
    ok(await run(args), `helm ${args.join(" ")}`);
}

function upgradeInstall(run: HelmAs, ns: string, chart: string): Promise<void> {
    return helm(run, ["upgrade", "--install", release, chart, "--namespace", ns, "--wait", "--wait-for-jobs", "--timeout", "10m"]);
}

/** Chart `before` installed from nothing and upgraded unchanged, then chart `after` (one setting changed), then uninstalled. */
export function helmTool(run: HelmAs, ns: string, before: string, after: string): Tool {
    return {
        name: "helm",
        steps: stepsWithoutPreview(
            () => upgradeInstall(run, ns, before),
            () => upgradeInstall(run, ns, after),
            () => helm(run, ["uninstall", release, "--namespace", ns, "--wait", "--cascade", "foreground", "--timeout", "10m"]),
        ),
        // The release's record (Secrets in the namespace) goes with it; emptying the namespace removes the rest.
        recover: () => helm(run, ["uninstall", release, "--namespace", ns, "--ignore-not-found"]),
    };
}
