#!/usr/bin/env bash
# Selects (creating it if needed) a stack in a GitLab job and sets what only CI knows: where images go,
# their tag, the registry credentials, and the secrets from masked CI variables.
# Secret values reach `pulumi config set --secret` on stdin: never on a command line, never in the log.
# Usage: ci/configure-stack.sh <stack>     (review-<slug> stacks use Pulumi.review.yaml)
set -euo pipefail

stack="${1:?usage: ci/configure-stack.sh <stack>}"
config_file=()
case "$stack" in
    review-*) config_file=(--config-file Pulumi.review.yaml) ;;
esac

pulumi stack select --create "$stack"

set_plain() {
    pulumi config set "${config_file[@]}" --stack "$stack" "$1" "$2"
}

set_secret() {
    local key="$1" value="$2"
    if [ -n "$value" ]; then
        printf '%s' "$value" | pulumi config set --secret "${config_file[@]}" --stack "$stack" "$key"
    fi
}

set_plain imageRepository "$CI_REGISTRY_IMAGE"
set_plain registryUsername "$CI_REGISTRY_USER"
set_secret registryPassword "$CI_REGISTRY_PASSWORD"
set_secret databaseUrl "${ARGUS_DATABASE_URL:?ARGUS_DATABASE_URL is not set for this environment: add it as a masked CI variable scoped to it}"
set_secret djangoSecretKey "${ARGUS_DJANGO_SECRET_KEY:-}"
set_secret dataportenSecret "${ARGUS_DATAPORTEN_SECRET:-}"
