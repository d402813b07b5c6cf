#!/usr/bin/env bash
# Set up (first time only), then run the demo: the kiosk, the counter console and the calling
# board in one process, with the demo facility's data on the embedded SQLite store.
# Extra arguments go to `kiosk run`, e.g. `./scripts/demo.sh --mode large-text`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

run=(.venv/bin/kiosk --demo run --role all "$@")
# The screens need a display. QT_QPA_PLATFORM set by hand (e.g. offscreen) is respected.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    if command -v xvfb-run >/dev/null 2>&1; then
        echo "[demo] no display (DISPLAY/WAYLAND_DISPLAY unset): running on a virtual X server via xvfb-run;"
        echo "[demo] nothing will be visible. Run from a desktop session to see the screens."
        exec xvfb-run -a "${run[@]}"
    fi
    cat >&2 <<'MSG'
[demo] error: no display found (DISPLAY and WAYLAND_DISPLAY are unset).
[demo] The demo opens three windows, so it needs a graphical session: run it from a desktop
[demo] terminal, or over `ssh -X`, or install xvfb (apt-get install xvfb) to run it invisibly.
MSG
    exit 1
fi
exec "${run[@]}"
