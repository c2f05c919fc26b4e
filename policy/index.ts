import { PolicyPack } from "@pulumi/policy";
import { resourceRules, resourceViolations, stackViolations } from "./rules";

// The pipeline runs every preview and up with `--policy-pack policy` (ci/stack.sh). When each policy blocks
// and when it only warns: docs/production-safety.md, "Defence in depth".
new PolicyPack("argus", {
    policies: [
        // Before each resource's step, on its inputs: a violation stops the update before the object is sent.
        ...resourceRules.map((rule) => ({
            name: `argus-${rule.name}`,
            description: rule.description,
            enforcementLevel: "mandatory" as const,
            validateResource: (args: { type: string; props: Record<string, unknown> }, reportViolation: (message: string) => void) => {
                resourceViolations(rule, args).forEach((message) => reportViolation(message));
            },
        })),
        // After every step has run, on outputs: fails the update, but the objects have been applied by then.
        {
            name: "argus-references",
            description: "Services select Pods, Ingresses reach Service ports, every ConfigMap, Secret and ServiceAccount a Pod uses exists, and an autoscaler's Deployment leaves the count to it.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                stackViolations(args.resources).forEach((violation) => reportViolation(violation));
            },
        },
    ],
});
