#!/usr/bin/env bash
# Builds each peer's virtual environment from PyPI, pinned: one environment per peer (their
# dependencies conflict), from the lock files in bench/peers/locks/ (pip freeze of the environments
# the published run used; top-level pins: azureml-inference-server-http 1.5.1 with
# azureml-ai-monitoring 1.0.0, kserve 0.21.0, mlserver 1.7.1, each with onnxruntime 1.23.2, the
# version the mlws scorer embeds). An environment is rebuilt only when its lock file changes.
#   bench/peers/setup.sh            # into ~/.cache/mlws/peers (MLWS_PEERS_DIR changes it)
source "$(dirname "$0")/../../local-cluster/lib/strict.sh"
here=$(cd "$(dirname "$0")" && pwd)
dir=${MLWS_PEERS_DIR:-$HOME/.cache/mlws/peers}
python=$(command -v python3.11 || command -v python3)
mkdir -p "$dir"
for lock in "$here"/locks/*.txt; do
  name=$(basename "$lock" .txt)
  stamp=$(sha256sum "$lock" | cut -c1-16)
  if [ "$(cat "$dir/$name/.lock-stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "peers: $name up to date"
    continue
  fi
  echo "peers: building $name from $lock"
  rm -rf "${dir:?}/$name"
  "$python" -m venv "$dir/$name"
  "$dir/$name/bin/pip" install --quiet --disable-pip-version-check -r "$lock"
  echo "$stamp" > "$dir/$name/.lock-stamp"
done
