"""The counter console's seat chart and presence (S3, S4) on the real demo store: what staff notice.

Counter 1's desk (C1) is Kim Seo-yeon's: she handles permits and parking (service A), Lee Jun-ho
stands in for her. The test clock starts on Wednesday 25 November 2026, 10:00 in Seoul.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.domain.presence import PresenceState
from kiosk.services.chart import ChartService
from kiosk.services.queue import QueueService
from kiosk.ui.console import CounterConsole
from kiosk.ui.context import UiContext
from tests.conftest import Clock
from tests.ui.counter_helpers import interactive, open_console, settle, spoken_name


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def charts(app: App) -> ChartService:
    assert app.charts is not None
    return app.charts


def console(qtbot: QtBot, ctx: UiContext, clock: Clock, number: int = 1) -> CounterConsole:
    c = open_console(qtbot, ctx, number)
    c.clock = clock  # the store's clock: "in 30 minutes" is 30 minutes after the store's now
    c.reload()
    settle(ctx, qtbot)
    return c


def absences(queue: QueueService, service: str) -> list[tuple[str, str, str]]:
    """What the kiosk tells visitors about a service's absent people: (duty, holder, state)."""
    found = next(s for s in queue.services() if s.code == service)
    return [(a.duty, a.holder_ko, a.state) for a in found.absent]


def test_two_taps_set_away_with_a_return_time_and_visitors_are_told(
    qtbot: QtBot, ctx: UiContext, app: App, queue: QueueService, clock: Clock
) -> None:
    c = console(qtbot, ctx, clock)
    panel = c.presence_panel
    assert panel.isVisibleTo(c)
    assert panel.heading.text() == "김서연 주무관 · C1 좌석"
    assert spoken_name(panel.heading) == "내 재석 상태: 김서연 주무관 · C1 좌석"
    assert panel.now_label.text() == "재석"
    assert panel.state_buttons[PresenceState.PRESENT].isChecked()

    click(qtbot, panel.state_buttons[PresenceState.AWAY])  # tap 1
    assert panel.step2.isVisibleTo(c)
    assert panel.prompt.text() == "자리 비움: 복귀 예정 시각을 고르십시오"
    assert panel.destination.text() == "외근" and panel.contact.text() == "02-3150-2101"  # prefilled
    assert panel.preset_texts() == ["30분 후 10:30", "1시간 후 11:00", "2시간 후 12:00", "퇴근 시각 18:00"]
    assert spoken_name(panel.preset_buttons[0]) == "자리 비움, 10:30 복귀 예정으로 저장"
    assert charts(app).state().presence_of("kim-seoyeon").state == PresenceState.PRESENT  # nothing stored yet

    click(qtbot, panel.preset_buttons[0])  # tap 2
    qtbot.waitUntil(lambda: panel.now_label.text().startswith("자리 비움"), timeout=3000)
    # Staff see it in full: where, the whole number, the return time in Seoul time.
    assert panel.now_label.text() == "자리 비움 · 외근 · 연락처 02-3150-2101 · 10:30 복귀 예정"
    assert not panel.step2.isVisibleTo(c) and panel.state_buttons[PresenceState.AWAY].isChecked()
    stored = charts(app).state().presence_of("kim-seoyeon")
    assert (stored.state, stored.destination, stored.contact) == (PresenceState.AWAY, "외근", "02-3150-2101")
    assert stored.until == clock.now + timedelta(minutes=30)
    # The visitor side: permits and parking (service A) are handled by Lee Jun-ho meanwhile.
    assert absences(queue, "A") == [("permits", "김서연", "away"), ("parking", "김서연", "away")]
    assert next(s for s in queue.services() if s.code == "A").absent[0].delegate_ko == "이준호"

    click(qtbot, panel.state_buttons[PresenceState.PRESENT])  # back: one tap
    qtbot.waitUntil(lambda: panel.now_label.text() == "재석", timeout=3000)
    assert charts(app).state().presence_of("kim-seoyeon").in_office
    assert absences(queue, "A") == []


def test_meeting_prefills_the_meeting_room_and_leave_picks_the_first_day_back(
    qtbot: QtBot, ctx: UiContext, app: App, clock: Clock
) -> None:
    c = console(qtbot, ctx, clock)
    panel = c.presence_panel
    click(qtbot, panel.state_buttons[PresenceState.MEETING])
    assert panel.destination.text() == "회의실"
    panel.destination.setText("3층 대회의실")  # editable, typed by staff
    click(qtbot, panel.preset_buttons[1])
    qtbot.waitUntil(lambda: panel.now_label.text().startswith("회의"), timeout=3000)
    assert panel.now_label.text() == "회의 · 3층 대회의실 · 연락처 02-3150-2101 · 11:00 복귀 예정"

    click(qtbot, panel.state_buttons[PresenceState.MEETING])  # the last destination comes back
    assert panel.destination.text() == "3층 대회의실"
    click(qtbot, panel.cancel_button)
    assert not panel.step2.isVisibleTo(c) and panel.state_buttons[PresenceState.MEETING].isChecked()

    click(qtbot, panel.state_buttons[PresenceState.LEAVE])
    assert panel.prompt.text() == "휴가: 복귀일을 고르십시오"
    # Working days from Wednesday: Thursday, Friday, Monday, and a week on.
    assert panel.preset_texts() == ["11.26(목)", "11.27(금)", "11.30(월)", "12.2(수)"]
    assert panel.contact.text() == ""  # not reached at the desk while on leave
    click(qtbot, panel.preset_buttons[2])
    qtbot.waitUntil(lambda: panel.now_label.text().startswith("휴가"), timeout=3000)
    assert panel.now_label.text() == "휴가 · 11.30(월) 09:00 복귀 예정"
    stored = charts(app).state().presence_of("kim-seoyeon")
    assert stored.state == PresenceState.LEAVE and stored.until == clock.now + timedelta(days=5, hours=-1)

    ctx.set_language("en")
    assert panel.now_label.text() == "On leave · back Mon 11/30 09:00"
    assert panel.state_buttons[PresenceState.LEAVE].text() == "Leave"


