"""Counter console and calling board on the real store, and the whole flow across them."""

from __future__ import annotations

import subprocess
import sys
import time

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.domain.ticket import PriorityReason
from kiosk.services.queue import QueueService
from kiosk.ui.board import CallingBoard
from kiosk.ui.console import CounterConsole
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import KioskScreen
from tests.ui.conftest import accessible_name, interactive_widgets

CALL_3 = ("ticket", "call", "--counter", "3", "--json")


def console(qtbot: QtBot, ctx: UiContext, number: int) -> CounterConsole:
    c = CounterConsole(ctx, number)
    qtbot.addWidget(c)
    c.resize(1200, 800)
    c.show()
    qtbot.waitUntil(lambda: c.state is not None, timeout=3000)
    return c


def board(qtbot: QtBot, ctx: UiContext) -> CallingBoard:
    b = CallingBoard(ctx)
    qtbot.addWidget(b)
    b.resize(1280, 800)
    b.show()
    return b


def settle(ctx: UiContext, qtbot: QtBot) -> None:
    for _ in range(4):
        ctx.ops.wait()
        qtbot.wait(20)


def test_whole_flow_issue_alert_accept_board_complete(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    kiosk = KioskScreen(ctx)
    qtbot.addWidget(kiosk)
    one, two = console(qtbot, ctx, 1), console(qtbot, ctx, 2)
    wall = board(qtbot, ctx)
    ctx.watcher.start()
    assert one.alert_numbers() == [] and wall.number.text() == ""

    kiosk.choose_service("A")
    with qtbot.waitSignals([one.sig_priority_alert, two.sig_priority_alert], timeout=3000):
        kiosk.choose_class(PriorityReason.ELDERLY)
    qtbot.waitUntil(lambda: one.alert_numbers() == ["A-001"] and two.alert_numbers() == ["A-001"], timeout=3000)
    assert "★ 우선 고객 대기: A-001 어르신" in one.alert_labels[queue.queue()[0].id].text()
    assert one.alert_sound.plays == 1  # the alert sound was asked for, with the colour and the text

    with qtbot.waitSignal(wall.sig_announced, timeout=3000) as announced:
        qtbot.mouseClick(next(iter(one.alert_buttons.values())), Qt.MouseButton.LeftButton)
    assert announced.args[0].number == "A-001" and announced.args[0].counter == 1
    assert wall.number.text() == "A-001" and wall.counter.text() == "1번 창구"
    qtbot.waitUntil(lambda: two.alert_numbers() == [], timeout=3000)  # the others' alerts clear
    qtbot.waitUntil(lambda: one.current_number.text() == "A-001", timeout=3000)

    qtbot.mouseClick(one.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "완료 1" in one.today_label.text(), timeout=3000)
    assert queue.counter(1).current is None


def test_call_next_takes_priority_first_and_the_list_marks_it(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("B")
    queue.issue_ticket("C", "disabled")
    c = console(qtbot, ctx, 3)
    c.reload()
    settle(ctx, qtbot)
    first_row = c.waiting_list.item(0).text()
    assert first_row.startswith("★ C-001") and "장애인" in first_row
    qtbot.mouseClick(c.call_button, Qt.MouseButton.LeftButton)
    settle(ctx, qtbot)
    assert c.current_number.text() == "C-001"
    assert c.current_priority.text() == "★ 장애인"
    assert not c.call_button.isEnabled()  # finish this visitor first


def test_no_show_waits_for_the_recalls_and_transfer_moves_the_ticket(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("A")
    c = console(qtbot, ctx, 1)
    c.call_next()
    settle(ctx, qtbot)
    assert not c.no_show_button.isEnabled() and c.no_show_hint.isVisibleTo(c)
    for _ in range(2):
        qtbot.mouseClick(c.recall_button, Qt.MouseButton.LeftButton)
        settle(ctx, qtbot)
    assert c.no_show_button.isEnabled()
    c.transfer_combo.setCurrentIndex(c.transfer_combo.findData("C"))
    qtbot.mouseClick(c.transfer_button, Qt.MouseButton.LeftButton)
    settle(ctx, qtbot)
    assert [(t.number, t.service) for t in queue.queue()] == [("A-001", "C")]
    assert c.current_number.text() == "—"


def test_closed_counter_explains_itself(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    c = console(qtbot, ctx, 4)
    qtbot.mouseClick(c.open_button, Qt.MouseButton.LeftButton)  # close it
    settle(ctx, qtbot)
    assert c.state_label.text() == "닫힘" and not c.call_button.isEnabled()
    c.call_next()  # e.g. a keyboard shortcut racing the refresh
    settle(ctx, qtbot)
    assert "4번 창구가 닫혀 있습니다" in c.status.text()


def test_board_announces_a_call_from_another_process_within_a_second(
    qtbot: QtBot, ctx: UiContext, queue: QueueService, demo_config: Config
) -> None:
    queue.issue_ticket("B")
    wall = board(qtbot, ctx)
    ctx.watcher.start()
    with qtbot.waitSignal(wall.sig_announced, timeout=1000 + 5000) as blocker:
        subprocess.run(
            [sys.executable, "-m", "kiosk", "--data-dir", str(demo_config.data_dir), "--demo", *CALL_3],
            check=True,
            capture_output=True,
        )
        called_at = time.monotonic()
    # the subprocess itself takes a while to start; what matters is the delay after its commit
    qtbot.waitUntil(lambda: wall.number.text() == "B-001", timeout=1000)
    assert time.monotonic() - called_at < 1.0
    assert blocker.args[0].counter == 3 and wall.counter.text() == "3번 창구"


def test_recall_repeats_the_announcement_and_history_keeps_previous_calls(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    a = queue.issue_ticket("A")
    queue.issue_ticket("B")
    wall = board(qtbot, ctx)
    queue.call_next(1)
    queue.call_next(2)
    wall.refresh()
    with qtbot.waitSignal(wall.sig_announced, timeout=1000) as blocker:
        queue.recall(a.id)
        wall.refresh()
    assert blocker.args[0].number == "A-001"
    assert wall.history_labels[0].text() == "B-001  →  2번 창구"
    ctx.set_language("en")
    assert wall.counter.text() == "Counter 1"


def test_console_controls_have_names_assistive_tech_reads(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A", "elderly")
    c = console(qtbot, ctx, 1)
    c.reload()
    settle(ctx, qtbot)
    widgets = interactive_widgets(c)
    assert len(widgets) > 10
    for w in widgets:
        assert accessible_name(w).strip(), w
        assert w.height() >= 48, (accessible_name(w), w.size())
    assert accessible_name(c.call_button) == "다음 번호 호출"
    assert c.call_button.height() >= 120
