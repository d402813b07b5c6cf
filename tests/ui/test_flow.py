"""The whole priority flow on one store: ticket → alert on every free counter → first accept wins →
the board calls the visitor to that counter → completed in today's counts (S2, S6)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from tests.ui.counter_helpers import open_board, open_console


def test_priority_visitor_from_ticket_to_completed(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.set_counter_services(4, ["B"])  # counter 4 does not handle permits: no alert there
    one, two, four = (open_console(qtbot, ctx, n) for n in (1, 2, 4))
    wall = open_board(qtbot, ctx)
    ctx.watcher.start()
    assert one.alert_numbers() == two.alert_numbers() == [] and wall.number.text() == ""

    # The kiosk's use case (the kiosk screen itself is tested on its own).
    with qtbot.waitSignals([one.sig_priority_alert, two.sig_priority_alert], timeout=3000):
        ticket = ctx.queue.issue_ticket("A", "elderly")
    qtbot.waitUntil(lambda: one.alert_numbers() == two.alert_numbers() == ["A-001"], timeout=3000)
    for desk in (one, two):
        assert desk.alert_frame.isVisibleTo(desk)
        assert desk.alert_labels[ticket.id].text() == "★ 우선 고객 대기: A-001 어르신 · 인허가 신청"
        assert desk.alert_sound.plays == 1  # sound, colour and text together
    assert four.alert_numbers() == [] and four.alert_sound.plays == 0

    with qtbot.waitSignal(wall.sig_announced, timeout=3000) as announced:
        qtbot.mouseClick(one.alert_buttons[ticket.id], Qt.MouseButton.LeftButton)
    call = announced.args[0]
    assert (call.number, call.counter, call.priority) == ("A-001", 1, "elderly")
    assert wall.number.text() == "A-001" and wall.counter.text() == "1번 창구"
    assert wall.priority.text() == "★ 우선 · 어르신"
    qtbot.waitUntil(lambda: two.alert_numbers() == [], timeout=3000)  # counter 2 sees it was taken
    qtbot.waitUntil(lambda: one.current_number.text() == "A-001", timeout=3000)
    assert one.current_priority.text() == "★ 어르신" and one.alert_numbers() == []
    assert two.current_number.text() == "—"

    qtbot.mouseClick(one.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "완료 1" in one.today_label.text(), timeout=3000)
    qtbot.waitUntil(lambda: "완료 1" in two.today_label.text(), timeout=3000)
    assert one.today_label.text() == "오늘: 발행 1 · 대기 0 · 완료 1 · 부재/만료 0"
    assert queue.ticket(ticket.id).status == "completed" and queue.counter(1).current is None
    assert one.current_number.text() == "—" and one.call_button.isEnabled()
