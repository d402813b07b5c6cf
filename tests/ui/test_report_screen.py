"""The report screen (issue 8, S15, S16) over a real store: what an administrator sees and does.

The hand-computed case of ``tests/report/test_report_queries.py`` gives exact numbers to find on
screen; a small generated year gives every table and chart something to show.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.config import Config
from kiosk.i18n import tr
from kiosk.services.queue import QueueService
from kiosk.store.sample_year import generate
from kiosk.ui.app import SCREENS
from kiosk.ui.audit import accessible_name, run_audit
from kiosk.ui.context import UiContext
from kiosk.ui.report_screen import ReportScreen
from tests.report.test_report_queries import _line, seed

pytestmark = pytest.mark.gui

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def rctx(qapp: object, app: App, queue: QueueService, demo_config: Config) -> UiContext:
    context = UiContext(
        queue, demo_config, charts=app.charts, feedback=app.feedback, reports=app.reports, auth=app.auth
    )
    yield context
    context.watcher.stop()
    context.ops.wait()


def _screen(qtbot: QtBot, ctx: UiContext) -> ReportScreen:
    screen = ReportScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    return screen


def _sign_in(qtbot: QtBot, screen: ReportScreen, user: str) -> None:
    """``user`` signs in with their demo PIN (checked in the worker); ``""`` signs out."""
    if not user:
        screen.sign_in("")
        return
    with qtbot.waitSignal(screen.gate.sig_session_changed, timeout=10_000, check_params_cb=lambda s: s is not None):
        screen.sign_in(user)
    assert screen.user_id == user


def _run(qtbot: QtBot, screen: ReportScreen) -> dict:
    with qtbot.waitSignal(screen.sig_loaded, timeout=20_000) as blocker:
        screen.run()
    assert not screen.busy
    return blocker.args[0]


def _row(screen: ReportScreen, table: str, label: str) -> list[str]:
    rows = [r for r in screen.table_rows(table) if r[0] == label]
    assert rows, f"{label!r} not in {screen.table_rows(table)}"
    return rows[0]


def test_the_admin_sees_the_hand_computed_medians(qtbot: QtBot, app: App, rctx: UiContext) -> None:
    seed(app.engine)
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "choi")  # 최유나, administrator
    screen.set_range(*MARCH)
    _run(qtbot, screen)
    # waits 60 120 300 600 900 1200 1500 s: median 600 s, p90 1320 s; priority 60 120: median 90 s
    assert _row(screen, "waiting", "전체")[1:4] == ["7", "10.0분", "22.0분"]
    assert _row(screen, "waiting", tr("report_screen.class.priority", "ko"))[2] == "1.5분"
    assert _row(screen, "waiting", tr("report_screen.class.ordinary", "ko"))[2] == "15.0분"
    # 6 served: 2 priority, 4 ordinary; one no-show of 8 tickets
    assert _row(screen, "served", "전체")[1:] == ["2", "4", "6"]
    assert _row(screen, "summary", "부재 처리 (발급 대비)")[1] == "1건 (12.5%)"
    # every chart of the report is on screen, named for a screen reader
    view = screen.chart_view("waiting_class")
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisibleTo(screen))
    assert accessible_name(view) == "대기 시간: 우선과 일반 (분) 그래프"
    assert "10.0분" not in view.accessibleDescription()  # per class: 1.5 and 15.0
    assert "1.5분" in view.accessibleDescription() and "15.0분" in view.accessibleDescription()


def test_the_facility_filter_changes_the_figures(qtbot: QtBot, app: App, rctx: UiContext) -> None:
    seed(app.engine)
    _line(app.engine, [(10, "C", 0, 30, "east"), (12, "C", 1, 20, "east"), (5, "C", 1, 6, "west")])
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "choi")
    screen.set_range(*MARCH)
    everything = _run(qtbot, screen)
    assert {"east", "west"} <= set(everything["facilities"])
    assert _row(screen, "waiting", "전체")[1] == "10"  # 7 seeded + 3 called on 03-04
    combo = screen.facility_combo
    assert combo.findData("west") > 0, [combo.itemText(i) for i in range(combo.count())]
    screen.set_facility("west")
    west = _run(qtbot, screen)
    assert west["facility"] == "west"
    assert _row(screen, "waiting", "전체")[1:3] == ["1", "1.0분"]  # one ticket, called after a minute
    assert "west" in screen.about_label.text()
    assert screen.facility_combo.currentData() == "west"  # the choice stays after the reload
    screen.set_service("C")
    _run(qtbot, screen)
    assert _row(screen, "served", "전체")[3] == "0"  # none of them completed


def test_a_reversed_range_is_refused_in_korean_and_keeps_the_filters(qtbot: QtBot, rctx: UiContext) -> None:
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "jung")  # the audit team
    screen.set_range(date(2026, 3, 31), date(2026, 3, 1))
    with qtbot.waitSignal(screen.sig_refused, timeout=20_000) as blocker:
        screen.run()
    expected = tr("input.range_reversed", "ko", start="2026-03-31", end="2026-03-01")
    assert blocker.args[0] == expected
    assert screen.message_text() == "기간의 시작(2026-03-31)이 끝(2026-03-01)보다 늦습니다."
    assert screen.range() == (date(2026, 3, 31), date(2026, 3, 1))
    assert screen.run_button.isEnabled()


def test_a_counter_clerk_is_refused_with_a_message(qtbot: QtBot, app: App, rctx: UiContext) -> None:
    seed(app.engine)
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "choi")
    screen.set_range(*MARCH)
    _run(qtbot, screen)
    _sign_in(qtbot, screen, "kim")  # 김서연, counter
    with qtbot.waitSignal(screen.sig_refused, timeout=20_000):
        screen.run()
    assert "권한이 없습니다" in screen.message_text()
    assert tr("report_screen.forbidden_hint", "ko") in screen.message_text()
    assert screen.report is None and screen.table_rows("waiting") == []  # nothing of the last report stays


def test_nobody_signed_in_sees_only_the_pin_prompt(qtbot: QtBot, rctx: UiContext) -> None:
    screen = _screen(qtbot, rctx)
    assert not screen.run_button.isEnabled() and not screen.run_button.isVisibleTo(screen)
    assert screen.gate.login.isVisibleTo(screen)
    _sign_in(qtbot, screen, "choi")
    assert screen.run_button.isVisibleTo(screen) and screen.run_button.isEnabled()
    assert screen.gate.bar.label.text() == "최유나 · 관리자"
    _sign_in(qtbot, screen, "")  # signed out: the prompt again, nothing to run
    assert screen.gate.login.isVisibleTo(screen) and not screen.run_button.isEnabled()
    assert screen.gate.login.message_text() == tr("staff_login.logged_out", "ko")


def test_english_labels_follow_the_language(qtbot: QtBot, app: App, rctx: UiContext) -> None:
    seed(app.engine)
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "choi")
    screen.set_range(*MARCH)
    _run(qtbot, screen)
    rctx.set_language("en")
    assert screen.run_button.text() == "Show report"
    assert _row(screen, "waiting", "All")[2] == "10.0 min"
    assert screen.facility_combo.itemText(0) == "Every facility"


def test_the_screen_saves_pdf_and_html(qtbot: QtBot, app: App, rctx: UiContext, tmp_path: Path) -> None:
    generate(app.engine, tickets=3000, year=2025)
    screen = _screen(qtbot, rctx)
    _sign_in(qtbot, screen, "choi")
    screen.set_range(date(2025, 1, 1), date(2025, 12, 31))
    screen.path_edit.setText(str(tmp_path / "보고서"))
    with qtbot.waitSignal(screen.sig_exported, timeout=60_000) as blocker:
        screen.export("pdf")
    pdf = Path(blocker.args[0])
    assert pdf.name == "보고서.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert screen.message_text() == tr("report_screen.exported", "ko", path=str(pdf))
    with qtbot.waitSignal(screen.sig_exported, timeout=60_000) as blocker:
        screen.export("html")
    page = Path(blocker.args[0]).read_text(encoding="utf-8")
    assert "서비스 성과 보고서" in page and page.count("<img ") >= 5
    # the figures are on screen as well
    assert screen.table_rows("served")[-1][3] == f"{screen.report['served']['total']:,}"


def test_the_screen_passes_the_accessibility_audit(qtbot: QtBot, app: App, rctx: UiContext) -> None:
    generate(app.engine, tickets=3000, year=2026)
    assert "report" in SCREENS
    result = run_audit(rctx, {"report": SCREENS["report"]})
    assert sum(result.checked.values()) > 20
    assert result.failures == [], "\n".join(result.failures[:40])
