#!/usr/bin/env bash
# System packages the tests need: a real nginx (the web-server configs are tested with it), redis, and
# the shell script linter for the CI scripts; for `npm run test:argus`, PostgreSQL, Debian's python3 with venv
# (an unprivileged uid runs it) and the headers pip builds psycopg2 and psycopg[c] with; for
# `npm run test:cluster`, Debian's docker-registry (the CNCF distribution server, 2.8.2 in bookworm), which
# serves production's image lookup; for `npm run test:pipeline`, rsync, which gitlab-ci-local runs even for
# shell jobs (it copies the checkout into the job's build folder); for `npm run test:webui`, Debian's chromium,
# which playwright-core drives (no browser download of its own).
# Run as root on Debian/Ubuntu; CI runs it from .ci/run on a fresh machine.
set -euo pipefail
if command -v nginx >/dev/null && command -v redis-server >/dev/null && command -v shellcheck >/dev/null \
    && [ -x /usr/lib/postgresql/15/bin/initdb ] && command -v pg_config >/dev/null && command -v unshare >/dev/null \
    && [ -f /usr/include/python3.11/Python.h ] && /usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null && command -v gcc >/dev/null \
    && [ -x /usr/bin/docker-registry ] && command -v rsync >/dev/null && [ -x /usr/bin/chromium ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx-light redis-server shellcheck \
    postgresql-15 libpq-dev python3-venv python3-dev gcc util-linux docker-registry rsync chromium >/dev/null
# The tests start their own nginx on 127.0.0.1; the distribution's service is not needed.
(service nginx stop || true) >/dev/null 2>&1
(service postgresql stop || true) >/dev/null 2>&1
# Nor the registry's: the cluster suite starts its own, with TLS, on a free port of 127.0.0.1.
(service docker-registry stop || true) >/dev/null 2>&1
