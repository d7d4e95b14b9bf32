#!/bin/sh
# Create a virtual environment and install paperbot into it from the hash-checked lockfiles.
# The Dockerfile runs this same script, so CI exercises the image's install steps.
#   install.sh VENV dev     requirements-dev.lock, then paperbot editable (make test, make run)
#   install.sh VENV image   requirements.lock, then paperbot itself; pip and setuptools are
#                           removed afterwards (the runtime image needs neither)
# Run it from the source tree (the folder holding pyproject.toml and the lockfiles).
set -eu
venv="$1"; profile="${2:-image}"
pip_install() {
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir "$@"
}
case "$profile" in
    dev)   lock=requirements-dev.lock; editable="-e" ;;
    image) lock=requirements.lock; editable="" ;;
    *)     echo "install.sh: unknown profile '$profile' (dev or image)" >&2; exit 2 ;;
esac
python3 -m venv "$venv"
# Every dependency, the build backend (setuptools) included, at its locked version and hash.
pip_install --require-hashes -r "$lock"
# paperbot itself, built with the locked setuptools: nothing unlocked is fetched.
pip_install --no-deps --no-build-isolation $editable .
if [ "$profile" = image ]; then
    "$venv/bin/python" -m pip uninstall --quiet --yes setuptools pip
fi
