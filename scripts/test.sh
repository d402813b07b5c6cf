#!/usr/bin/env bash
# Run the whole test suite: lint, types, the architecture contract, then pytest (offscreen Qt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# In CI the PostgreSQL tests must run, never skip.
if [ "${CI:-}" = "true" ]; then export KIOSK_REQUIRE_POSTGRES=1; fi
echo "[test] ruff";          .venv/bin/ruff check kiosk tests bench scripts
echo "[test] mypy";          .venv/bin/mypy
echo "[test] import-linter"; .venv/bin/lint-imports
echo "[test] pytest"
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ $rc -eq 5 ]; then echo "[test] pytest collected no tests: that is a failure" >&2; exit 1; fi
exit $rc
