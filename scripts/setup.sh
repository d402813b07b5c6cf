#!/usr/bin/env bash
# Make this Debian/Ubuntu machine ready to run and test Counter Kiosk: the few Debian packages that
# Qt, Korean fonts and speech need, then a .venv (Python >= 3.11) with the project and its tools.
# Idempotent: a second run checks, installs nothing and takes well under a second.
#
#   bash scripts/setup.sh        (or `source scripts/setup.sh`: it runs in a subshell either way,
#                                 so it never changes the caller's directory or shell options)
#
# Root is needed only when Debian packages are missing; without root it uses sudo if present.

_kiosk_setup() (
    set -euo pipefail
    cd "$(dirname "${BASH_SOURCE[0]}")/.."

    say() { printf '[setup] %s\n' "$*"; }
    die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

    have() { command -v "$1" >/dev/null 2>&1; }

    as_root() {
        if [ "$(id -u)" -eq 0 ]; then "$@"
        elif have sudo; then sudo "$@"
        else die "need root or sudo to run: $*"
        fi
    }

    apt_updated=0
    apt_update_once() {
        if [ "$apt_updated" -eq 0 ]; then
            as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
            apt_updated=1
        fi
    }
    apt_install() {
        # One `apt-get update` per run, and only when something is actually missing.
        say "installing Debian packages: $*"
        apt_update_once
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
    }

    has_candidate() {
        # True if the archive offers a package of this exact name (not just a virtual one).
        local c
        c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
        [ -n "$c" ] && [ "$c" != "(none)" ]
    }

    # -- Debian packages -------------------------------------------------------------------
    # Korean font (Hangul), the speech engine, and the libraries Qt 6's offscreen and xcb
    # platforms and QtMultimedia load at run time. (The PySide6 wheels bring their own FFmpeg
    # multimedia backend, so GStreamer is not needed.) libusb: USB ticket printers (python-escpos).
    # The kiosk session test (tests/installer/test_session.py) runs the package's cage session
    # headless: cage, grim (screenshots), xwayland (Debian 12's cage will not start without it),
    # and what Qt's wayland platform plugin loads (libwayland-cursor0, libwayland-egl1).
    debian_pkgs=(fonts-noto-cjk espeak-ng libusb-1.0-0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
        libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
        libxcb-render-util0 libxcb-image0 libglib2.0-0 libpulse0
        cage grim xwayland libwayland-cursor0 libwayland-egl1)
    debian=0
    if have apt-get && have dpkg-query; then
        debian=1
        # One dpkg-query for everything: "name status" per known package.
        installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' \
            "${debian_pkgs[@]}" libasound2 libasound2t64 2>/dev/null || true) "
        is_installed() { [[ "$installed" == *" $1=installed "* ]]; }
        missing=()
        for p in "${debian_pkgs[@]}"; do is_installed "$p" || missing+=("$p"); done
        # ALSA's library was renamed on newer releases (Ubuntu 24.04+: libasound2t64).
        alsa=0
        is_installed libasound2 || is_installed libasound2t64 || alsa=1
        if [ ${#missing[@]} -gt 0 ] || [ "$alsa" -eq 1 ]; then
            apt_update_once  # fresh images have empty package lists: ask apt-cache after this
            if [ "$alsa" -eq 1 ]; then
                if has_candidate libasound2t64; then missing+=(libasound2t64); else missing+=(libasound2); fi
            fi
            apt_install "${missing[@]}"
        fi
    else
        say "not a Debian/Ubuntu system: install fonts-noto-cjk, espeak-ng and Qt 6's runtime libraries yourself"
    fi

    # -- Python >= 3.11 ----------------------------------------------------------------------
    py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }
    find_python() {
        local c
        for c in python3.11 python3.12 python3.13 python3; do
            if have "$c" && py_ok "$c"; then echo "$c"; return 0; fi
        done
        return 1
    }

    venv_version=$(.venv/bin/python -c 'import sys, platform
if sys.version_info < (3, 11): sys.exit(1)
print(platform.python_version())' 2>/dev/null || true)
    if [ -z "$venv_version" ]; then
        PY=$(find_python || true)
        if [ -z "$PY" ] && [ "$debian" -eq 1 ] && ! have python3; then
            apt_install python3 python3-venv
            PY=$(find_python || true)
        fi
        if [ -z "$PY" ]; then
            found=$(python3 --version 2>&1 || echo "no python3")
            die "Python 3.11 or newer is needed to build .venv (found: $found). Install python3.11 or newer and rerun."
        fi
        if [ -e .venv ]; then
            say "replacing .venv (its Python is missing or older than 3.11)"
            rm -rf .venv
        fi
        say "creating .venv with $PY ($("$PY" --version 2>&1))"
        if ! "$PY" -m venv .venv >/dev/null 2>&1; then
            # Debian/Ubuntu ship venv's pip bootstrap separately (python3-venv / python3.X-venv).
            rm -rf .venv
            [ "$debian" -eq 1 ] || die "'$PY -m venv' failed: install Python's venv module and rerun"
            ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            pkgs=(python3-venv)
            if has_candidate "python$ver-venv"; then pkgs+=("python$ver-venv"); fi
            apt_install "${pkgs[@]}"
            "$PY" -m venv .venv || die "'$PY -m venv .venv' still fails"
        fi
        venv_version=$(.venv/bin/python -c 'import platform; print(platform.python_version())')
        rm -f .venv/.stamp
    fi

    # -- the project and its tools -------------------------------------------------------------
    # Reinstalled only when pyproject.toml changes (the stamp holds its sha256).
    stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat .venv/.stamp 2>/dev/null || true)" != "$stamp" ]; then
        say "installing the project and its dev tools into .venv (pip install -e '.[dev]')"
        .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
        echo "$stamp" > .venv/.stamp
    fi
    # Cached bytecode for the project's own modules (pip does this for installed packages; with
    # an editable install and PYTHONDONTWRITEBYTECODE they would be recompiled at every start).
    .venv/bin/python -m compileall -q kiosk >/dev/null
    say "ready: .venv with Python $venv_version"
)

_kiosk_setup "$@"
