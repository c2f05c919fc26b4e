import { PolicyPack } from "@pulumi/policy";
import { stackViolations } from "./rules";

// The pipeline runs every preview and up with `--policy-pack policy` (ci/stack.sh).
new PolicyPack("argus", {
    policies: [
        {
            name: "argus-render-checks",
            description: "Kubernetes schema, Pod hardening, names and labels, and references: the checks of every offline render.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                stackViolations(args.resources).forEach((violation) => reportViolation(violation));
            },
        },
    ],
});
