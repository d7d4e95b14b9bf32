#!/bin/sh
# Create a virtual environment at $1 and install paperbot into it.
# The Dockerfile runs this same script, so CI exercises the image's install steps.
#   $1  venv path     $2  what to install (default ".")     $3  "-e" for an editable install
set -eu
venv="$1"; target="${2:-.}"; editable="${3:-}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir \
    $editable "$target"