def test_an_invalid_phone_number_is_refused_in_the_staffs_language_and_nothing_is_lost(
    qtbot: QtBot, ctx: UiContext, app: App, clock: Clock
) -> None:
    c = console(qtbot, ctx, clock)
    panel = c.presence_panel
    click(qtbot, panel.state_buttons[PresenceState.AWAY])
    panel.destination.setText("시청 도로과")
    panel.contact.setText("내선 없음")
    click(qtbot, panel.preset_buttons[3])
    qtbot.waitUntil(lambda: panel.error.isVisibleTo(c), timeout=3000)
    assert panel.error.text() == "입력값이 올바르지 않습니다: 연락처 (숫자, 띄어쓰기, 하이픈)"
    # Still on the second tap, with what was typed.
    assert panel.step2.isVisibleTo(c)
    assert (panel.destination.text(), panel.contact.text()) == ("시청 도로과", "내선 없음")
    assert charts(app).state().presence_of("kim-seoyeon").state == PresenceState.PRESENT

    panel.contact.setText("010-4821-3307")
    click(qtbot, panel.preset_buttons[3])
    qtbot.waitUntil(lambda: panel.now_label.text().startswith("자리 비움"), timeout=3000)
    assert not panel.error.isVisibleTo(c)
    assert panel.now_label.text() == "자리 비움 · 시청 도로과 · 연락처 010-4821-3307 · 18:00 복귀 예정"


def test_a_counter_without_a_seated_person_says_so(qtbot: QtBot, ctx: UiContext, app: App, clock: Clock) -> None:
    charts(app).assign_desk("C4", None)
    c = console(qtbot, ctx, clock, 4)
    panel = c.presence_panel
    assert panel.now_label.text() == "이 창구 좌석에 배정된 직원이 없습니다. 좌석 배치도에서 배정하십시오."
    assert not any(b.isVisibleTo(c) for b in panel.state_buttons.values())


def test_the_seat_chart_page_answers_where_is_lee_in_full(qtbot: QtBot, ctx: UiContext, app: App, clock: Clock) -> None:
    service = charts(app)
    service.set_presence(
        "lee-junho", "away", destination="도로 현장 점검", contact="010-4821-9921", until=clock.now + timedelta(hours=1)
    )
    c = console(qtbot, ctx, clock)
    assert not c.seats.isVisibleTo(c)
    assert c.chart_button.text() == "좌석 배치도"
    click(qtbot, c.chart_button)
    assert c.seats.isVisibleTo(c) and not c.call_button.isVisibleTo(c)
    assert c.chart_button.text() == "창구 화면으로"

    rows = c.seats.rows()
    assert len(rows) == 8  # 7 people and the free desk
    assert rows[1] == (
        "이준호 주무관 · 민원팀",
        "C2 (2번 창구)",
        "도로 점용",
        "자리 비움 · 도로 현장 점검 · 연락처 010-4821-9921 · 11:00 복귀 예정",
    )
    assert rows[0] == ("김서연 주무관 · 민원팀", "C1 (1번 창구)", "시설 사용 허가, 주차 허가", "재석")
    assert rows[-1][:2] == ("(빈 좌석)", "B3")
    assert c.seats.summary.text() == "직원 7명 · 자리에 없는 직원 1명 · 빈 좌석 1개"

    c.seats.search.setText("이준")
    assert [r[0] for r in c.seats.rows()] == ["이준호 주무관 · 민원팀"]
    c.seats.search.setText("lee")  # the English name too
    assert [r[0] for r in c.seats.rows()] == ["이준호 주무관 · 민원팀"]
    c.seats.search.setText("")

    # A change made elsewhere (another counter, the CLI) shows up by itself, as the app polls.
    ctx.watcher.start()
    service.set_presence("lee-junho", "present")
    qtbot.waitUntil(lambda: c.seats.rows()[1][3] == "재석", timeout=3000)

    click(qtbot, c.chart_button)  # back to calling visitors
    assert c.call_button.isVisibleTo(c) and not c.seats.isVisibleTo(c)


