#!/usr/bin/env bash
# Builds the tools the real-engine suites and the deploy benchmark (realworld/bench/) run, from the Go module
# proxy, into a cache keyed by versions:
#   ${ARGUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/tools}/<name>-<version>-<go.mod hash>/<name>
# and hard-links the current ones into <cache>/bin. A folder that exists is never rebuilt, so a warm run is a
# no-op. Hard links, not symlinks: the CLI looks for its bundled language host beside its own executable with
# symlinks resolved, and warns when the one on PATH is elsewhere (sdk/go/common/workspace/plugins.go,
# GetPluginPath, at pulumi v3.248.0).
# Each binary has its own go.mod (and go.sum) in tools/<name>/, which requires the upstream module at its
# release and names the command with a `tool` line; no upstream code is copied here.
# Usage: tools/build.sh            build what is missing, print what was built and how long each took
#        tools/build.sh --bin-dir  print the folder to put on PATH (fails when something is not built)
# The random and docker plugins cannot be built here (the proxy refuses their modules): the engine suite
# uses test-only stand-ins from tools/standins/bin instead (tools/standins/README.md).
set -euo pipefail
tools="$(cd "$(dirname "$0")" && pwd)"
cache="${ARGUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/tools}"
bin="$cache/bin"

# The versions: the CLI at @pulumi/pulumi's locked version, the Kubernetes provider at the only commit of its
# module the proxy serves (v4.25.0; the SDK in package-lock.json is newer), the newest Node.js language host
# that is buildable here (v3.68.0, the last release with it inside sdk/v3; later ones live in a module the
# proxy refuses).
PULUMI_VERSION=v3.248.0
LANGUAGE_NODEJS_VERSION=v3.68.0
KUBERNETES_VERSION=4.25.0
KUBERNETES_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
KUBERNETES_PSEUDO=v4.0.0-20260115033456-f47bc2d6f199 # commit f47bc2d6, tag v4.25.0 of pulumi/pulumi-kubernetes
HELM_VERSION=v4.3.2 # helm.sh/helm/v4: what `npm run bench:deploy` (realworld/bench/) compares the program with

export PATH="$PATH:/usr/local/go/bin"
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -buildvcs=false -trimpath"

key() { # <name> <version>: the cache folder of one binary, keyed by its version and its go.mod/go.sum
    local sum
    sum="$(cat "$tools/$1/go.mod" "$tools/$1/go.sum" | sha256sum | cut -c1-12)"
    echo "$cache/$1-$2-$sum"
}

built=()
timed() { # <name> <version> <function>: build into a temporary folder, then move it in place
    local name="$1" version="$2" fn="$3" dir start
    dir="$(key "$name" "$version")"
    if [ -x "$dir/$name" ]; then
        ln -f "$dir/$name" "$bin/$name"
        return
    fi
    echo "tools/build.sh: building $name $version ..."
    start=$(date +%s)
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    "$fn" "$dir.tmp"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
    ln -f "$dir/$name" "$bin/$name"
    built+=("$name $version: $(($(date +%s) - start)) s")
    echo "tools/build.sh: built $name $version in $(($(date +%s) - start)) s -> $dir/$name"
}

build_pulumi() {
    # The version is stamped as pulumi/pulumi's Makefile does at v3.248.0 (`-X .../go/common/version.Version`),
    # or `pulumi version` prints nothing. pkg/go.mod at v3.248.0 replaces sdk/v3 with ../sdk (we require
    # sdk/v3 at the same tag instead) and atotto/clipboard with tgummerer/clipboard (repeated in our go.mod).
    (cd "$tools/pulumi" && go build -o "$1/pulumi" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

build_language_nodejs() {
    # sdk/nodejs/Makefile at v3.68.0 stamps the same variable; sdk/go.mod at v3.68.0 replaces golang.org/x/text
    # with v0.3.6 (repeated in our go.mod).
    (cd "$tools/pulumi-language-nodejs" && go build -o "$1/pulumi-language-nodejs" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$LANGUAGE_NODEJS_VERSION" \
        github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
}

build_kubernetes() {
    # cmd/pulumi-resource-kubernetes/main.go embeds schema-embed.json and terraform-mapping-embed.json, which
    # its `go:generate go run ./generate.go` writes (with VERSION) and which the published module lacks
    # (pulumi-kubernetes Makefile at v4.25.0, target `provider`, runs go generate before go build, with
    # CGO_ENABLED=0 and `-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version`). So: copy the
    # module out of the module cache, generate in the copy, and build our go.mod with a replace pointing at it.
    local work="$1/work" src
    (cd "$tools/pulumi-resource-kubernetes" && go mod download "$KUBERNETES_MODULE@$KUBERNETES_PSEUDO")
    src="$(cd "$tools/pulumi-resource-kubernetes" && go list -m -f '{{.Dir}}' "$KUBERNETES_MODULE")"
    mkdir -p "$work"
    cp -r "$src" "$work/provider"
    chmod -R u+w "$work/provider"
    cp "$tools/pulumi-resource-kubernetes/go.mod" "$tools/pulumi-resource-kubernetes/go.sum" "$work/"
    (cd "$work/provider/cmd/pulumi-resource-kubernetes" && VERSION="$KUBERNETES_VERSION" go generate ./main.go)
    (cd "$work" && go mod edit -replace "$KUBERNETES_MODULE=./provider" && go build -o "$1/pulumi-resource-kubernetes" \
        -ldflags "-X $KUBERNETES_MODULE/pkg/version.Version=$KUBERNETES_VERSION" \
        "$KUBERNETES_MODULE/cmd/pulumi-resource-kubernetes")
    rm -rf "$work"
}

build_helm() {
    # Stamped as Helm's Makefile does at v4.3.2 for a release tag: `-w -s`, internal/version.version=<tag>,
    # metadata empty (it says "unreleased" only off a tag), gitTreeState clean; gitCommit is left unset (the
    # proxy's module carries no commit), as k8s.io/kubernetes' is above.
    (cd "$tools/helm" && go build -o "$1/helm" \
        -ldflags "-w -s -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
        helm.sh/helm/v4/cmd/helm)
}

# --- Cluster tools (issue 20; realworld/cluster): kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd and kwok, built by tools/build-cluster.sh's functions (its own section; `build_cluster` below).
# shellcheck source=tools/build-cluster.sh
source "$tools/build-cluster.sh"
# --- end of the cluster tools section

if [ "${1:-}" = "--bin-dir" ]; then
    for name in pulumi pulumi-language-nodejs pulumi-resource-kubernetes; do
        [ -x "$bin/$name" ] || { echo "tools/build.sh: $name is not built; run tools/build.sh" >&2; exit 1; }
    done
    echo "$bin"
    exit 0
fi

mkdir -p "$bin"
start=$(date +%s)
timed pulumi "$PULUMI_VERSION" build_pulumi
timed pulumi-language-nodejs "$LANGUAGE_NODEJS_VERSION" build_language_nodejs
timed pulumi-resource-kubernetes "$KUBERNETES_VERSION" build_kubernetes
timed helm "$HELM_VERSION" build_helm
build_cluster # issue 20: the control plane (tools/build-cluster.sh)
if [ ${#built[@]} -eq 0 ]; then
    echo "tools/build.sh: all tools current in $bin ($(($(date +%s) - start)) s)"
else
    printf 'tools/build.sh: built %s\n' "${built[@]}"
    echo "tools/build.sh: total $(($(date +%s) - start)) s; tools in $bin"
fi
