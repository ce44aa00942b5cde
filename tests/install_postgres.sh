#!/usr/bin/env bash
# Installs Debian's postgresql package for the PostgreSQL tests (tests/pg_server.py
# starts a throwaway server from its binaries). Only as root, and only when no
# PostgreSQL server binaries are there; otherwise it says so and the tests skip
# (or fail under CI=true).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "tests/install_postgres.sh: not root, so postgresql is not installed;" \
         "the PostgreSQL tests will be skipped (sudo apt-get install postgresql)" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "tests/install_postgres.sh: no apt-get; install PostgreSQL's server binaries" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
