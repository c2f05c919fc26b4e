// The rendered objects of one production configuration, as the kubectl and Helm steps use them: the render's
// text (a Helm chart's file), and the same objects split in two files for kubectl, the Deployments apart, so
// they are applied only once the migration Job is complete, the order the program keeps.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { listOf } from "../cluster/deployers";
import { kubectlName, NamedObject } from "../cluster/kubectl";
import { Obj } from "../cluster/objects";

export interface Manifests {
    /** The render's manifests.yaml, as it is. */
    readonly text: string;
    /** Every object but the Deployments (a JSON List, for `kubectl apply -f`). */
    readonly restFile: string;
    /** The Deployments (a JSON List). */
    readonly deploymentsFile: string;
    readonly jobName: string;
    readonly deploymentNames: readonly string[];
    /** Every object as kubectl names it (configmap/argus-webui-config-ba651ab6, deployment.apps/argus-api). */
    readonly names: readonly string[];
}

/** Splits one render into the files above, written into `dir` (made if missing). */
export function manifestsOf(text: string, dir: string): Manifests {
    const objects = (yaml.loadAll(text) as (Obj | null)[]).filter((o): o is Obj => o !== null);
    const deployments = objects.filter((o) => o.kind === "Deployment");
    const jobs = objects.filter((o) => o.kind === "Job");
    if (jobs.length !== 1 || deployments.length === 0) {
        throw new Error(`the render holds ${jobs.length} Jobs and ${deployments.length} Deployments: the benchmark expects production's one migration Job and its Deployments`);
    }
    fs.mkdirSync(dir, { recursive: true });
    const restFile = path.join(dir, "rest.json");
    const deploymentsFile = path.join(dir, "deployments.json");
    fs.writeFileSync(restFile, listOf(objects.filter((o) => o.kind !== "Deployment")), { mode: 0o600 });
    fs.writeFileSync(deploymentsFile, listOf(deployments), { mode: 0o600 });
    return { text, restFile, deploymentsFile, jobName: jobs[0].metadata.name, deploymentNames: deployments.map((d) => d.metadata.name), names: objects.map((o) => kubectlName(o as NamedObject)) };
}
