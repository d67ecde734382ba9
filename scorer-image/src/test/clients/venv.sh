#!/usr/bin/env bash
# Prints the python of a client library's pinned virtual environment, built from PyPI the first time a lock
# file is seen (cached by the lock's hash in ~/.cache/mlws; MLWS_CACHE moves it). With --all, builds the
# environment of every lock in locks/ (CI does this beside the cluster's build) and prints nothing.
#   src/test/clients/venv.sh src/test/clients/locks/tritonclient.txt
#   src/test/clients/venv.sh --all
source "$(dirname "$0")/../../../../local-cluster/lib/strict.sh"
here=$(cd "$(dirname "$0")" && pwd)

venv() { # lock
  local lock=$1 name venv
  name=$(basename "$lock" .txt)
  venv="${MLWS_CACHE:-$HOME/.cache/mlws}/client-$name-$(sha256sum "$lock" | cut -c1-12)"
  if [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv.partial"
    python3 -m venv "$venv.partial"
    "$venv.partial/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$lock" >&2
    rm -rf "$venv" && mv "$venv.partial" "$venv"
  fi
  echo "$venv/bin/python"
}

if [ "${1:-}" = --all ]; then
  for lock in "$here"/locks/*.txt; do venv "$lock" > /dev/null; done
else
  venv "$1"
fi
