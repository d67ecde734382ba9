# shellcheck shell=bash disable=SC2154 # state, repo, bridge, ...: set by lib/settings.sh and the script that sources this
# Sourced by local-cluster/cluster: one real node, joined to the control plane: containerd with Debian's runc
# and CNI plugins, the kubelet, kube-proxy (iptables mode) and kube-router's firewall (NetworkPolicy, with
# iptables and ipset), all built from the pinned modules. What the machines it runs on need of it: cgroup v1
# (hybrid) with the cgroupfs driver, no CAP_SYS_RESOURCE (so runc must not lower its own oom_score_adj), a node IP
# that is not loopback (the bridge's address), and sysctls the kubelet changes (saved and restored by
# lib/network.sh).

# shellcheck disable=SC2034 # local-cluster/cluster reads it
node_components=(containerd kubelet kube-proxy kube-router)

node_kubeconfig() { # name user-cert
  cat > "$state/$1.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: mlws-local
  cluster: {server: "https://$bridge_ip:$api_port", certificate-authority: "$state/pki/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$state/pki/$2.crt", client-key: "$state/pki/$2.key"}
contexts:
- name: $1
  context: {cluster: mlws-local, user: $1}
current-context: $1
YAML
}

containerd_config() {
  local c="$state/containerd"
  mkdir -p "$c/root" "$c/state" "$state/cni/net.d" "$state/cni/ipam"
  cat > "$c/config.toml" <<TOML
version = 3
root = "$c/root"
state = "$c/state"
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
[plugins.'io.containerd.cri.v1.images'.pinned_images]
  sandbox = "$pause_image"
[plugins.'io.containerd.cri.v1.runtime']
  # Without CAP_SYS_RESOURCE (these machines lack it), runc cannot lower its own oom_score_adj.
  restrict_oom_score_adj = true
  enable_selinux = false
[plugins.'io.containerd.cri.v1.runtime'.cni]
  bin_dirs = ["/usr/lib/cni"]
  conf_dir = "$state/cni/net.d"
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  BinaryName = "/usr/sbin/runc"
  SystemdCgroup = false
TOML
  cat > "$state/cni/net.d/10-mlws.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "mlws-local",
  "plugins": [
    {
      "type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$state/cni/ipam",
        "ranges": [[{"subnet": "$pod_cidr", "gateway": "$bridge_ip"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
JSON
}

kubelet_config() { # kubelet-port healthz-port
  mkdir -p "$state/kubelet"
  cat > "$state/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $bridge_ip
port: $1
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $2
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$state/pki/ca.crt"}
authorization: {mode: Webhook}
# This VM is cgroup v1 (hybrid); the kubelet refuses v1 unless told.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: "unix://$state/containerd/containerd.sock"
failSwapOn: false
clusterDomain: cluster.local
resolvConf: ""
maxPods: 60
serializeImagePulls: false
# A shared CI machine's disk and memory are not this node's to defend: evict only in earnest.
evictionHard: {memory.available: "200Mi", nodefs.available: "2%", imagefs.available: "2%", nodefs.inodesFree: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
# A changed ConfigMap reaches a pod's mounted volume at the pod's next sync: every 10 s here instead of every
# minute, so that a data-collection change is seen by running pods within seconds (the default delay is
# documented for users in docs/telemetry.md).
syncFrequency: 10s
YAML
}

kube_proxy_config() { # healthz-port metrics-port
  mkdir -p "$state/kube-proxy"
  cat > "$state/kube-proxy/config.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$state/kube-proxy.kubeconfig"}
hostnameOverride: $node_name
mode: iptables
clusterCIDR: $pod_cidr
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$1
metricsBindAddress: 127.0.0.1:$2
nodePortAddresses: ["$bridge_ip/32"]
# Zero everywhere: kube-proxy then changes no conntrack sysctl of the host.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s, udpTimeout: 0s, udpStreamTimeout: 0s}
YAML
}

node_up() { # bin
  local bin=$1 kubectl=("$1/kubectl" --kubeconfig "$kubeconfig")
  node_kubeconfig node node; node_kubeconfig kube-proxy kube-proxy; node_kubeconfig kube-router kube-router
  containerd_config
  say "starting containerd, then the kubelet and kube-proxy of $node_name ($bridge_ip)"
  start containerd "$bin/containerd" --config "$state/containerd/config.toml"
  wait_for containerd 60 "$bin/ctr" --address "$state/containerd/containerd.sock" version
  import_pause_image "$bin"
  local kubelet_port healthz_port proxy_healthz proxy_metrics
  read -r kubelet_port healthz_port proxy_healthz proxy_metrics < <(free_ports 4)
  kubelet_config "$kubelet_port" "$healthz_port"
  kube_proxy_config "$proxy_healthz" "$proxy_metrics"
  start kubelet "$bin/kubelet" --config "$state/kubelet/config.yaml" --kubeconfig "$state/node.kubeconfig" \
    --root-dir "$state/kubelet/root" --cert-dir "$state/kubelet/pki" --hostname-override "$node_name" \
    --node-ip "$bridge_ip" --node-labels "mlws.io/local-node=real" --v 1
  start kube-proxy "$bin/kube-proxy" --config "$state/kube-proxy/config.yaml"
  wait_for kubelet 60 curl -fsS "http://127.0.0.1:$healthz_port/healthz"
  wait_for kube-proxy 60 curl -fsS "http://127.0.0.1:$proxy_healthz/healthz"
  wait_for kubelet 90 "${kubectl[@]}" wait --for=condition=Ready "node/$node_name" --timeout=2s
  # Admission taints a new Node not-ready; no node-lifecycle controller runs here to lift it.
  "${kubectl[@]}" taint nodes "$node_name" node.kubernetes.io/not-ready:NoSchedule- > /dev/null 2>&1 || true
  network_policy_up "$bin"
}

# NetworkPolicy on the node: kube-router's firewall alone (no routes, no service proxy; its health and metrics
# servers, which would listen on every address, off). It reads the Node's InternalIP, so it starts once the
# kubelet registered it; it is ready when its chain hooks FORWARD.
network_policy_up() { # bin
  local bin=$1
  say "starting kube-router's firewall (NetworkPolicy) on $node_name"
  start kube-router "$bin/kube-router" --kubeconfig "$state/kube-router.kubeconfig" \
    --hostname-override "$node_name" --run-firewall=true --run-router=false --run-service-proxy=false \
    --health-port=0 --metrics-port=0 --enable-ipv6=false --service-cluster-ip-range "$service_cidr" --v 1
  wait_for kube-router 60 kube_router_hooked
}

kube_router_hooked() { iptables -S FORWARD | grep -q -- '-j KUBE-ROUTER-FORWARD'; }

# What kube-router's firewall leaves when it stops: its chains (jumps first) and its ipsets.
network_policy_down() {
  stop_component kube-router
  remove_chains iptables filter 'KUBE-ROUTER-[^ ]+|KUBE-POD-FW-[^ ]+|KUBE-NWPLCY-[^ ]+'
  local set
  for set in $(ipset list -n 2>/dev/null | grep -E '^(inet6:)?(KUBE-SRC-|KUBE-DST-)' || true); do
    ipset destroy "$set" 2>/dev/null || true
  done
}

# Removes from one table the chains whose whole names match the extended regex, with every rule that jumps to
# them, in one iptables-restore batch (it parses the rules' quoting itself): the jumps, then the chains' rules,
# then the chains. What it cannot remove it names; `leftovers compare` then fails on it.
remove_chains() { # iptables|ip6tables table regex
  local tool=$1 table=$2 saved batch
  saved=$({ "$tool-save" -t "$table" 2>/dev/null || true; })
  batch=$(awk -v re="^($3)$" '
    /^\*/ { print; next }
    /^:/ { chain = substr($1, 2); if (chain ~ re) chains[++n] = chain; next }
    /^-A/ { for (i = 1; i < NF; i++) if (($i == "-j" || $i == "-g") && $(i + 1) ~ re) { sub(/^-A/, "-D"); print; next } }
    END { for (i = 1; i <= n; i++) print "-F " chains[i]
          for (i = 1; i <= n; i++) print "-X " chains[i]
          print "COMMIT"
          exit n == 0 }' <<< "$saved") || return 0
  "$tool-restore" --noflush <<< "$batch" 2>&1 | sed "s/^/local-cluster: $tool -t $table: /" >&2 || true
}

import_pause_image() { # bin
  ctr_ images import "$(pause_image_archive "$1")" > /dev/null
}

ctr_() { "$bin/ctr" --address "$state/containerd/containerd.sock" -n k8s.io "$@"; }

# Stops the node so that nothing of it stays: its pods first (the kubelet tears their sandboxes and network
# down), then the processes, then whatever a crash could have left: tasks, shims, mounts, network namespaces,
# iptables chains of kube-proxy and the kubelet, the kubepods cgroups.
node_down() { # bin
  local bin=$1 kubectl=("$1/kubectl" --kubeconfig "$kubeconfig")
  if alive kubelet && alive kube-apiserver && [ -f "$kubeconfig" ]; then
    "${kubectl[@]}" cordon "$node_name" >/dev/null 2>&1 || true
    # The kubelet tears each pod down (its sandbox, its network through CNI); a second of grace is enough, as
    # nothing of them is kept.
    "${kubectl[@]}" delete pods -A --field-selector "spec.nodeName=$node_name" --grace-period=1 \
      --timeout=60s --wait=true >/dev/null 2>&1 || true
    # The kubelet stops the sandboxes of deleted pods a moment later.
    for _ in $(seq 1 60); do
      [ -z "$(ctr_ tasks ls -q 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  stop_components kube-router kube-proxy kubelet
  network_policy_down
  if alive containerd; then
    for task in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s KILL "$task" >/dev/null 2>&1 || true; done
    sleep 0.5
    for task in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$task" >/dev/null 2>&1 || true; done
  fi
  stop_component containerd
  # Shims outlive containerd by design; ours name our socket.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $state/containerd/containerd.sock" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -x "$bin/kube-proxy" ]; then "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
  remove_kubelet_chains
  unmount_under "$state"
  remove_our_netns
  remove_kubepods_cgroups
}

# The kubelet's chains and kube-proxy's, where `kube-proxy --cleanup` left any (it leaves the kubelet's own).
remove_kubelet_chains() {
  local tool table
  for tool in iptables ip6tables; do
    for table in filter nat mangle; do
      remove_chains "$tool" "$table" 'KUBE-FIREWALL|KUBE-KUBELET-CANARY|KUBE-IPTABLES-HINT|KUBE-PROXY-CANARY|KUBE-FORWARD|KUBE-SERVICES|KUBE-EXTERNAL-SERVICES|KUBE-NODEPORTS|KUBE-POSTROUTING|KUBE-MARK-MASQ|KUBE-MARK-DROP|KUBE-PROXY-FIREWALL'
    done
  done
}

unmount_under() { # dir
  local target
  for _ in 1 2 3; do
    mapfile -t mounts < <(awk -v p="$1" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [ ${#mounts[@]} -eq 0 ] && return 0
    for target in "${mounts[@]}"; do umount -l "$target" 2>/dev/null || true; done
  done
}

# containerd's CRI names pod network namespaces cni-<uuid> under /var/run/netns; only ours run here while up.
remove_our_netns() {
  local ns
  [ -f "$state/netns-before" ] || return 0
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cni-' || true); do
    grep -qx "$ns" "$state/netns-before" && continue
    ip netns delete "$ns" 2>/dev/null || true
  done
}

remove_kubepods_cgroups() {
  local root
  for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/kubepods.slice /sys/fs/cgroup/kubepods; do
    [ -d "$root" ] || continue
    find "$root" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
