# Sourced by tools/build.sh (issue 20): the control plane the cluster suite (realworld/cluster/) runs, built
# from the Go module proxy into the same cache and under the same rules as the engine (a folder keyed by
# version and go.mod/go.sum hash, never rebuilt; the binaries hard-linked into <cache>/bin).
#   tools/kubernetes/  kube-apiserver, kube-controller-manager, kube-scheduler, kubectl from k8s.io/kubernetes
#   tools/etcd/        etcd: a main of ours calling go.etcd.io/etcd/server/v3/etcdmain.Main
#   tools/kwok/        kwok, which fakes the node and the Pods' lifecycle
#   tools/crane/       crane (github.com/google/go-containerregistry), which pushes the suite's test images to
#                      its registry (Debian's docker-registry, scripts/install-system-packages.sh)
# Uses tools/build.sh's $tools, $cache, $bin and its `built` array.

CLUSTER_KUBERNETES_VERSION=v1.34.4 # k8s.io/kubernetes; its staging modules as k8s.io/<name> v0.34.4
CLUSTER_ETCD_VERSION=v3.6.5        # kube-apiserver v1.34's supported etcd (3.6.x)
CLUSTER_KWOK_VERSION=v0.7.0
CLUSTER_CRANE_VERSION=v0.22.1      # github.com/google/go-containerregistry, cmd/crane
CLUSTER_TOOLS="kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok crane"

cluster_timed() { # <go.mod folder> <version> <function> <binary>...: like tools/build.sh's timed, several binaries
    local mod="$1" version="$2" fn="$3" dir start sum name
    shift 3
    sum="$(cat "$tools/$mod/go.mod" "$tools/$mod/go.sum" $(find "$tools/$mod" -maxdepth 1 -name '*.go' | sort) | sha256sum | cut -c1-12)"
    dir="$cache/$mod-$version-$sum"
    if [ ! -d "$dir" ]; then
        echo "tools/build.sh: building $* $version ..."
        start=$(date +%s)
        rm -rf "$dir.tmp"
        mkdir -p "$dir.tmp"
        "$fn" "$dir.tmp"
        mv "$dir.tmp" "$dir"
        built+=("$* $version: $(($(date +%s) - start)) s")
        echo "tools/build.sh: built $* $version in $(($(date +%s) - start)) s -> $dir"
    fi
    for name in "$@"; do ln -f "$dir/$name" "$bin/$name"; done
}

build_cluster_kubernetes() {
    # Stamped as k8s.io/kubernetes v1.34.4's hack/lib/version.sh (kube::version::ldflags) does: the same
    # variables in k8s.io/client-go/pkg/version and k8s.io/component-base/version. Unstamped, the API server
    # reports gitVersion v0.0.0-master+$Format:%H$, which kubectl cannot parse. gitCommit is left unset, as
    # upstream does when KUBE_GIT_COMMIT is unset.
    local v="$CLUSTER_KUBERNETES_VERSION" minor flags="" key val pkg c
    minor="${v#v1.}"; minor="${minor%%.*}"
    for kv in "gitVersion=$v" "gitMajor=1" "gitMinor=$minor" "gitTreeState=clean" \
        "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
        key="${kv%%=*}"; val="${kv#*=}"
        for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
            flags+=" -X $pkg.$key=$val"
        done
    done
    for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
        (cd "$tools/kubernetes" && go build -o "$1/$c" -ldflags "$flags" "k8s.io/kubernetes/cmd/$c")
    done
}

build_cluster_etcd() {
    (cd "$tools/etcd" && go build -o "$1/etcd" .)
}

build_cluster_kwok() {
    # kwok v0.7.0's hack/releases.sh stamps sigs.k8s.io/kwok/pkg/consts.Version.
    (cd "$tools/kwok" && go build -o "$1/kwok" \
        -ldflags "-X sigs.k8s.io/kwok/pkg/consts.Version=${CLUSTER_KWOK_VERSION#v}" sigs.k8s.io/kwok/cmd/kwok)
}

build_cluster_crane() {
    # cmd/crane/cmd/version.go at v0.22.1 reads the version from -X .../cmd/crane/cmd.Version, else from the
    # build info (which names our module, not crane's, here).
    (cd "$tools/crane" && go build -o "$1/crane" \
        -ldflags "-X github.com/google/go-containerregistry/cmd/crane/cmd.Version=$CLUSTER_CRANE_VERSION" \
        github.com/google/go-containerregistry/cmd/crane)
}

build_cluster() {
    cluster_timed etcd "$CLUSTER_ETCD_VERSION" build_cluster_etcd etcd
    cluster_timed kwok "$CLUSTER_KWOK_VERSION" build_cluster_kwok kwok
    cluster_timed crane "$CLUSTER_CRANE_VERSION" build_cluster_crane crane
    cluster_timed kubernetes "$CLUSTER_KUBERNETES_VERSION" build_cluster_kubernetes \
        kube-apiserver kube-controller-manager kube-scheduler kubectl
}
