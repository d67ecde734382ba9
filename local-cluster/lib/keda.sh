# shellcheck shell=bash disable=SC2154 # state, cache, kubeconfig, ...: set by lib/settings.sh and local-cluster/cluster
# Sourced by local-cluster/cluster: `cluster keda` installs KEDA (the AKS add-on's engine) into the running cluster,
# as its own release manifests install it (config/minimal: the operator and the metrics API server, no admission
# webhooks), from its Go module pinned in versions.env: both programs built once per pin into the cache, an image
# of them made with buildah and imported into the node, and the HorizontalPodAutoscaler controller started (the
# cluster's controller manager runs without it, so that no other test meets an autoscaler it did not ask for).
# Not part of `cluster up` or of CI: on 2 cores the build takes about 7 minutes, more than a cold CI run can give.
keda_image=mlws.local/keda:${KEDA_VERSION}

# The module's source, copied out of the read-only module cache (its own go.mod and go.sum build it).
keda_source() {
  local dir
  dir=$(cd "$cache" && go mod download -json "github.com/kedacore/keda/v2@v${KEDA_VERSION}" \
    | python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(d["Error"]) if "Error" in d else print(d["Dir"])')
  echo "$dir"
}

keda_bin() {
  local bin="$cache/keda/$KEDA_VERSION"
  mkdir -p "$cache/keda"
  exec {keda_lock}> "$cache/keda/$KEDA_VERSION.lock"
  flock "$keda_lock"
  if [ ! -x "$bin/keda" ] || [ ! -x "$bin/keda-adapter" ]; then
    say "building KEDA $KEDA_VERSION from its Go module (once; about 7 minutes on 2 cores)"
    local src; src=$(mktemp -d "$cache/keda/src.XXXX")
    cp -r "$(keda_source)/." "$src" && chmod -R u+w "$src"
    mkdir -p "$bin.partial"
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X github.com/kedacore/keda/v2/version.Version=$KEDA_VERSION" \
      -o "$bin.partial/" ./cmd/operator ./cmd/adapter) >&2
    mv "$bin.partial/operator" "$bin.partial/keda" && mv "$bin.partial/adapter" "$bin.partial/keda-adapter"
    rm -rf "$bin" "$src" && mv "$bin.partial" "$bin"
  fi
  flock -u "$keda_lock"
  exec {keda_lock}>&-
  echo "$bin"
}

# Both programs in one image of nothing else, run as a user without rights (the manifests ask for a non-root one).
keda_image_archive() { # keda-bin
  local archive="$cache/images/keda-$KEDA_VERSION.tar"
  if [ ! -s "$archive" ]; then
    mkdir -p "$cache/images"
    local ctr; ctr=$(buildah_ from scratch)
    buildah_ copy "$ctr" "$1/keda" /keda >/dev/null
    buildah_ copy "$ctr" "$1/keda-adapter" /keda-adapter >/dev/null
    buildah_ config --user 65532:65532 --entrypoint '["/keda"]' "$ctr"
    buildah_ commit --quiet --rm "$ctr" "$keda_image" >/dev/null
    buildah_ push --quiet "$keda_image" "docker-archive:$archive.tmp:$keda_image" >/dev/null
    mv "$archive.tmp" "$archive"
  fi
  echo "$archive"
}

# KEDA's own config/minimal with the local image, which the node has and must not pull. The local cluster has no
# DNS: the metrics API server reaches the operator's gRPC service at a fixed cluster IP (in the range Kubernetes
# keeps for addresses chosen by hand), under the name its certificate carries.
keda_operator_ip=$(python3 -c "import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1])[100])" "$service_cidr")
keda_manifests() { # bin
  local dir; dir=$(mktemp -d "$state/keda-manifests.XXXX")
  cp -r "$(keda_source)/config" "$dir/upstream" && chmod -R u+w "$dir"
  mkdir -p "$dir/local"
  cat > "$dir/local/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../upstream/minimal]
images:
- {name: ghcr.io/kedacore/keda, newName: ${keda_image%:*}, newTag: "$KEDA_VERSION"}
- {name: ghcr.io/kedacore/keda-metrics-apiserver, newName: ${keda_image%:*}, newTag: "$KEDA_VERSION"}
patches:
- target: {kind: Deployment}
  patch: |-
    - {op: replace, path: /spec/template/spec/containers/0/imagePullPolicy, value: IfNotPresent}
- target: {kind: Service, name: keda-operator}
  patch: |-
    - {op: add, path: /spec/clusterIP, value: $keda_operator_ip}
- target: {kind: Deployment, name: keda-metrics-apiserver}
  patch: |-
    - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--metrics-service-address=$keda_operator_ip:9666"}
    - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--metrics-service-grpc-authority=keda-operator.keda.svc.cluster.local"}
EOF
  "$1/kubectl" kustomize "$dir/local"
  rm -rf "$dir"
}

keda_up() { # bin
  local bin=$1 kubectl=("$1/kubectl" --kubeconfig "$kubeconfig")
  running || { say "the cluster is not running: local-cluster/cluster up first"; exit 1; }
  local keda; keda=$(keda_bin)
  ctr_ images import "$(keda_image_archive "$keda")" >/dev/null
  if ! alive hpa-controller; then
    local port; read -r port < <(free_ports 1)
    say "starting the HorizontalPodAutoscaler controller"
    start hpa-controller "$bin/kube-controller-manager" --kubeconfig "$kubeconfig" \
      --controllers horizontal-pod-autoscaler-controller --leader-elect=false \
      --bind-address 127.0.0.1 --secure-port "$port"
    wait_for hpa-controller 60 curl -kfsS "https://127.0.0.1:$port/healthz"
  fi
  say "installing KEDA $KEDA_VERSION (config/minimal)"
  keda_manifests "$bin" | "${kubectl[@]}" apply --server-side --force-conflicts -f - >/dev/null
  "${kubectl[@]}" -n keda rollout status deployment/keda-operator deployment/keda-metrics-apiserver \
    --timeout=300s >&2
  "${kubectl[@]}" wait apiservice/v1beta1.external.metrics.k8s.io --for=condition=Available --timeout=120s >&2 \
    || { say "KEDA's metrics API is not available; its logs: kubectl -n keda logs deploy/keda-metrics-apiserver"
         exit 1; }
  say "KEDA ready"
}
