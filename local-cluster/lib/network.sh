# shellcheck shell=bash disable=SC2154 # state, repo, bridge, ...: set by lib/settings.sh and the script that sources this
# Sourced by local-cluster/cluster: the real node's network, kept on this machine. A bridge of our own holds
# the pods; the service range is routed to it, so a ClusterIP nothing answers never leaves through the host's
# uplink; a guard in the raw table drops whatever enters from the bridge for anywhere but pods and Services.
# The sysctls the kubelet and the bridge plugin change are saved first and restored by network_down.

saved_sysctls=(vm.overcommit_memory kernel.panic kernel.panic_on_oops net.ipv4.ip_forward
  net.bridge.bridge-nf-call-iptables net.ipv4.conf.all.route_localnet)

network_up() {
  mkdir -p "$state/network"
  if [ ! -f "$state/network/sysctls" ]; then
    for key in "${saved_sysctls[@]}"; do
      value=$(sysctl -n "$key" 2>/dev/null) && echo "$key=$value"
    done > "$state/network/sysctls.tmp"
    mv "$state/network/sysctls.tmp" "$state/network/sysctls"
  fi
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    echo 1 > "/proc/sys/net/ipv6/conf/$bridge/disable_ipv6" 2>/dev/null || true
    ip addr add "$bridge_ip/${pod_cidr#*/}" dev "$bridge"
  fi
  ip link set "$bridge" up
  ip route replace "$service_cidr" dev "$bridge" src "$bridge_ip"
  # Pods and the kubelet's probes cross the bridge; kube-proxy's DNAT needs bridged traffic in iptables.
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.ipv4.ip_forward=1
  iptables -t raw -N "$guard_chain" 2>/dev/null || iptables -t raw -F "$guard_chain"
  iptables -t raw -A "$guard_chain" -d "$pod_cidr" -j RETURN
  iptables -t raw -A "$guard_chain" -d "$service_cidr" -j RETURN
  iptables -t raw -A "$guard_chain" -j DROP
  iptables -t raw -C PREROUTING -i "$bridge" -j "$guard_chain" 2>/dev/null \
    || iptables -t raw -I PREROUTING -i "$bridge" -j "$guard_chain"
}

network_down() {
  ip link show "$bridge" >/dev/null 2>&1 && ip link delete "$bridge"
  ip route del "$service_cidr" dev "$bridge" 2>/dev/null || true
  while iptables -t raw -D PREROUTING -i "$bridge" -j "$guard_chain" 2>/dev/null; do :; done
  iptables -t raw -F "$guard_chain" 2>/dev/null && iptables -t raw -X "$guard_chain"
  if [ -f "$state/network/sysctls" ]; then
    while IFS= read -r line; do sysctl -qw "$line" || say "could not restore $line"; done < "$state/network/sysctls"
    rm -f "$state/network/sysctls"
  fi
}
