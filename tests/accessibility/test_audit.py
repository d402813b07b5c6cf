"""The accessibility audit over every registered screen, state, mode and language (runs in CI)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.app import SCREENS
from kiosk.ui.audit import run_audit
from kiosk.ui.context import UiContext


def test_every_screen_passes_the_audit(
    qtbot: QtBot, app: App, queue: QueueService, demo_config: Config, audit_summary: list[str]
) -> None:
    for code in "AABC":
        queue.issue_ticket(code)
    queue.issue_ticket("A", "elderly")
    assert app.feedback is not None
    app.feedback.submit("complaint", "대기실 의자가 부족합니다.", contact="010-2345-6789", consent=True)
    app.feedback.submit("misconduct", "채용 비리 제보")
    # with the seat chart, the voice box and the survey: every panel of every screen
    ctx = UiContext(
        queue,
        demo_config,
        charts=app.charts,
        feedback=app.feedback,
        survey=app.survey,
        reports=app.reports,
        auth=app.auth,
    )
    result = run_audit(ctx, SCREENS)
    audit_summary.append(result.table())
    assert set(SCREENS) <= {s for s, _ in result.checked}
    assert sum(result.checked.values()) > 1000
    assert result.failures == [], "\n".join(result.failures[:40])


def test_the_audit_catches_what_it_checks(qtbot: QtBot, queue: QueueService, demo_config: Config) -> None:
    """A screen with a nameless, tiny, unreachable button and small print must fail the audit."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

    def bad_screen(_ctx: UiContext) -> QWidget:
        w = QWidget()
        b = QPushButton("", w)
        b.setFixedSize(20, 20)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        small = QLabel("작은 글씨 안내문", w)
        small.setStyleSheet("font-size: 30px")  # 26 px glyphs: 8 mm on a 27-inch kiosk
        layout = QVBoxLayout(w)
        layout.addWidget(b)
        layout.addWidget(small)
        return w

    ctx = UiContext(queue, demo_config)
    result = run_audit(ctx, {"bad": ("visitor", bad_screen)}, mode_sets=("",), languages=("ko",))
    kinds = {f.split(": ")[1] for f in result.failures}
    assert {"name", "spoken", "size", "keyboard", "text size"} <= kinds
    assert any("'작은 글씨 안내문': glyphs 8." in f for f in result.failures)
