"""Start-up: each role starts as its own process; the kiosk paints before the store is open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import KioskScreen


@pytest.mark.parametrize("role", ["kiosk", "counter", "display", "all"])
def test_each_role_starts_paints_and_opens_the_store(role: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_FRAME": "1"}
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path), "run", "--role", role]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr[-800:]
    marks = [line.split()[0] for line in out.stdout.splitlines()]
    assert marks[:2] == ["first-frame", "ready"] or marks[:2] == ["ready", "first-frame"]
    assert (tmp_path / "demo.sqlite3").exists()


def test_kiosk_screen_shows_a_polite_wait_until_the_store_is_open(
    qtbot: QtBot, queue: QueueService, demo_config: Config
) -> None:
    ctx = UiContext(None, demo_config)
    screen = KioskScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.no_services.text() == "준비하고 있습니다. 잠시만 기다려 주십시오."
    assert screen.service_buttons == {}
    ctx.attach(queue)
    assert list(screen.service_buttons) == ["A", "B", "C"]
    assert screen.no_services.isHidden()


def test_a_store_that_cannot_open_is_reported_not_hidden(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_EXIT_AFTER_FIRST_FRAME": "1",
        "KIOSK_DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/x.sqlite3",
    }
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path), "run", "--role", "kiosk"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 7
    assert "저장소를 읽거나 쓰지 못해" in out.stderr and "관리자에게 알려 주십시오" in out.stderr
