#!/usr/bin/env bash
# One Pulumi command for one stack, in a GitLab job:
#   1. log in with the credentials of the job's environment (Pulumi Cloud through GitLab OIDC, an access
#      token, or a self-managed backend with its passphrase);
#   2. select the stack: review stacks are created on demand, staging and production must exist;
#   3. give a review stack its own config, made from the template Pulumi.review.yaml;
#   4. set what only CI knows, secrets on standard input (never on a command line, never in the log), the
#      kubeconfig of the environment's File variable among them;
#   5. preview (output also in preview.txt) or up, both with the policy pack in policy/ (the render's
#      checks, enforced by the engine), or destroy (review stacks only, removing the stack), or drift: compare
#      the cluster with the stack, changing nothing, and write drift.txt (what a scheduled pipeline runs).
# The engine runs the program and the policy pack as compiled by `npm run build` (dist/), which the job's
# `npm ci` runs as the package's prepare script.
# Usage: ci/stack.sh <stack> preview|up|destroy|drift
set -euo pipefail
cd "$(dirname "$0")/.."

stack="${1:?usage: ci/stack.sh <stack> preview|up|destroy|drift}"
action="${2:?usage: ci/stack.sh <stack> preview|up|destroy|drift}"

fail() {
    echo "ci/stack.sh: $*" >&2
    exit 1
}

case "$stack" in
    review-*) review=true ;;
    staging | production) review=false ;;
    *) fail "unknown stack \"$stack\": use staging, production or review-<merge request id>." ;;
esac

login() {
    if [ -n "${PULUMI_BACKEND_URL:-}" ]; then
        [ -n "${PULUMI_CONFIG_PASSPHRASE:-}" ] || fail "PULUMI_BACKEND_URL is set but PULUMI_CONFIG_PASSPHRASE is not; set both for this environment."
        pulumi login "$PULUMI_BACKEND_URL"
    elif [ -n "${PULUMI_ACCESS_TOKEN:-}" ]; then
        pulumi login
    elif [ -n "${PULUMI_ORG:-}" ] && [ -n "${PULUMI_OIDC_TOKEN:-}" ]; then
        [ -n "${PULUMI_OIDC_TEAM:-}" ] || fail "PULUMI_OIDC_TEAM is not set for this environment: name the Pulumi Cloud team whose token it may use."
        local token_file
        token_file="$(mktemp)"
        printf '%s' "$PULUMI_OIDC_TOKEN" >"$token_file"
        pulumi login --oidc-org "$PULUMI_ORG" --oidc-team "$PULUMI_OIDC_TEAM" --oidc-token "file://$token_file"
        rm -f "$token_file"
    else
        fail "no backend credentials for this environment: set PULUMI_ORG and PULUMI_OIDC_TEAM (Pulumi Cloud with GitLab OIDC), PULUMI_ACCESS_TOKEN, or PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE (docs/operations.md)."
    fi
}

# Never --create here: a typo in the backend or organization would silently make an empty production.
select_existing_stack() {
    pulumi stack select "$stack" || fail "stack $stack does not exist in this backend; create it by hand (docs/operations.md, \"Set up a new environment\")."
}

select_stack() {
    if [ "$review" = true ]; then
        pulumi stack select --create "$stack"
    else
        select_existing_stack
    fi
}

set_plain() {
    pulumi config set --stack "$stack" "$1" "$2"
}

set_secret() {
    local key="$1" value="$2"
    if [ -n "$value" ]; then
        printf '%s' "$value" | pulumi config set --secret --stack "$stack" "$key"
    fi
}

# Every review stack gets a config file of its own (Pulumi.<stack>.yaml, never committed), so no two stacks
# share a file that holds secrets. The template holds plain values only (a test checks), among them every key
# Pulumi.yaml gives no default, which the CLI requires before any command that loads config.
configure_from_template() {
    node ci/template-config.js Pulumi.review.yaml | while IFS=$'\t' read -r key value; do
        set_plain "$key" "$value"
    done
}

