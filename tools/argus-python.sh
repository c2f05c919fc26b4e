#!/usr/bin/env bash
# The Argus image's Python layer, built on this machine for realworld/argus (npm run test:argus).
#
#   tools/argus-python.sh [--constraints "NAME==VERSION ..."] REQUIREMENT...
#       prints the folder of a virtual environment with exactly these requirements (the image's
#       ARGUS_REQUIREMENT, RUNTIME_PACKAGES and EXTRA_PACKAGES build arguments), resolved within the
#       constraints (its ARGUS_CONSTRAINTS build argument), as the Dockerfile's `pip wheel --constraint` +
#       `pip install` stages install them
#
# The environment is made from Debian's /usr/bin/python3 (an unprivileged uid must be able to run it; the
# image runs python:3.12/3.13, this is 3.11) and cached in
#   ${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/python/<sha256 of the python version and the requirements>
# A virtual environment is not relocatable (pip writes its absolute path into every script), so it is built
# inside a private mount namespace at the fixed path ARGUS_VENV_MOUNT (/opt/argus-deploy/venv), where the
# harness mounts it again for every process it runs. The folder is root's and read-only to anyone else, as
# the image's /usr/local is to its uid 10001. Run as root (mount namespaces); needs python3-venv.
set -euo pipefail
set -f # requirements like psycopg[c] are names, not file patterns

constraints=""
if [ "${1:-}" = "--constraints" ]; then
    constraints="${2:-}"
    shift 2
fi
if [ "$#" -eq 0 ]; then
    echo "usage: $0 [--constraints \"NAME==VERSION ...\"] REQUIREMENT..." >&2
    exit 2
fi
python=/usr/bin/python3
mountpoint=/opt/argus-deploy/venv
root="${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/python"
version="$("$python" -c 'import sys; print(sys.version.split()[0])')"
# Build-argument order is irrelevant to the image (pip resolves one set), so it is to the key too.
sorted="$(printf '%s\n' "$@" | LC_ALL=C sort)"
# shellcheck disable=SC2086 # one constraint a word, as the Dockerfile's printf writes them
constraint_lines="$(if [ -n "$constraints" ]; then printf '%s\n' $constraints | LC_ALL=C sort; fi)"
key="$(printf 'python %s\nmount %s\n%s\nconstraints\n%s\n' "$version" "$mountpoint" "$sorted" "$constraint_lines" | sha256sum | cut -c1-16)"
target="$root/$key"
if [ -f "$target/.complete" ]; then
    echo "$target"
    exit 0
fi

mkdir -p "$root" "$mountpoint"
work="$(mktemp -d "$root/.build-$key.XXXXXX")"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$sorted" >"$work/requirements.in"
printf '%s\n' "$constraint_lines" >"$work/constraints.txt"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private -- sh -euc '
    mount --bind "$1" "$2"
    "$3" -m venv "$2"
    shift 3
    "$0"/bin/pip install --quiet --disable-pip-version-check --constraint "$0"/constraints.txt "$@"
    "$0"/bin/pip freeze --disable-pip-version-check >"$0"/requirements.lock
' "$mountpoint" "$work" "$mountpoint" "$python" "$@" >&2
chmod -R u+rwX,go+rX,go-w "$work"
chmod 755 "$work"
printf 'python %s\n' "$version" >"$work/python-version"
touch "$work/.complete"
rm -rf "$target"
mv "$work" "$target"
trap - EXIT
echo "$target"
