import * as k8s from "@pulumi/kubernetes";
import type { ClusterConfig } from "../stacks/types";

/**
 * The one Kubernetes provider every object of a stack goes through, so none lands on whatever cluster
 * the shell's current context happens to name. Provider options as in pulumi-kubernetes provider.d.ts
 * (@pulumi/kubernetes 4.34.2).
 */
export function kubernetesProvider(name: string, cluster: ClusterConfig): k8s.Provider {
    return new k8s.Provider(name, {
        ...(cluster.kubeconfig ? { kubeconfig: cluster.kubeconfig } : {}),
        ...(cluster.context ? { context: cluster.context } : {}),
        deleteUnreachable: cluster.deleteUnreachable,
        // Without it, pulumi-kubernetes refuses to create an object that exists (await.go, v4.32.0).
        upsertExistingObjects: cluster.adoptExistingObjects,
        // Adopting applies server-side over what `kubectl apply` owned; the provider forces such a field
        // conflict only with this set (patchForce in provider/pkg/await/await.go, v4.32.0), or during a
        // preview, so without it the preview passes and the `up` fails on kubectl's field managers.
        enablePatchForce: cluster.adoptExistingObjects,
    });
}