# The kubeconfig that $KUBECONFIG names (in CI, the environment's File variable) goes into the stack's config as a
# secret, its content rather than its path: left unset, @pulumi/kubernetes 4.34.2 (provider.js) gives the provider
# `kubeconfig: getEnv("KUBECONFIG")`, the path, and a File variable's path changes from job to job and runner to
# runner. Every preview then showed the provider updated, and a destroy, which configures the provider from the
# state, was given the path of a file that no longer existed: the provider took the cluster for unreachable and,
# with deleteUnreachable (review stacks), dropped every object from the state and left them all in the cluster (the
# pipeline suite saw both). No kubeconfig at all would end the same way (~/.kube/config, which a job lacks): refused.
# `config set` without a value reads all of standard input, a trailing newline removed (pkg/cmd/pulumi/config/config.go,
# v3.248.0): the whole file.
set_kubeconfig() {
    if [ -n "${KUBECONFIG:-}" ]; then
        [ -f "$KUBECONFIG" ] || fail "KUBECONFIG names $KUBECONFIG, which is not a file: set it as a File variable for this environment (docs/operations.md, \"Each kubeconfig into GitLab\")."
        pulumi config set --secret --stack "$stack" kubeconfig <"$KUBECONFIG"
    elif [ -z "$(pulumi config get --stack "$stack" kubeconfig 2>/dev/null || true)" ]; then
        fail "no kubeconfig for $stack: set the File variable KUBECONFIG for this environment (docs/operations.md, \"Each kubeconfig into GitLab\")."
    fi
}

configure() {
    if [ "$review" = true ]; then
        configure_from_template
    fi
    set_kubeconfig
    set_plain imageRepository "$CI_REGISTRY_IMAGE"
    set_plain registryUsername "$CI_REGISTRY_USER"
    set_secret registryPassword "$CI_REGISTRY_PASSWORD"
    # A hosted database's URL comes from CI, unless an operator's Secret holds it. A stack with a database of
    # its own (database inCluster, the default of review stacks) needs none: the program makes the URL.
    local database
    database="$(pulumi config get --stack "$stack" database 2>/dev/null || true)"
    if [ "$database" != inCluster ] && { [ "$review" = false ] || [ "$database" = external ]; } &&
        [ -z "$(pulumi config get --stack "$stack" existingApiSecret 2>/dev/null || true)" ]; then
        set_secret databaseUrl "${ARGUS_DATABASE_URL:?ARGUS_DATABASE_URL is not set for this environment: add it as a masked CI variable scoped to it, name an existing Secret in existingApiSecret, or set database inCluster}"
    fi
    set_secret registryPullToken "${ARGUS_REGISTRY_PULL_TOKEN:-}"
    set_secret djangoSecretKey "${ARGUS_DJANGO_SECRET_KEY:-}"
    set_secret dataportenSecret "${ARGUS_DATAPORTEN_SECRET:-}"
    set_secret ticketAuthenticationSecret "${ARGUS_TICKET_AUTHENTICATION_SECRET:-}"
}

# What the program would change back, field by field: `preview --refresh` first reads every object from the
# cluster into an in-memory copy of the state (deploymentExecutor.refresh, pkg/resource/deploy/deployment_executor.go,
# pulumi v3.248.0), then diffs the program against it, so each update step's detailedDiff names a field an update
# would set back. `refresh --preview-only` would say what changed since the last update instead, not what the
# program wants. No state is written: the backends make a snapshot manager only when not a dry run
# (pkg/backend/diy/backend.go, httpstate/backend.go; Pulumi Cloud records the preview itself, as any preview's), and
# the environment's resource_group keeps the job apart from a deploy. --expect-no-changes makes the engine a judge
# too: it exits 7 when it proposes changes (ExitNoChanges, pkg/cmd/pulumi/cmd/exit_codes.go); any other failure is a
# comparison that did not finish. No policy pack: drift needs none of its checks, and it costs time.
# A field a hand edit took over (`kubectl scale` owns spec.replicas) fails the provider's server-side dry run with a
# field conflict, which would end the comparison at the first such object: PULUMI_K8S_ENABLE_PATCH_FORCE=true lets
# the dry run take the field over, as the fix would (patchForce in provider/pkg/await/await.go, pulumi-kubernetes
# v4.25.0; a preview's apply is always DryRunAll there, so nothing changes).
# The JSON holds the refreshed state of every object, values typed by hand into the cluster included, which the
# engine cannot know are secret (a real run's did): drift-report.js reads it, and it is deleted, never kept.
# --show-sames puts an unchanged object's `same` step in the JSON, whose oldState is the object as the refresh read
# it (continueStepsFromRefresh in pkg/resource/deploy/step_generator.go; shouldShow in pkg/backend/display/display.go,
# pulumi v3.248.0): drift-report.js reads its managedFields for fields set by hand that the program does not set.
compare_with_cluster() {
    local json status=0 verdict=0
    json="$(mktemp)"
    PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi preview --refresh --expect-no-changes --show-sames --json --non-interactive --stack "$stack" >"$json" || status=$?
    node ci/drift-report.js "$stack" "$status" <"$json" >drift.txt || verdict=$?
    rm -f "$json"
    cat drift.txt
    case "$verdict" in
        0) ;;
        1) fail "$stack has drifted from its stack: drift.txt names each object and field; put it back or keep the change as docs/operations.md (\"Drift\") says." ;;
        *) fail "could not compare $stack with the cluster (pulumi preview exited $status); drift.txt and the log above say why." ;;
    esac
}

