"""``kiosk self-test`` from source: what the bundle runs after installing (``counter-kiosk --self-test``).

The bundle itself is built and self-tested by ``installer/build`` in CI (``.ci/run``), not here.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk.ui.app import SCREENS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def self_test(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    base.pop("QT_QPA_PLATFORM", None)  # the self-test goes offscreen by itself
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "self-test", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=ROOT,
        timeout=120,
    )


def test_self_test_passes_and_says_what_it_checked(tmp_path: Path) -> None:
    out = self_test("--out", str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert all(line.startswith("ok ") for line in lines), lines
    checked = [" ".join(line.split()[1:3]) if line.startswith("ok screen") else line.split()[1] for line in lines]
    screens = [f"screen {role}" for role in SCREENS]
    assert checked == ["store", "central", "font", *screens, "speech", "playback", "print", "qr"]
    # what it made, kept for a person to look at: a screen of each role, the spoken line, the ticket
    for role in SCREENS:
        assert (tmp_path / f"screen-{role}.png").stat().st_size > 1000
    (wav,) = (tmp_path / "speech").glob("*.wav")
    with wave.open(str(wav)) as w:
        assert w.getnframes() / w.getframerate() > 1.0
    assert f"ok speech {wav.stat().st_size} bytes" in next(line for line in lines if line.startswith("ok speech"))
    ticket = (tmp_path / "ticket.escpos").read_bytes()
    assert b"\x1dv0" in ticket  # GS v 0: the ticket as a raster (Hangul drawn, never sent as text)
    assert f"ok print {len(ticket)} bytes" in lines


def test_without_espeak_ng_the_self_test_speaks_through_pyttsx3_and_says_so(tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH without espeak-ng (nor anything else): Windows' case
    bare.mkdir()
    out = self_test("--out", str(tmp_path / "out"), env={"PATH": str(bare)})
    assert out.returncode == 0, out.stdout
    (line,) = [line for line in out.stdout.splitlines() if " speech" in line]
    assert line.startswith("ok speech ") and "by pyttsx3 espeak, voice Korean (ko)" in line


def test_a_missing_speech_engine_fails_the_self_test_by_name(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    config = tmp_path / "kiosk.toml"  # the engine this kiosk is configured to speak with
    config.write_text('[speech]\nengine = "espeak-ng"\n', encoding="utf-8")
    out = self_test(env={"PATH": str(bare), "KIOSK_CONFIG": str(config)})
    assert out.returncode == 1
    assert "FAIL speech: espeak-ng is not installed" in out.stdout.splitlines()
    # the other checks still ran and passed: one missing part does not hide the state of the rest
    assert "ok store" in out.stdout and "ok print" in out.stdout
    assert "Traceback" not in out.stderr


def test_the_bundle_entry_maps_its_self_test_flag() -> None:
    spec = importlib.util.spec_from_file_location("installer_entry", ROOT / "installer" / "entry.py")
    assert spec is not None and spec.loader is not None
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    assert entry.bundle_argv(["--self-test"]) == ["self-test"]
    assert entry.bundle_argv(["--lang", "en", "--self-test"]) == ["self-test", "--lang", "en"]
    assert entry.bundle_argv(["--demo", "run", "--role", "kiosk"]) == ["--demo", "run", "--role", "kiosk"]
