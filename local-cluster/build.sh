#!/usr/bin/env bash
# Builds the pinned control-plane and node binaries into a cache folder outside the repo, once per set of pins.
# Prints that folder as its last line. The folder's name is a hash of the pins and go.sum files, so a pin change
# builds a new folder and an unchanged checkout reuses the old one.
source "$(dirname "$0")/lib/strict.sh"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/versions.env"
cache=${MLWS_LOCAL_CLUSTER_CACHE:-$HOME/.cache/mlws-local-cluster}
pins_hash=$(cat "$here/versions.env" "$here"/*/go.mod "$here"/*/go.sum "$here"/kstatus/*.go "$here/build.sh" \
  | sha256sum | cut -c1-16)
bin="$cache/bin/$pins_hash"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kstatus kwok-stages.yaml
  kubelet kube-proxy containerd containerd-shim-runc-v2 ctr pause kube-router helm)

complete() { for b in "${binaries[@]}"; do [ -s "$bin/$b" ] || return 1; done; }

# One build of a pin set at a time (two checkouts, or CI beside a working tree, may ask at once).
mkdir -p "$cache/bin"
exec {build_lock}> "$cache/bin/$pins_hash.lock"
flock "$build_lock"
if ! complete; then
  mkdir -p "$bin.partial"
  export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
  version_flags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_flags+=" -X $pkg.gitVersion=v${KUBERNETES_VERSION} -X $pkg.gitMajor=${KUBERNETES_VERSION%%.*}"
    minor=${KUBERNETES_VERSION#*.}; minor=${minor%%.*}
    version_flags+=" -X $pkg.gitMinor=${minor} -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  build() { # module-dir ldflags package...
    local dir=$1 flags=$2; shift 2
    echo "local-cluster: building $* (once per pin set; cached in $bin)" >&2
    (cd "$here/$dir" && go build -ldflags "-s -w $flags" -o "$bin.partial/" "$@")
  }
  # Every module's dependencies download while the first builds compile (on a cold machine the downloads were
  # minutes spent one module after another); the Go module cache's locks make the two safe side by side.
  prefetch_pids=()
  for dir in kubernetes containerd kube-router kwok helm kstatus; do
    (cd "$here/$dir" && go mod download > /dev/null 2>&1) &
    prefetch_pids+=($!)
  done
  [ -x "$bin.partial/etcd" ] || { build etcd "" go.etcd.io/etcd/server/v3 && mv "$bin.partial/server" "$bin.partial/etcd"; }
  [ -x "$bin.partial/kwok" ] || build kwok "" sigs.k8s.io/kwok/cmd/kwok
  [ -x "$bin.partial/kstatus" ] || build kstatus "" .
  # One go build for the binaries of a module: their packages compile once, and one binary links while the
  # next compiles.
  missing() { # module-path binary...
    local module=$1 b; shift
    for b in "$@"; do [ -x "$bin.partial/$b" ] || echo "$module/cmd/$b"; done
  }
  kubernetes_cmds=$(missing k8s.io/kubernetes kubectl kube-apiserver kube-scheduler kube-controller-manager \
    kubelet kube-proxy)
  # shellcheck disable=SC2086 # one package per word
  [ -z "$kubernetes_cmds" ] || build kubernetes "$version_flags" $kubernetes_cmds
  # The real node's runtime. The graph drivers left out need C libraries; overlayfs and native remain.
  containerd_flags="-X github.com/containerd/containerd/v2/version.Version=v${CONTAINERD_VERSION}"
  containerd_cmds=$(missing github.com/containerd/containerd/v2 containerd containerd-shim-runc-v2 ctr)
  # shellcheck disable=SC2086
  [ -z "$containerd_cmds" ] || GOFLAGS="$GOFLAGS -tags=no_btrfs,no_devmapper,no_zfs,no_aufs" \
    build containerd "$containerd_flags" $containerd_cmds
  # The node's NetworkPolicy engine (its firewall alone runs; see versions.env).
  [ -x "$bin.partial/kube-router" ] || build kube-router "" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  # Helm 4, for the chart (deploy/helm): its lint, its render checks and the e2e's install and upgrade.
  [ -x "$bin.partial/helm" ] || build helm "" helm.sh/helm/v4/cmd/helm
  # The pod sandbox image's one program, from Kubernetes' own source (no registry to pull pause from).
  k8s_dir=$(cd "$here/kubernetes" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)
  [ -x "$bin.partial/pause" ] || gcc -Os -static -DVERSION="v${KUBERNETES_VERSION}" -o "$bin.partial/pause" \
    "$k8s_dir/build/pause/linux/pause.c"
  # kwok's own stages (from its module): Nodes become Ready and keep a heartbeat, pods become Running
  # and Ready, finish and go away when deleted.
  stages=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  for stage in node/fast/node-initialize node/heartbeat/node-heartbeat pod/fast/pod-ready \
    pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---"
    cat "$stages/$stage.yaml"
  done > "$bin.partial/kwok-stages.yaml"
  for pid in "${prefetch_pids[@]}"; do wait "$pid" || true; done
  rm -rf "$bin" && mv "$bin.partial" "$bin"
fi
flock -u "$build_lock"
# Each use marks its set as used. Sets of other pins (~430 MB each) go once no checkout has used them for two
# days: another checkout on this machine, pinned or built differently (a CI clone beside a working tree), keeps
# its set while it runs.
touch "$bin"
find "$cache/bin" -mindepth 1 -maxdepth 1 ! -name "$pins_hash" ! -name "$pins_hash.*" -mtime +1 \
  -exec rm -rf {} +
complete || { echo "local-cluster: build finished but $bin lacks a binary" >&2; exit 1; }
echo "$bin"
