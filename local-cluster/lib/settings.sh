# shellcheck shell=bash disable=SC2034 # its variables are for the scripts that source it
# Sourced by every local-cluster script: where things live and the network of the real node, each settable.
# The defaults are unusual on purpose, so that they do not collide with a Docker (docker0, 172.17/16), podman
# or CNI (cni0, 10.88/16, 10.244/16, 10.42/16) bridge a contributor already has.
state=${MLWS_LOCAL_CLUSTER_STATE:-/tmp/mlws-local-cluster}
cache=${MLWS_LOCAL_CLUSTER_CACHE:-$HOME/.cache/mlws-local-cluster}
kubeconfig="$state/admin.kubeconfig"
bridge=${MLWS_LOCAL_CLUSTER_BRIDGE:-mlwsbr0}
# The real node's pods get addresses here; the bridge holds the first one, which is also the node's IP, the
# API server's address (pods reach it through the kubernetes Service) and the kubelet's.
pod_cidr=${MLWS_LOCAL_CLUSTER_POD_CIDR:-10.218.0.0/24}
bridge_ip=${MLWS_LOCAL_CLUSTER_BRIDGE_IP:-10.218.0.1}
service_cidr=${MLWS_LOCAL_CLUSTER_SERVICE_CIDR:-10.96.0.0/12}
# The first address of the service range: the kubernetes Service, a SAN of the API server's certificate.
kubernetes_service_ip=$(python3 -c "import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1])[1])" "$service_cidr")
node_name=${MLWS_LOCAL_CLUSTER_NODE:-mlws-node-0}
kwok_node_name=kwok-node-0
# The guard's chain in the raw table: what enters from the bridge for anywhere but pods and Services is dropped.
guard_chain=MLWS-GUARD-${bridge}

say() { echo "local-cluster: $*" >&2; }
