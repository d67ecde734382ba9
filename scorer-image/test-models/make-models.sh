#!/usr/bin/env bash
# Builds the pinned virtual environment of the converters (once per requirements.txt) and runs make_models.py:
#   scorer-image/test-models/make-models.sh            rewrite the committed test models and expected outputs
#   scorer-image/test-models/make-models.sh --check    fail if the committed files differ from what the converters write
#   scorer-image/test-models/make-models.sh --big OUT  write the model of about 100 MB the memory tests use (not in git)
#   scorer-image/test-models/make-models.sh --python   print the environment's python (pandas for the tests' readers)
source "$(dirname "$0")/../../local-cluster/lib/strict.sh"
here=$(cd "$(dirname "$0")" && pwd)
models="$here/../src/test/resources/models"
venv="${MLWS_CACHE:-$HOME/.cache/mlws}/test-models-venv-$(sha256sum "$here/requirements.txt" | cut -c1-12)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  rm -rf "$venv" && mv "$venv.partial" "$venv"
fi
if [ "${1:-}" = --python ]; then
  echo "$venv/bin/python"
elif [ "${1:-}" = --big ]; then
  "$venv/bin/python" "$here/big_model.py" "$2"
elif [ "${1:-}" = --check ]; then
  "$venv/bin/python" "$here/make_models.py" --check "$models"
else
  "$venv/bin/python" "$here/make_models.py" "$models"
fi
