"""The console's sync indicator: online/offline, last sync, pending items, and a long catch-up's bar.

Sync reports come from the sync thread; the UI only ever sees them as plain data on its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.sync.syncer import BackgroundSync, SyncReport, SyncStatus
from kiosk.ui.console import LONG_CATCH_UP
from kiosk.ui.context import UiContext
from tests.ui.counter_helpers import open_console, settle


def status(online: bool, pending: int, last_sync: str = "") -> dict[str, Any]:
    return SyncStatus("node-1", online, pending, None, last_sync, "", 0).as_dict()


def from_thread(fn: Callable[[], None]) -> None:
    """Call ``fn`` on another thread, as the background sync does, and wait for it."""
    t = threading.Thread(target=fn, name="fake-sync")
    t.start()
    t.join(5)


def test_no_indicator_without_a_central_database(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    # The demo node has no central database: starting the sync starts nothing, nothing is reported.
    assert (
        app.start_sync(on_report=lambda _r, s: ctx.report_sync(s.as_dict()), progress=ctx.report_sync_progress) is None
    )
    c = open_console(qtbot, ctx, 1)
    settle(ctx, qtbot)
    assert ctx.sync_status is None
    assert c.sync_text() == ""
    assert not c.sync_label.isVisibleTo(c) and not c.sync_bar.isVisibleTo(c)


def test_offline_status_from_the_sync_thread_shows_pending_items(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    threads: list[threading.Thread] = []
    ctx.sig_sync_status.connect(lambda _s: threads.append(threading.current_thread()))
    from_thread(lambda: ctx.report_sync(status(online=False, pending=3)))
    qtbot.waitUntil(lambda: c.sync_text() != "", timeout=3000)
    assert threads == [threading.main_thread()]  # delivered on the UI thread, not the sync thread
    assert c.sync_text() == "오프라인 · 보낼 항목 3건 (방문객 응대는 계속됩니다)"
    assert c.sync_label.accessibleName() == c.sync_text()
    assert not c.sync_bar.isVisibleTo(c)  # no catch-up under way

    ctx.set_language("en")
    assert c.sync_text() == "Offline · 3 to send (visitors are still served)"


def test_online_status_shows_the_last_sync_in_the_facility_time_zone(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    from_thread(lambda: ctx.report_sync(status(online=True, pending=0, last_sync="2025-03-03T01:02:03+00:00")))
    qtbot.waitUntil(lambda: c.sync_text() != "", timeout=3000)
    assert c.sync_text() == "온라인 · 마지막 동기화 10:02:03 · 보낼 항목 0건"  # Asia/Seoul, UTC+9


def test_a_long_catch_up_shows_a_progress_bar_until_the_run_ends(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    from_thread(lambda: ctx.report_sync(status(online=False, pending=200)))
    from_thread(lambda: ctx.report_sync_progress(50, 200))
    qtbot.waitUntil(lambda: c.sync_bar.isVisibleTo(c), timeout=3000)
    assert (c.sync_bar.value(), c.sync_bar.minimum(), c.sync_bar.maximum()) == (50, 0, 200)
    assert c.sync_bar.text() == "보내는 중 50/200"
    assert c.sync_bar.accessibleName() == "중앙 서버로 보내는 중"

    from_thread(lambda: ctx.report_sync_progress(150, 200))
    qtbot.waitUntil(lambda: c.sync_bar.value() == 150, timeout=3000)

    from_thread(lambda: ctx.report_sync(status(online=True, pending=0, last_sync="2025-03-03T01:02:03+00:00")))
    qtbot.waitUntil(lambda: not c.sync_bar.isVisibleTo(c), timeout=3000)
    assert c.sync_text().startswith("온라인") and "0건" in c.sync_text()


def test_a_short_push_shows_no_bar(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    from_thread(lambda: ctx.report_sync_progress(5, LONG_CATCH_UP - 1))
    qtbot.waitUntil(lambda: ctx.sync_progress is not None, timeout=3000)
    assert not c.sync_bar.isVisibleTo(c)


def test_a_console_opened_after_the_first_report_shows_it(qtbot: QtBot, ctx: UiContext) -> None:
    # At start-up the sync may report before the console's window exists.
    from_thread(lambda: ctx.report_sync(status(online=False, pending=7)))
    qtbot.waitUntil(lambda: ctx.sync_status is not None, timeout=3000)
    c = open_console(qtbot, ctx, 1)
    assert c.sync_text() == "오프라인 · 보낼 항목 7건 (방문객 응대는 계속됩니다)"


class _FakeSyncer:
    """Fails like an unreachable central database, after sending part of a catch-up."""

    def run_once(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        if progress is not None:
            progress(500, 2000)
        raise OSError("central database unreachable")

    def status(self) -> SyncStatus:
        return SyncStatus("node-1", False, 1500, 60.0, "", "unreachable", 0)


def test_background_sync_wired_as_the_app_does_reaches_the_console(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    background = BackgroundSync(
        _FakeSyncer(),  # type: ignore[arg-type]
        60.0,
        on_report=lambda _report, s: ctx.report_sync(s.as_dict()),
        progress=ctx.report_sync_progress,
    )
    background.start()
    try:
        qtbot.waitUntil(lambda: c.sync_text() != "", timeout=3000)
    finally:
        background.stop()
    assert c.sync_text() == "오프라인 · 보낼 항목 1500건 (방문객 응대는 계속됩니다)"
    assert not c.sync_bar.isVisibleTo(c)  # the run ended (failed): its catch-up is over


def test_the_indicator_fits_the_console(qtbot: QtBot, ctx: UiContext) -> None:
    c = open_console(qtbot, ctx, 1)
    for lang in ("ko", "en"):
        ctx.set_language(lang)
        ctx.report_sync(status(online=False, pending=12345))
        ctx.report_sync_progress(5000, 12345)
        qtbot.waitUntil(lambda: c.sync_bar.isVisibleTo(c), timeout=3000)
        qtbot.wait(20)
        label = c.sync_label
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width() + 2
        ctx.report_sync(status(online=True, pending=0))
        qtbot.waitUntil(lambda: not c.sync_bar.isVisibleTo(c), timeout=3000)
