"""The seat chart on screen, on the real demo store: search, presence as visitors see it, the
service screen's absence note and wait, keypad and zoom (S1, S3, S4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.accessibility.modes import Mode
from kiosk.services.chart import ChartService
from kiosk.ui.chart_screen import LIST, PLAN, ChartScreen
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_CHART, PAGE_CLASS, PAGE_SERVICES, KioskScreen
from tests.ui.conftest import accessible_name


def _charts(ctx: UiContext) -> ChartService:
    assert ctx.charts is not None
    return ctx.charts


def _screen(qtbot: QtBot, ctx: UiContext) -> ChartScreen:
    screen = ChartScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1080, 1920)
    screen.show()
    return screen


def _row(screen: ChartScreen, desk: str) -> str:
    return next(t for t in screen.list_texts() if t.startswith(desk))


def test_asking_for_a_duty_lights_its_desk_and_says_who_and_where(qtbot: QtBot, ctx: UiContext) -> None:
    screen = _screen(qtbot, ctx)
    ctx.toggle_mode(Mode.VOICE)
    with qtbot.waitSignal(ctx.speaker.sig_started, timeout=15000) as spoken:
        text = screen.search("주차")
    assert "주차 허가" in text and "김서연" in text and "1번 창구" in text and "재석" in text
    assert spoken.args == [text]  # the answer is what voice guidance says
    assert screen.answer.isVisible() and screen.answer.text() == text
    assert screen.answer.textFormat() == Qt.TextFormat.PlainText
    assert screen.plan.highlighted == ["C1"]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in screen.list.selectedItems()] == ["C1"]
    assert "한소영" in screen.search("Han So-young") or screen.plan.highlighted == ["B2"]
    assert screen.plan.highlighted == ["B2"]  # a name finds the person's desk too
    assert "없습니다" in screen.search("<b>로켓 발사</b>")  # typed text comes back as plain text
    assert screen.plan.highlighted == []


def test_an_away_holder_is_shown_with_whom_to_ask_and_a_masked_number(qtbot: QtBot, ctx: UiContext) -> None:
    screen = _screen(qtbot, ctx)
    ctx.watcher.start()
    assert "재석" in _row(screen, "C1")
    back = datetime.now(UTC) + timedelta(hours=2)
    _charts(ctx).set_presence("kim-seoyeon", "away", destination="시청 회의", until=back)
    qtbot.waitUntil(lambda: "자리 비움" in _row(screen, "C1"), timeout=3000)  # the watcher sees the change
    row = _row(screen, "C1")
    local = back.astimezone(ctx.config.tz).strftime("%H:%M")
    assert f"{local} 복귀 예정" in row
    assert "이준호(C2 자리)에게 문의하십시오" in row  # her duties' delegate, who is in
    assert "02-****-2101" in row and "3150" not in row  # visitors never see the whole number
    assert screen.plan.desks["C1"].facts.presence_short.startswith("자리 비움")

    _charts(ctx).set_presence("kim-seoyeon", "present")
    qtbot.waitUntil(lambda: "자리 비움" not in _row(screen, "C1"), timeout=3000)


def test_every_fact_on_the_plan_is_also_in_the_list(qtbot: QtBot, ctx: UiContext) -> None:
    screen = _screen(qtbot, ctx)
    _charts(ctx).set_presence("choi-yuna", "meeting", destination="3층", until=datetime.now(UTC) + timedelta(hours=1))
    screen.refresh()
    assert len(screen.list_texts()) == len(screen.plan.desks) == 8
    for desk_id, item in screen.plan.desks.items():
        row = _row(screen, desk_id)
        for fact in item.facts.lines():
            assert fact in row, (desk_id, fact)
    ctx.set_language("en")
    assert "Choi Yu-na" in _row(screen, "C4") and "In a meeting" in _row(screen, "C4")
    assert accessible_name(screen.list).startswith("Hanbit Facilities Corporation Service Center")


def test_the_plan_zooms_and_pans_by_touch_buttons_and_keypad(qtbot: QtBot, ctx: UiContext) -> None:
    screen = _screen(qtbot, ctx)
    fitted = screen.plan.cell_px
    screen.zoom_in.click()
    assert screen.plan.cell_px > fitted
    assert screen.handle_key(Qt.Key.Key_Plus)
    bigger = screen.plan.cell_px
    before = screen.plan.horizontalScrollBar().value()
    assert screen.handle_key(Qt.Key.Key_Right)
    assert screen.plan.horizontalScrollBar().value() > before  # zoomed in, the arrows move the plan
    screen.zoom_fit.click()
    assert screen.plan.cell_px == fitted < bigger
    screen.list_button.click()
    assert screen.view == LIST and not screen.zoom_in.isVisible()
    screen.plan_button.click()
    assert screen.view == PLAN


def test_the_kiosk_s_service_screen_says_who_stands_in(qtbot: QtBot, ctx: UiContext) -> None:
    kiosk = KioskScreen(ctx)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    _charts(ctx).set_presence("park-jimin", "away", destination="본사", until=datetime.now(UTC) + timedelta(hours=1))
    kiosk.refresh_services()
    name = accessible_name(kiosk.service_buttons["B"])
    assert "요금 납부 — 박지민: 자리 비움" in name
    assert "최유나 직원이 4번 창구에서 처리합니다" in name  # payments' delegate sits at counter 4
    kiosk.choose_service("B")
    assert kiosk.page == PAGE_CLASS and kiosk.absence.isVisible()
    assert "최유나" in kiosk.absence.text() and "최유나" in kiosk.page_announcement()


def test_a_service_nobody_can_take_shows_the_wait_until_the_return(qtbot: QtBot, ctx: UiContext) -> None:
    for number, services in ((1, ["A"]), (2, ["A"]), (3, ["B"]), (4, ["C"])):
        ctx.queue.set_counter_services(number, services)
    kiosk = KioskScreen(ctx)
    qtbot.addWidget(kiosk)
    kiosk.show()
    back = datetime.now(UTC) + timedelta(minutes=80)
    _charts(ctx).set_presence("choi-yuna", "meeting", destination="3층 회의실", until=back)
    kiosk.refresh_services()
    label = kiosk.service_buttons["C"].text().replace("\n", " ")
    local = back.astimezone(ctx.config.tz).strftime("%H:%M")
    assert f"{local} 담당자가 돌아온 뒤 호출됩니다" in label
    c = next(s for s in ctx.queue.services() if s.code == "C")
    assert c.wait_min >= 79 and f"{c.wait_min}~{c.wait_max}분" in label


def test_the_keypad_reaches_the_chart_and_asks_a_duty(qtbot: QtBot, ctx: UiContext) -> None:
    kiosk = KioskScreen(ctx)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.keyClick(kiosk, Qt.Key.Key_4)  # three services, then the seat chart
    assert kiosk.page == PAGE_CHART
    assert "1번, 시설 사용 허가" in kiosk.last_announcement
    qtbot.keyClick(kiosk, Qt.Key.Key_5)
    assert kiosk.chart.plan.highlighted == ["C3"]  # 5: refunds, at Park's desk
    assert "환불" in kiosk.chart.answer.text()
    qtbot.keyClick(kiosk, Qt.Key.Key_0)
    assert kiosk.page == PAGE_SERVICES
