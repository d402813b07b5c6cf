"""After a failed upgrade the screens run on the previous data, read-only (issue 10): visitors are
sent to staff instead of getting a ticket that could not be kept, and staff see why and which
backup to keep."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config
from kiosk.i18n import tr
from kiosk.ui.app import ensure_app
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_SERVICES, KioskScreen
from tests.core.test_upgrade import failing_store
from tests.ui.conftest import accessible_name
from tests.ui.counter_helpers import open_console


@pytest.fixture
def read_only(qapp: object, tmp_path: Path) -> Iterator[tuple[App, UiContext]]:
    ensure_app()
    config = load_config(demo=True, data_dir=tmp_path, env={})
    failing_store(config)
    app = bootstrap(config, sync_on_start=False)
    assert app.read_only is not None
    ctx = UiContext(None, config, poll_ms=100)
    ctx.attach(app.queue, app.charts, app.feedback, app.survey, app.reports, app.auth, dict(app.read_only.params))
    yield app, ctx
    ctx.watcher.stop()
    ctx.ops.wait()
    app.close()


def test_the_kiosk_sends_visitors_to_staff_instead_of_issuing(qtbot: QtBot, read_only: tuple[App, UiContext]) -> None:
    app, ctx = read_only
    screen = KioskScreen(ctx, tick_ms=50)
    qtbot.addWidget(screen)
    screen.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
    screen.show()
    screen.refresh_services()
    button = screen.service_buttons["A"]
    assert not button.isEnabled() and "인허가" in accessible_name(button)
    assert screen.no_services.isVisible() and screen.no_services.text() == tr("kiosk.read_only", "ko")
    assert screen.voice_button.isHidden() and not screen.status_button.isHidden()  # status can be read
    said = screen.page_announcement()  # what voice guidance says: why, and the keys that still work
    assert said.startswith(tr("kiosk.read_only", "ko")) and "2번은 담당자 찾기" in said and "4번은" in said
    screen.choose_service("A")  # the keypad's "1": no ticket page, the same words
    assert screen.page == PAGE_SERVICES and screen.banner.text() == tr("kiosk.read_only", "ko")
    ctx.set_language("en")
    assert screen.no_services.text() == tr("kiosk.read_only", "en")
    assert "speak to a member of staff" in screen.no_services.text()
    assert [t.number for t in app.queue.queue()] == ["A-007"]  # nothing issued
    ctx.set_language("ko")
    key = Qt.Key.Key_4  # the keypad's "check an answer" (one service, then chart 2, write 3, check 4)
    qtbot.keyClick(screen, key)
    assert screen.page != PAGE_SERVICES  # the receipt-and-PIN page opened


def test_the_console_says_why_and_a_call_is_refused_in_words(qtbot: QtBot, read_only: tuple[App, UiContext]) -> None:
    app, ctx = read_only
    c = open_console(qtbot, ctx, 1)
    assert app.read_only is not None
    assert c.read_only_label.isVisible()
    text = c.read_only_label.text()
    assert "읽기 전용" in text and app.read_only.params["kept"] in text
    qtbot.mouseClick(c.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "저장은 할 수 없습니다" in c.status.text(), timeout=3000)
    assert [(t.number, t.status) for t in app.queue.queue()] == [("A-007", "waiting")]
    assert "A-007" in [r[0].strip() for r in c.waiting_rows()]  # staff still see who was waiting


def test_the_kiosk_program_starts_on_the_previous_data(tmp_path: Path) -> None:
    """The whole program, every role at once: it starts (the unit's restart loop is not entered),
    paints, opens the old data and tells staff why on stderr."""
    failing_store(load_config(demo=True, data_dir=tmp_path, env={}))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_FRAME": "1"}
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path), "run", "--role", "all"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr[-800:]
    assert "ready" in [line.split()[0] for line in out.stdout.splitlines()]
    assert "읽기 전용" in out.stderr and "demo.sqlite3.r0004-" in out.stderr
