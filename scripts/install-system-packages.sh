#!/usr/bin/env bash
# System packages the tests need: a real nginx (the web-server configs are tested with it), redis, and
# the shell script linter for the CI scripts.
# Run as root on Debian/Ubuntu; CI runs it from .ci/run on a fresh machine.
set -euo pipefail
if command -v nginx >/dev/null && command -v redis-server >/dev/null && command -v shellcheck >/dev/null; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx-light redis-server shellcheck >/dev/null
# The tests start their own nginx on 127.0.0.1; the distribution's service is not needed.
(service nginx stop || true) >/dev/null 2>&1