# How many resources the stack's state holds (none before its first deploy): `stack export` prints the deployment
# with its `resources` list, left out when empty (DeploymentV3, sdk/go/common/apitype/core.go, pulumi v3.248.0).
deployed_resources() {
    pulumi stack export --stack "$stack" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log((JSON.parse(s).deployment.resources || []).length))'
}

# A deploy puts back what someone changed by hand in a field the program sets, and its preview says so first:
# the preview job starts by reading every object from the cluster into the state (without it an update compares
# the program with the last update's state, and the pipeline suite's `pulumi up` after a `kubectl edit` changed
# nothing), the deploy job after it updates from that state, and the update takes over a field a hand edit owns
# (PULUMI_K8S_ENABLE_PATCH_FORCE, as the drift check above: the program's value wins). The refresh is a run of
# its own, not `--refresh` on the preview: with that flag the policy pack's stack check is handed the refreshed
# state of objects the program no longer makes too (it ranges over deployment.news, AnalyzeResources in
# pkg/resource/deploy/step_generator.go, pulumi v3.248.0), and the cluster suite's upgrade to 2.x failed on the old
# api Deployment's reference to a ConfigMap the update replaces. So the preview job runs the program twice (the
# refresh, then the preview) and the deploy job once. --run-program ("Run the program to determine up-to-date state for providers", pkg/cmd/pulumi/operations/refresh.go,
# v3.248.0) gives the provider this job's kubeconfig; a stack never deployed has nothing to read. A field the
# program never sets (an env entry added by hand) stays, unless the update touches its object, which first takes
# over what kubectl set there (docs/operations.md, "Drift").
refresh_from_cluster() {
    if [ "$(deployed_resources)" != 0 ]; then
        pulumi refresh --yes --skip-preview --run-program --non-interactive --stack "$stack"
    fi
}

if [ ! -f dist/index.js ] || [ ! -f dist/policy/index.js ]; then
    fail "the program is not compiled (no dist/index.js or dist/policy/index.js): run \`npm ci\`, whose prepare step runs \`npm run build\`, or \`npm run build\`."
fi

login
case "$action" in
    preview)
        select_stack
        configure
        refresh_from_cluster
        PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi preview --diff --non-interactive --policy-pack policy --stack "$stack" 2>&1 | tee preview.txt
        ;;
    up)
        # One program run: the update without a preview of its own and without a refresh. The deploy job
        # `needs` the preview job of its pipeline, which refreshed the state from the cluster and showed what
        # this update does; --skip-preview runs the update's steps straight away (the resource policies still
        # check each object before it is sent, the stack policy after: the step generator calls the analyzers on
        # every registration, preview or update, pkg/resource/deploy/step_generator.go "Send the resource off to
        # any Analyzers" and AnalyzeResources, pulumi v3.248.0), and the engine compares the program
        # with that same refreshed state, so the update does what the preview said unless the state changed
        # since (docs/operations.md, "What a deploy job runs").
        select_stack
        configure
        PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi up --yes --skip-preview --diff --non-interactive --policy-pack policy --stack "$stack"
        ;;
    destroy)
        [ "$review" = true ] || fail "only review stacks are destroyed by the pipeline; $stack is not one."
        if pulumi stack select "$stack" 2>/dev/null; then
            if [ "$(deployed_resources)" = 0 ]; then
                # Never deployed (a preview made it): nothing to delete. destroy --run-program would register the
                # program's components and providers in the empty state and then refuse to remove the stack.
                pulumi stack rm --yes --non-interactive --stack "$stack"
            else
                # The stop job's fresh checkout has no Pulumi.<stack>.yaml: it is configured as for an update, and
                # --run-program (pkg/cmd/pulumi/operations/destroy.go, v3.248.0) runs the program so that the provider
                # gets this job's kubeconfig, not the one the state recorded at the last deploy (rotated since, maybe).
                configure
                pulumi destroy --yes --non-interactive --remove --run-program --stack "$stack"
            fi
        else
            echo "Stack $stack does not exist (already removed); nothing to destroy."
        fi
        ;;
    drift)
        select_existing_stack
        configure
        compare_with_cluster
        ;;
    *) fail "unknown action \"$action\": use preview, up, destroy or drift." ;;
esac
