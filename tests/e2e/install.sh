#!/usr/bin/env bash
# Installs the Bot API emulator the end-to-end test drives (tests/test_e2e.py):
# telegram-test-api, pinned by package-lock.json. Needs Node.js and npm; without
# them it says so and leaves the e2e test to skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
    echo "tests/e2e/install.sh: npm not found; the end-to-end test will be skipped" >&2
    exit 0
fi
if [ -d "$here/node_modules/telegram-test-api" ] \
    && [ "$here/node_modules/.package-lock.json" -nt "$here/package-lock.json" ]; then
    exit 0
fi
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