def test_seating_and_duty_edits_show_in_the_list_and_in_the_chart(
    qtbot: QtBot, ctx: UiContext, app: App, clock: Clock
) -> None:
    service = charts(app)
    c = console(qtbot, ctx, clock)
    c.show_seat_chart(True)
    seats = c.seats
    seats.select_desk("B3")
    assert seats.desk_combo.currentText() == "B3 · (빈 좌석)"
    assert seats.ticked_duties() == []

    seats.choose_person("han-soyoung")
    click(qtbot, seats.assign_button)
    qtbot.waitUntil(lambda: seats.message.isVisibleTo(c), timeout=3000)
    assert seats.message.text() == "B3 좌석에 한소영 주무관 직원을 배정했습니다."
    chart = service.chart()
    assert chart is not None and chart.desk("B3").staff == "han-soyoung" and chart.desk("B2").staff is None
    qtbot.waitUntil(lambda: ("한소영 주무관 · 민원지원팀", "B3") in [r[:2] for r in seats.rows()], timeout=3000)
    assert ("(빈 좌석)", "B2") in [r[:2] for r in seats.rows()]

    seats.tick_duties(["records", "facility-rental"])
    click(qtbot, seats.duties_button)
    qtbot.waitUntil(lambda: seats.message.text() == "B3 좌석의 담당 업무를 저장했습니다.", timeout=3000)
    chart = service.chart()
    assert chart is not None and chart.desk("B3").duties == ("facility-rental", "records")
    qtbot.waitUntil(
        lambda: ("한소영 주무관 · 민원지원팀", "B3", "시설 대관, 민원 서류 발급") in [r[:3] for r in seats.rows()],
        timeout=3000,
    )


def test_a_refused_edit_says_why_and_changes_nothing(qtbot: QtBot, ctx: UiContext, app: App, clock: Clock) -> None:
    service = charts(app)
    before = service.chart()
    c = console(qtbot, ctx, clock)
    c.show_seat_chart(True)
    seats = c.seats

    # Jung Min-su stands in for "records": he cannot also be the one in charge of it.
    seats.select_desk("B1")
    seats.tick_duties(["facility-rental", "records"])
    click(qtbot, seats.duties_button)
    qtbot.waitUntil(lambda: seats.message.isVisibleTo(c), timeout=3000)
    assert seats.message.text() == (
        "좌석 배치도가 맞지 않게 됩니다: 업무 'records': 대리 처리자가 담당자 본인입니다. 다른 직원을 지정하십시오"
    )
    assert seats.message.objectName() == "error"
    assert service.chart() == before
    assert seats.ticked_duties() == ["facility-rental", "records"]  # the ticks stay, to fix and save again

    # Seating Lee Jun-ho at Kim Seo-yeon's counter would make him his own stand-in for permits.
    seats.select_desk("C1")
    seats.choose_person("lee-junho")
    click(qtbot, seats.assign_button)
    qtbot.waitUntil(lambda: "'permits'" in seats.message.text(), timeout=3000)
    assert seats.message.text().endswith("업무 'permits': 대리 처리자가 담당자 본인입니다. 다른 직원을 지정하십시오")
    assert service.chart() == before
    assert seats.person_combo.currentData() == "lee-junho"
    ctx.set_language("en")
    assert not seats.message.isVisibleTo(c)  # the old message was in the other language
    click(qtbot, seats.assign_button)
    qtbot.waitUntil(lambda: seats.message.isVisibleTo(c), timeout=3000)
    assert seats.message.text() == (
        "The seat chart would not be consistent: duty 'permits': the delegate is the person in charge; name a colleague"
    )
    assert service.chart() == before


def test_without_a_chart_service_there_are_no_chart_panels(qtbot: QtBot, ctx: UiContext, clock: Clock) -> None:
    ctx.charts = None
    ctx.feedback = None  # a console with neither the seat chart nor the voice box
    c = console(qtbot, ctx, clock)
    assert not c.presence_panel.isVisibleTo(c) and not c.chart_button.isVisibleTo(c)
    assert c.state is not None and c.state.chart is None
    assert [name for name, _ in c.audit_states()] == ["waiting", "serving", "sync"]


def test_every_new_control_has_a_spoken_name_and_a_staff_sized_target(
    qtbot: QtBot, ctx: UiContext, clock: Clock
) -> None:
    c = console(qtbot, ctx, clock)
    for lang in ("ko", "en"):
        ctx.set_language(lang)
        for page in ("away", "leave", "chart"):
            if page == "chart":
                c.presence_panel.cancel()
                c.show_seat_chart(True)
            else:
                c.show_seat_chart(False)
                c.presence_panel.choose(PresenceState.AWAY if page == "away" else PresenceState.LEAVE)
            qtbot.wait(10)
            widgets = interactive(c.seats if page == "chart" else c.presence_panel)
            assert len(widgets) >= 4
            for w in widgets:
                assert spoken_name(w).strip(), (lang, page, w)
                assert w.height() >= 48, (lang, page, spoken_name(w), w.size())
            edits = [c.presence_panel.destination, c.presence_panel.contact, c.seats.search]
            assert all(spoken_name(e).strip() for e in edits)
