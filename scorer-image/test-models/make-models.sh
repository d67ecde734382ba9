#!/usr/bin/env bash
# Builds the pinned virtual environment of the converters (once per requirements.txt) and runs make_models.py:
#   scorer-image/test-models/make-models.sh            rewrite the committed test models and expected outputs
#   scorer-image/test-models/make-models.sh --check    fail if the committed files differ from what the converters write
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
models="$here/../src/test/resources/models"
venv="${MLWS_CACHE:-$HOME/.cache/mlws}/test-models-venv-$(sha256sum "$here/requirements.txt" | cut -c1-12)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  rm -rf "$venv" && mv "$venv.partial" "$venv"
fi
if [ "${1:-}" = --check ]; then
  "$venv/bin/python" "$here/make_models.py" --check "$models"
else
  "$venv/bin/python" "$here/make_models.py" "$models"
fi
