"""Accessibility modes on the real kiosk screen and store: what a visitor who needs them gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.accessibility.modes import Mode, Modes
from kiosk.accessibility.sizes import LOW_SCREEN_MAX_MM, LOW_SCREEN_MIN_MM
from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.audit import accessible_name
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_CLASS, PAGE_SERVICES, PAGE_TICKET, KioskScreen
from kiosk.ui.theme import HIGH_CONTRAST, glyph_height
from kiosk.ui.voice import Speaker
from kiosk.ui.widgets import TouchButton


@pytest.fixture
def ctx(qapp: object, queue: QueueService, demo_config: Config) -> Iterator[UiContext]:
    context = UiContext(queue, demo_config)
    yield context
    context.ops.wait()


def screen_for(qtbot: QtBot, ctx: UiContext) -> KioskScreen:
    screen = KioskScreen(ctx, tick_ms=50)
    qtbot.addWidget(screen)
    screen.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
    screen.show()
    qtbot.wait(20)
    return screen


def settle(qtbot: QtBot, ctx: UiContext) -> None:
    for _ in range(3):
        ctx.ops.wait()
        qtbot.wait(30)


def visible_buttons(screen: KioskScreen) -> list[TouchButton]:
    return [b for b in screen.findChildren(TouchButton) if b.isVisibleTo(screen)]


def test_the_accessibility_button_on_every_page_opens_the_four_modes(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    for page in (lambda: None, lambda: screen.choose_service("A")):
        page()
        assert screen.access_button.isVisibleTo(screen)
        assert not any(b.isVisibleTo(screen) for b in screen.mode_buttons.values())
    qtbot.mouseClick(screen.access_button, Qt.MouseButton.LeftButton)
    assert all(b.isVisibleTo(screen) for b in screen.mode_buttons.values())
    assert accessible_name(screen.access_button) == "편의 기능: 글자 크게, 고대비, 음성 안내, 낮은 화면"
    qtbot.mouseClick(screen.mode_buttons[Mode.HIGH_CONTRAST], Qt.MouseButton.LeftButton)
    assert Mode.HIGH_CONTRAST in ctx.modes
    assert screen.mode_buttons[Mode.HIGH_CONTRAST].isChecked()
    assert HIGH_CONTRAST.bg in screen.styleSheet()  # black background, yellow controls
    assert screen.panel_open  # modes combine: the panel stays open
    qtbot.mouseClick(screen.mode_buttons[Mode.HIGH_CONTRAST], Qt.MouseButton.LeftButton)
    assert HIGH_CONTRAST.bg not in screen.styleSheet()
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    assert not screen.panel_open and screen.stack.isVisibleTo(screen)
    # The keypad: # opens the panel, 1-4 switch the modes, 0 closes it.
    qtbot.keyClick(screen, Qt.Key.Key_NumberSign)
    assert screen.panel_open
    qtbot.keyClick(screen, Qt.Key.Key_4)
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert Mode.LOW_SCREEN in ctx.modes and Mode.LARGE_TEXT in ctx.modes
    assert "지금 켜진 기능은" in screen.last_announcement and "낮은 화면" in screen.last_announcement
    qtbot.keyClick(screen, Qt.Key.Key_0)
    assert not screen.panel_open and screen.page == PAGE_CLASS  # 0 closed the panel, not the page


def test_large_text_doubles_everything_and_clips_nothing(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    normal_font = screen.service_buttons["A"].font().pixelSize()
    normal_icon = screen.service_buttons["A"].iconSize().width()
    ctx.set_modes(Modes.parse("large-text"))
    for page in (screen.show_services, lambda: screen.choose_service("A")):
        page()
        settle(qtbot, ctx)
        for button in visible_buttons(screen):
            hint = button.sizeHint()
            assert button.height() >= hint.height(), (button.accessibleName(), button.size(), hint)
    screen.show_services()
    settle(qtbot, ctx)
    assert screen.service_buttons["A"].font().pixelSize() == 2 * normal_font
    assert screen.service_buttons["A"].iconSize().width() == 2 * normal_icon


def test_standard_text_meets_the_12_mm_minimum_on_the_configured_screen(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    geometry = ctx.config.screen
    smallest = min(glyph_height(w.font()) for w in screen.findChildren(QLabel) if w.isVisibleTo(screen) and w.text())
    assert geometry.mm(smallest) >= 12.0
    assert geometry.mm(glyph_height(screen.home_button.font())) >= 12.0
    assert geometry.mm(smallest) < 13.5  # the minimum, not far beyond it: room is precious


def test_low_screen_puts_every_control_within_wheelchair_reach(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    ctx.set_modes(Modes.parse("low-screen"))
    geometry = ctx.config.screen
    for page in (screen.show_services, lambda: screen.choose_service("B"), lambda: screen.toggle_panel(True)):
        page()
        settle(qtbot, ctx)
        for button in visible_buttons(screen):
            top = button.mapTo(screen, button.rect().topLeft()).y() / screen.height() * geometry.height_px
            bottom = button.mapTo(screen, button.rect().bottomLeft()).y() / screen.height() * geometry.height_px
            assert geometry.height_above_floor_mm(top) <= LOW_SCREEN_MAX_MM + 1, button.accessibleName()
            assert geometry.height_above_floor_mm(bottom) >= LOW_SCREEN_MIN_MM, button.accessibleName()


def test_modes_double_the_time_and_reset_for_the_next_visitor(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    screen.idle_seconds, screen.idle_warning_seconds = 0.6, 0.3
    ctx.set_modes(Modes.parse("high-contrast"))
    screen.choose_service("A")
    assert screen.remaining_seconds() > 0.9  # doubled: 1.2 s
    qtbot.waitUntil(lambda: screen.page == PAGE_SERVICES, timeout=3000)
    assert ctx.modes == ctx.config.modes  # the next visitor starts from the facility's defaults


def test_a_blind_visitor_takes_a_priority_ticket_with_the_keypad_alone(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    screen = screen_for(qtbot, ctx)
    speaker = ctx.speaker
    assert speaker.wait_ready()
    qtbot.keyClick(screen, Qt.Key.Key_Asterisk)  # any keypad key turns voice guidance on
    assert Mode.VOICE in ctx.modes
    assert "번호표 발급 화면입니다" in speaker.spoken[-1]
    assert "1번, 인허가 신청" in speaker.spoken[-1]
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert screen.page == PAGE_CLASS
    assert speaker.spoken[-1].startswith("인허가 신청. 일반 번호표는 1번입니다.")
    qtbot.keyClick(screen, Qt.Key.Key_Asterisk)  # repeat
    assert speaker.spoken[-1] == speaker.spoken[-2]
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=5000):
        qtbot.keyClick(screen, Qt.Key.Key_3)  # 3 = elderly
    assert screen.page == PAGE_TICKET
    assert queue.queue("A")[0].priority == "elderly"
    said = speaker.spoken[-1]
    assert said.startswith("번호표 A-001번이 발급되었습니다.") and "어르신" in said and "예상 대기 시간" in said
    qtbot.waitUntil(lambda: bool(speaker.first_audio_ms), timeout=5000)  # real speech was rendered


def test_arrow_keys_move_focus_and_each_control_is_spoken(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    ctx.set_modes(Modes.parse("voice"))
    screen.show_services()
    spoken = ctx.speaker.spoken
    qtbot.keyClick(screen, Qt.Key.Key_Down)
    qtbot.keyClick(screen, Qt.Key.Key_Down)
    assert spoken[-1].endswith("버튼") or "버튼" in spoken[-1]
    focused = screen.focusWidget()
    assert focused is not None and focused.accessibleName() in spoken[-1]
    qtbot.keyClick(screen, Qt.Key.Key_Return)  # Enter activates the focused control
    qtbot.wait(20)
    assert screen.page in (PAGE_SERVICES, PAGE_CLASS)


def test_missing_speech_engine_shows_a_notice_and_everything_still_works(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    ctx._speaker = Speaker(ctx, program="no-such-speech-engine")
    qtbot.waitUntil(lambda: not ctx._speaker.available, timeout=5000)  # type: ignore[union-attr]
    screen = screen_for(qtbot, ctx)
    ctx.set_modes(Modes.parse("voice"))
    assert screen.notice.isVisibleTo(screen)
    assert "음성 안내를 지금 사용할 수 없습니다" in screen.notice.text()
    screen.choose_service("C")
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=5000):
        screen.choose_class(None)
    assert queue.today_counts()["issued"] == 1


def test_voice_speed_and_volume_are_adjustable_and_reset(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    assert not screen.voice_bar.isVisibleTo(screen)
    ctx.set_modes(Modes.parse("voice"))
    screen.toggle_panel(True)
    assert screen.voice_bar.isVisibleTo(screen)
    speaker = ctx.speaker
    rate, volume = speaker.rate, speaker.volume
    qtbot.mouseClick(screen.voice_buttons["slower"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.voice_buttons["quieter"], Qt.MouseButton.LeftButton)
    assert speaker.rate == rate - speaker.RATE_STEP and speaker.volume < volume
    assert speaker.spoken[-1] == "이 빠르기와 크기로 안내해 드립니다."  # heard at the new settings
    assert f"읽는 속도 {speaker.rate}" in screen.voice_label.text()
    qtbot.keyClick(screen, Qt.Key.Key_Plus)  # volume up from the keypad
    assert speaker.volume == volume
    screen.finish()  # the next visitor
    assert (speaker.rate, speaker.volume) == (rate, volume)
    assert Mode.VOICE not in ctx.modes


def test_plugging_in_a_headset_turns_voice_guidance_on(qtbot: QtBot, ctx: UiContext) -> None:
    screen = screen_for(qtbot, ctx)
    screen.on_audio_outputs(["Built-in Audio Analog Stereo"])
    assert Mode.VOICE not in ctx.modes
    screen.on_audio_outputs(["Built-in Audio Analog Stereo", "USB Headset Mono"])
    assert Mode.VOICE in ctx.modes
