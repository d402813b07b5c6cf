"""The counter console on the real store: what staff see and what each tap does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from tests.conftest import Clock
from tests.ui.counter_helpers import interactive, open_console, settle, spoken_name


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_call_next_takes_the_priority_visitor_before_earlier_ordinary_ones(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("C")
    queue.issue_ticket("C", "disabled")
    c = open_console(qtbot, ctx, 3)
    assert [r[:2] for r in c.waiting_rows() if r[0].startswith("C")] == [("C-002", "★ 장애인"), ("C-001", "일반")]

    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "C-002", timeout=3000)
    assert c.current_priority.text() == "★ 장애인" and c.current_priority.isVisibleTo(c)
    assert "일반 상담" in c.current_detail.text() and "호출됨" in c.current_detail.text()
    assert c.status.text() == "C-002번을 호출했습니다"
    # One visitor at a time: the big button now finishes C-002 and calls the next in one tap.
    assert c.call_button.text() == "완료 후 다음 호출"
    assert spoken_name(c.call_button) == "지금 고객 완료하고 다음 번호 호출"

    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "C-001", timeout=3000)
    assert queue.ticket("C-002").status == "completed"
    click(qtbot, c.call_button)  # nobody left: C-001 is finished, the button is "call next" again
    qtbot.waitUntil(lambda: c.current_number.text() == "—", timeout=3000)
    assert queue.ticket("C-001").status == "completed"
    assert c.call_button.text() == "다음 번호 호출" and c.status.text() == "대기 중인 고객이 없습니다"


def test_waiting_list_is_grouped_by_service_with_minutes_waited(
    qtbot: QtBot, ctx: UiContext, queue: QueueService, clock: Clock
) -> None:
    queue.issue_ticket("B")
    clock.advance(minutes=7)
    queue.issue_ticket("A", "elderly")
    queue.set_counter_services(2, ["B"])
    c = open_console(qtbot, ctx, 2)
    c.clock = clock
    c.reload()
    settle(ctx, qtbot)
    groups = c.waiting_groups()
    assert groups[0] == "B 요금 납부 · 대기 인원 1명"  # this counter's duty first
    assert "A 인허가 신청 · 대기 인원 1명 (담당 아님)" in groups
    assert ("B-001", "일반", "7분") in c.waiting_rows()
    assert ("A-001", "★ 어르신", "0분") in c.waiting_rows()
    assert c.waiting_heading.text() == "대기 목록 (2)"


def test_no_show_stays_disabled_until_the_recalls_are_done_and_says_why(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("A")
    c = open_console(qtbot, ctx, 1)
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "A-001", timeout=3000)
    assert not c.no_show_button.isEnabled()
    assert c.no_show_hint.isVisibleTo(c) and c.no_show_hint.text() == "재호출 2회 후 부재 처리할 수 있습니다"

    click(qtbot, c.recall_button)
    qtbot.waitUntil(lambda: "재호출 1회" in c.current_detail.text(), timeout=3000)
    assert not c.no_show_button.isEnabled()
    click(qtbot, c.recall_button)
    qtbot.waitUntil(lambda: "재호출 2회" in c.current_detail.text(), timeout=3000)
    assert c.no_show_button.isEnabled() and not c.no_show_hint.isVisibleTo(c)

    click(qtbot, c.no_show_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "—", timeout=3000)
    assert queue.ticket("A-001").status == "waiting" and queue.ticket("A-001").no_show_count == 1


def test_transfer_moves_the_ticket_to_the_chosen_service(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A")
    c = open_console(qtbot, ctx, 1)
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "A-001", timeout=3000)
    codes = [c.transfer_combo.itemData(i) for i in range(c.transfer_combo.count())]
    assert codes == ["B", "C"]  # not the ticket's own service
    c.transfer_combo.setCurrentIndex(codes.index("C"))
    click(qtbot, c.transfer_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "—", timeout=3000)
    assert [(t.number, t.service) for t in queue.queue()] == [("A-001", "C")]
    assert [r[:2] for r in c.waiting_rows()] == [("A-001", "일반")]
    assert c.waiting_groups()[2] == "C 일반 상담 · 대기 인원 1명"


def test_start_complete_hold_and_resume(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("B")
    queue.issue_ticket("B")
    c = open_console(qtbot, ctx, 1)
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "B-001", timeout=3000)
    click(qtbot, c.start_button)
    qtbot.waitUntil(lambda: "상담 중" in c.current_detail.text(), timeout=3000)
    assert not c.recall_button.isEnabled()  # nobody to call once serving
    click(qtbot, c.hold_button)
    qtbot.waitUntil(lambda: c.held_list.count() == 1, timeout=3000)
    assert c.held_list.item(0).text().startswith("B-001") and c.resume_button.isVisibleTo(c)
    assert c.current_number.text() == "—" and c.call_button.isEnabled()

    click(qtbot, c.resume_button)
    qtbot.waitUntil(lambda: not c.held_list.isVisibleTo(c), timeout=3000)
    assert "B-001" in [t.number for t in queue.queue()]

    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() != "—", timeout=3000)
    click(qtbot, c.complete_button)
    qtbot.waitUntil(lambda: "완료 1" in c.today_label.text(), timeout=3000)


def test_a_closed_counter_says_so_when_asked_to_call(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A")
    c = open_console(qtbot, ctx, 4)
    click(qtbot, c.open_button)  # 창구 닫기
    qtbot.waitUntil(lambda: c.state_label.text() == "닫힘", timeout=3000)
    assert not queue.counter(4).is_open
    assert not c.call_button.isEnabled() and c.open_button.text() == "창구 열기"
    c.call_next()  # e.g. a keyboard shortcut racing the refresh
    qtbot.waitUntil(lambda: bool(c.status.text()), timeout=3000)
    assert c.status.text() == "4번 창구가 닫혀 있습니다. 창구를 먼저 여십시오."


def test_service_checkboxes_choose_the_duties_and_open_uses_them(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    c = open_console(qtbot, ctx, 2)
    c.service_checks["C"].click()  # while open: takes effect at once
    qtbot.waitUntil(lambda: queue.counter(2).services == ["A", "B"], timeout=3000)
    click(qtbot, c.open_button)
    qtbot.waitUntil(lambda: not queue.counter(2).is_open, timeout=3000)
    settle(ctx, qtbot)
    c.service_checks["A"].click()
    settle(ctx, qtbot)
    click(qtbot, c.open_button)
    qtbot.waitUntil(lambda: queue.counter(2).is_open, timeout=3000)
    assert queue.counter(2).services == ["B"]
    settle(ctx, qtbot)
    assert [code for code, box in c.service_checks.items() if box.isChecked()] == ["B"]


def test_counter_selector_lists_staff_and_switches_counter(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    c = open_console(qtbot, ctx, 1)
    combo = c.counter_combo
    assert [combo.itemText(i) for i in range(combo.count())][:2] == [
        "1번 창구 · 김서연 주무관",
        "2번 창구 · 이준호 주무관",
    ]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    qtbot.waitUntil(lambda: c.state is not None and c.state.counter.number == 3, timeout=3000)
    queue.issue_ticket("A")
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "A-001", timeout=3000)
    assert queue.counter(3).current is not None and queue.counter(1).current is None


def test_priority_alert_is_colour_text_and_sound_and_accept_loses_the_race_clearly(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    c = open_console(qtbot, ctx, 1)
    assert not c.alert_frame.isVisibleTo(c)
    with qtbot.waitSignal(c.sig_priority_alert, timeout=3000) as alerted:
        ticket = queue.issue_ticket("A", "elderly")
        c.reload()
    assert alerted.args == [[ticket.id]]
    assert c.alert_frame.isVisibleTo(c) and c.alert_numbers() == ["A-001"]
    assert c.alert_labels[ticket.id].text() == "★ 우선 고객 대기: A-001 어르신 · 인허가 신청"
    assert c.alert_sound.plays == 1
    assert spoken_name(c.alert_buttons[ticket.id]) == "우선 고객 A-001, 어르신, 인허가 신청. 수락하려면 누르십시오"

    queue.accept_priority(ticket.id, 2)  # counter 2 was quicker; this console has not refreshed yet
    click(qtbot, c.alert_buttons[ticket.id])
    qtbot.waitUntil(lambda: bool(c.status.text()), timeout=3000)
    assert c.status.text() == "A-001번 고객은 이미 2번 창구에서 맡았습니다."
    qtbot.waitUntil(lambda: c.alert_numbers() == [], timeout=3000)  # the stale alert clears
    assert queue.counter(1).current is None


def test_alert_accept_waits_for_the_current_visitor(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("B")
    c = open_console(qtbot, ctx, 1)
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "B-001", timeout=3000)
    ticket = queue.issue_ticket("A", "pregnant")
    c.reload()
    qtbot.waitUntil(lambda: c.alert_numbers() == ["A-001"], timeout=3000)
    assert not c.alert_buttons[ticket.id].isEnabled()
    assert c.alert_hint.isVisibleTo(c) and c.alert_hint.text() == "현재 고객의 업무를 마치시면 수락하실 수 있습니다"


def test_a_new_ordinary_ticket_rings_and_shows_a_banner(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A")  # already there when the console opens: no ding
    c = open_console(qtbot, ctx, 1)
    assert c.arrival_sound.plays == 0 and not c.arrival_label.isVisibleTo(c)
    with qtbot.waitSignal(c.sig_new_visitor, timeout=3000) as arrived:
        queue.issue_ticket("B")
        c.reload()
    assert arrived.args == [["B-001"]]
    assert c.arrival_label.isVisibleTo(c) and c.arrival_label.text() == "새 번호표: B-001 요금 납부"
    assert c.arrival_sound.plays == 1
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() == "A-001", timeout=3000)
    assert not c.arrival_label.isVisibleTo(c)  # calling someone acknowledges the banner


def test_every_control_has_a_spoken_name_and_a_staff_sized_target(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    queue.issue_ticket("A")
    queue.issue_ticket("B", "elderly")
    held = queue.issue_ticket("C")
    queue.call_next(4)
    queue.hold(held.id)
    c = open_console(qtbot, ctx, 1)
    click(qtbot, c.call_button)
    qtbot.waitUntil(lambda: c.current_number.text() != "—" and c.held_list.count() == 1, timeout=3000)
    for lang in ("ko", "en"):
        ctx.set_language(lang)
        widgets = interactive(c)
        assert len(widgets) >= 15
        for w in widgets:
            assert spoken_name(w).strip(), (lang, w)
            assert w.height() >= 48, (spoken_name(w), w.size())
        buttons = [w for w in widgets if w is not c.call_button and w.metaObject().className() == "TouchButton"]
        assert all(c.call_button.height() > 2 * b.height() for b in buttons)
        assert c.call_button.width() * c.call_button.height() > max(b.width() * b.height() for b in buttons)
    assert spoken_name(c.call_button) == "Complete the current visitor and call the next ticket"  # one is at the desk
    assert c.today_label.text().startswith("Today:")
