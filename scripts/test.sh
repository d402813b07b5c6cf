#!/usr/bin/env bash
# Set up (first time only), then run the whole test suite, stopping at the first failure:
# ruff, mypy, the import-linter architecture contracts, then pytest with Qt offscreen.
# Extra arguments go to pytest, e.g. `./scripts/test.sh -q -k priority`.
# With CI=true the PostgreSQL tests are required (a missing server fails them instead of skipping).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if [ "${CI:-}" = "true" ]; then export KIOSK_REQUIRE_POSTGRES=1; fi

step() {
    local name=$1; shift
    echo "[test] $name"
    if ! "$@"; then
        echo "[test] FAILED: $name" >&2
        exit 1
    fi
}
step "ruff"          .venv/bin/ruff check kiosk tests bench scripts
step "mypy"          .venv/bin/mypy
step "import-linter" .venv/bin/lint-imports

echo "[test] pytest${KIOSK_REQUIRE_POSTGRES:+ (PostgreSQL tests required)}"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "[test] FAILED: pytest collected no tests (exit code 5)" >&2
    exit 1
fi
# pytest's own summary line stays the last thing printed on success and on failure.
exit "$rc"
