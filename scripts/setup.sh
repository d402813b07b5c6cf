#!/usr/bin/env bash
# Make this Debian/Ubuntu machine ready to run and test Counter Kiosk: the few Debian packages that
# Qt, Korean fonts and speech need, then a .venv with the project. Quick and silent when done before.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[setup] %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else say "need root (or sudo) to run: $*"; exit 1
    fi
}

# Debian packages: Korean fonts, speech, and the libraries Qt's offscreen/xcb platforms and
# QtMultimedia load at run time.
apt_packages=(fonts-noto-cjk espeak-ng libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
    libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 libglib2.0-0 libpulse0)
if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for p in "${apt_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    # ALSA's library was renamed on newer releases (libasound2 -> libasound2t64).
    if ! dpkg-query -W -f='${Status}' libasound2 2>/dev/null | grep -q "ok installed" &&
       ! dpkg-query -W -f='${Status}' libasound2t64 2>/dev/null | grep -q "ok installed"; then
        missing+=(ALSA)
    fi
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        for i in "${!missing[@]}"; do
            if [ "${missing[$i]}" = ALSA ]; then
                if apt-cache show libasound2t64 >/dev/null 2>&1; then missing[$i]=libasound2t64; else missing[$i]=libasound2; fi
            fi
        done
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
else
    say "not a Debian/Ubuntu system: install fonts-noto-cjk, espeak-ng and Qt 6's runtime libraries yourself"
fi

# Python >= 3.11 for the virtual environment.
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        PY=$candidate; break
    fi
done
if [ -z "$PY" ]; then
    say "Python 3.11 or newer is needed (found: $(python3 --version 2>&1 || echo none))"; exit 1
fi

stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
    say "creating .venv with $PY"
    "$PY" -m venv .venv
fi
if [ "$(cat .venv/.stamp 2>/dev/null)" != "$stamp" ]; then
    say "installing the project and its tools into .venv"
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e '.[dev]'
    echo "$stamp" > .venv/.stamp
fi
# Cached bytecode for the project's own modules (pip does this for installed packages; an
# editable install and PYTHONDONTWRITEBYTECODE would otherwise recompile them at every start).
.venv/bin/python -m compileall -q kiosk >/dev/null
