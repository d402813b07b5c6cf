#!/usr/bin/env bash
# Run the kiosk, the counter console and the calling board with demo data on the embedded SQLite store.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    if command -v xvfb-run >/dev/null 2>&1; then
        echo "[demo] no display found: running under xvfb-run (nothing will be visible)"
        exec xvfb-run -a .venv/bin/kiosk --demo run --role all --windowed "$@"
    fi
    echo "[demo] no display found: run this from a desktop session (or set DISPLAY)." >&2
    exit 1
fi
exec .venv/bin/kiosk --demo run --role all --windowed "$@"
