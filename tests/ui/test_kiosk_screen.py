"""The visitor's screen on the real store: three taps to a ticket that really exists."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.domain.ticket import PriorityReason
from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_CLASS, PAGE_SERVICES, PAGE_TICKET, KioskScreen
from tests.ui.conftest import accessible_name, interactive_widgets


def make(qtbot: QtBot, ctx: UiContext) -> KioskScreen:
    screen = KioskScreen(ctx, tick_ms=50)
    qtbot.addWidget(screen)
    screen.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
    screen.show()
    return screen


def test_three_taps_give_a_ticket_that_is_in_the_store(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    screen = make(qtbot, ctx)
    assert "대기 0명" in screen.service_buttons["B"].text()
    qtbot.mouseClick(screen.service_buttons["B"], Qt.MouseButton.LeftButton)
    assert screen.page == PAGE_CLASS
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=3000) as blocker:
        qtbot.mouseClick(screen.ordinary_button, Qt.MouseButton.LeftButton)
    ticket = blocker.args[0]
    assert screen.page == PAGE_TICKET
    assert screen.ticket_number.text() == "B-001" == queue.ticket(ticket.id).number
    assert screen.ticket_priority.isHidden()
    assert "요금 납부" in screen.ticket_service.text()
    assert screen.qr_text == f"kiosk://ticket/{queue.today()}/B-001"
    assert not screen.qr_label.pixmap().isNull()


def test_priority_reason_reaches_the_ticket_with_word_and_mark(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("A")
    queue.issue_ticket("A")
    screen = make(qtbot, ctx)
    screen.choose_service("A")
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=3000):
        qtbot.mouseClick(screen.priority_buttons[PriorityReason.PREGNANT], Qt.MouseButton.LeftButton)
    assert screen.ticket_priority.text() == "★ 우선 고객 · 임산부"  # a word and a symbol, not colour alone
    assert screen.ticket_ahead.text() == "곧 호출됩니다"  # ahead of both ordinary visitors
    assert queue.queue("A")[0].priority == "pregnant"


def test_double_tap_makes_one_ticket(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    screen = make(qtbot, ctx)
    screen.choose_service("C")
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=3000):
        screen.choose_class(None)
        screen.choose_class(None)  # the second tap arrives while the first is being written
    ctx.ops.wait()
    qtbot.wait(50)
    assert queue.today_counts()["issued"] == 1


def test_language_switch_retranslates_everything(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    assert screen.services_title.text() == "원하시는 업무를 선택하십시오"
    qtbot.mouseClick(screen.language_button, Qt.MouseButton.LeftButton)
    assert screen.services_title.text() == "Please choose a service"
    assert screen.service_buttons["A"].text().startswith("1. Permits and licences")
    assert screen.home_button.text() == "Home"
    qtbot.mouseClick(screen.language_button, Qt.MouseButton.LeftButton)
    assert screen.home_button.text() == "처음으로"


def test_idle_screen_counts_down_then_returns_home_and_a_tap_extends(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    screen.idle_seconds, screen.idle_warning_seconds = 1.2, 1.0
    screen.choose_service("A")
    qtbot.waitUntil(screen.countdown.isVisible, timeout=2000)
    assert "처음 화면으로 돌아갑니다" in screen.countdown.text()
    qtbot.mouseClick(screen.priority_question, Qt.MouseButton.LeftButton)  # any touch extends
    assert not screen.countdown.isVisible()
    assert screen.remaining_seconds() > 1.0
    qtbot.waitUntil(lambda: screen.page == PAGE_SERVICES, timeout=3000)


def test_store_error_is_shown_in_korean_and_the_visitor_can_retry(
    qtbot: QtBot, demo_config: Config, queue: QueueService
) -> None:
    from kiosk.services.queue import QueueService as Service
    from kiosk.store.engine import make_engine
    from kiosk.store.uow import SqlUnitOfWorkFactory

    db = demo_config.data_dir / "demo.sqlite3"
    impatient = Service(SqlUnitOfWorkFactory(make_engine(f"sqlite:///{db}", busy_timeout_ms=100)))
    ctx = UiContext(impatient, replace(demo_config))
    screen = make(qtbot, ctx)
    screen.choose_service("A")
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    screen.choose_class(None)
    qtbot.waitUntil(screen.banner.isVisible, timeout=3000)
    assert "잠시 후 다시 시도해 주십시오" in screen.banner.text()
    assert screen.page == PAGE_CLASS and screen.ordinary_button.isEnabled()
    blocker.execute("ROLLBACK")
    blocker.close()
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=3000):
        qtbot.mouseClick(screen.ordinary_button, Qt.MouseButton.LeftButton)
    assert screen.ticket_number.text() == "A-001"
    assert impatient.today_counts()["issued"] == 1  # on the same (real) day as the ticket
    ctx.ops.wait()


def test_every_control_has_a_spoken_name_and_a_touch_size(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    pages = [lambda: None, lambda: screen.choose_service("A")]
    for show in pages:
        show()
        for w in interactive_widgets(screen):
            assert accessible_name(w).strip(), w
            assert w.width() >= 72 and w.height() >= 72, (accessible_name(w), w.size())
    screen.show_services()
    name = accessible_name(screen.service_buttons["A"])
    assert "인허가 신청" in name and "예상 대기 시간" in name
