"""The counter-facing satisfaction tablet on the real store: what the visitor sees, what is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.accessibility.modes import Mode
from kiosk.services.feedback_views import SatisfactionView
from kiosk.services.queue import QueueService
from kiosk.services.survey import SurveyService
from kiosk.ui.context import UiContext
from kiosk.ui.survey_screen import IDLE, QUESTION, RATING, THANKS, SurveyScreen
from tests.ui.conftest import accessible_name, interactive_widgets

GUARD_MS = 250


def survey(ctx: UiContext) -> SurveyService:
    assert ctx.survey is not None
    return ctx.survey


def tablet(qtbot: QtBot, ctx: UiContext, counter: int = 1, **options: float) -> SurveyScreen:
    screen = SurveyScreen(ctx, counter, poll_ms=50, tap_guard_ms=GUARD_MS, **options)  # type: ignore[arg-type]
    qtbot.addWidget(screen)
    screen.resize(800, 1280)
    screen.show()
    return screen


def serve(queue: QueueService, counter: int, service: str = "A") -> str:
    """A visitor takes a ticket, is called to ``counter`` and served: the counter completes the visit."""
    ticket = queue.issue_ticket(service)
    called = queue.call_next(counter)
    assert called is not None and called.number == ticket.number
    queue.complete(called.id)
    return ticket.number


def tap(qtbot: QtBot, button: QWidget, *, after_guard: bool = True) -> None:
    if after_guard:
        qtbot.wait(GUARD_MS + 30)  # a deliberate tap, not the second half of a double tap
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_idle_shows_the_counter_and_a_welcome(qtbot: QtBot, ctx: UiContext) -> None:
    screen = tablet(qtbot, ctx, counter=3)
    qtbot.wait(200)
    assert screen.state == IDLE
    assert screen.big_counter.text() == "3번 창구" and screen.welcome.text() == "어서 오십시오"
    assert "누가 답했는지는 남기지 않습니다" in screen.anonymous.text()
    assert screen.windowTitle() == "만족도 조사 · 3번 창구"


def test_a_completed_visit_is_asked_and_yes_then_4_is_stored_once(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    number = serve(queue, 1)
    screen = tablet(qtbot, ctx)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    assert screen.question_title.text() == "문의하신 일이 해결되었습니까?"
    assert screen.question_visit.text() == f"1번 창구 · 번호표 {number} · 인허가 신청"
    assert (screen.yes_button.text(), screen.no_button.text()) == ("1. 예", "2. 아니요")

    tap(qtbot, screen.yes_button)
    assert screen.state == RATING
    assert screen.rating_title.text() == "만족도를 골라 주십시오 (1–5)"
    with qtbot.waitSignal(screen.sig_recorded, timeout=3000) as recorded:
        tap(qtbot, screen.rating_buttons[4])
    assert recorded.args == [True]
    assert screen.state == THANKS
    assert screen.thanks.text() == "응답해 주셔서 감사합니다." and screen.goodbye.text() == "안녕히 가십시오."
    assert screen.unresolved_note.isHidden()
    assert survey(ctx).summary() == [SatisfactionView("A", 1, 1, 1, 0, 4.0)]  # per service and counter


def test_a_double_tap_counts_once(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    serve(queue, 1)
    screen = tablet(qtbot, ctx)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    tap(qtbot, screen.no_button)
    # The second half of the double tap lands on whatever rating appeared under the finger: ignored.
    tap(qtbot, screen.rating_buttons[1], after_guard=False)
    assert screen.state == RATING and screen.rating is None
    with qtbot.waitSignal(screen.sig_recorded, timeout=3000):
        tap(qtbot, screen.rating_buttons[2])
        tap(qtbot, screen.rating_buttons[2], after_guard=False)  # a double tap on the rating
    ctx.ops.wait()
    assert survey(ctx).summary() == [SatisfactionView("A", 1, 1, 0, 1, 2.0)]
    assert "고객의 소리" in screen.unresolved_note.text() and screen.unresolved_note.isVisibleTo(screen)

    # The tablet restarted: the visit was answered, so it is not asked again.
    again = tablet(qtbot, ctx)
    qtbot.wait(300)
    assert again.state == IDLE
    assert screen.visit is not None
    assert survey(ctx).record("A", 1, resolved=True, rating=5, ticket_key=screen.visit.ticket_key) is False
    assert survey(ctx).summary()[0].answers == 1


def test_a_skipped_question_stores_nothing_for_it(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    serve(queue, 1, "B")
    screen = tablet(qtbot, ctx)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    assert screen.skip_question_button.text() == "0. 건너뛰기"
    tap(qtbot, screen.skip_question_button)
    with qtbot.waitSignal(screen.sig_recorded, timeout=3000):
        tap(qtbot, screen.rating_buttons[5])
    assert survey(ctx).summary() == [SatisfactionView("B", 1, 1, 0, 0, 5.0)]  # neither resolved nor not


def test_skipping_both_stores_nothing_and_the_visit_is_not_asked_again(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    serve(queue, 1)
    screen = tablet(qtbot, ctx, thanks_seconds=0.2)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    tap(qtbot, screen.skip_question_button)
    tap(qtbot, screen.skip_rating_button)
    assert screen.state == THANKS
    qtbot.waitUntil(lambda: screen.state == IDLE, timeout=3000)
    qtbot.wait(300)  # several polls: the same visit is still the counter's last one
    assert screen.state == IDLE
    ctx.ops.wait()
    assert survey(ctx).summary() == []


def test_a_visit_at_counter_2_is_asked_on_counter_2_only(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    one = tablet(qtbot, ctx, counter=1)
    two = tablet(qtbot, ctx, counter=2)
    number = serve(queue, 2, "C")
    qtbot.waitUntil(lambda: two.state == QUESTION, timeout=3000)
    assert number in two.question_visit.text() and "2번 창구" in two.question_visit.text()
    qtbot.wait(300)
    assert one.state == IDLE and one.visit is None


def test_nobody_answering_returns_to_the_welcome_keeping_what_was_answered(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    serve(queue, 1)
    screen = tablet(qtbot, ctx, answer_seconds=0.4)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    tap(qtbot, screen.yes_button)
    qtbot.mouseClick(screen.mode_buttons[Mode.LARGE_TEXT], Qt.MouseButton.LeftButton)
    assert Mode.LARGE_TEXT in ctx.modes
    assert screen.remaining_seconds() <= 0.4 * 2  # more time in an accessibility mode
    qtbot.waitUntil(lambda: screen.state == IDLE, timeout=3000)
    ctx.ops.wait()
    assert survey(ctx).summary() == [SatisfactionView("A", 1, 1, 1, 0, None)]
    assert ctx.modes == ctx.config.modes  # the next visitor starts from the facility's defaults


def test_the_keypad_answers_and_voice_guidance_reads_the_questions(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    speaker = ctx.speaker
    assert speaker.wait_ready()
    serve(queue, 1)
    screen = tablet(qtbot, ctx)
    ctx.toggle_mode(Mode.VOICE)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    assert speaker.spoken[-1].startswith("1번 창구입니다. 문의하신 일이 해결되었습니까?")
    qtbot.wait(GUARD_MS + 30)
    qtbot.keyClick(screen, Qt.Key.Key_2)  # 2 = 아니요
    assert screen.state == RATING and screen.resolved is False
    assert speaker.spoken[-1].startswith("만족도를 골라 주십시오.")
    qtbot.keyClick(screen, Qt.Key.Key_Asterisk)  # repeat
    assert speaker.spoken[-1] == speaker.spoken[-2]
    qtbot.wait(GUARD_MS + 30)
    with qtbot.waitSignal(screen.sig_recorded, timeout=3000):
        qtbot.keyClick(screen, Qt.Key.Key_3)
    assert speaker.spoken[-1].startswith("응답해 주셔서 감사합니다. 안녕히 가십시오.")
    assert survey(ctx).summary() == [SatisfactionView("A", 1, 1, 0, 1, 3.0)]
    assert screen.describe(screen.mode_buttons[Mode.VOICE]) == "음성 안내, 버튼, 켜짐"


def test_english_and_every_control_named_and_touch_sized(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    serve(queue, 1)
    screen = tablet(qtbot, ctx)
    qtbot.waitUntil(lambda: screen.state == QUESTION, timeout=3000)
    qtbot.mouseClick(screen.language_button, Qt.MouseButton.LeftButton)
    assert screen.question_title.text() == "Was your question resolved?"
    assert "Permits and licences" in screen.question_visit.text()
    assert accessible_name(screen.yes_button) == "Yes, it was resolved"
    minimum = ctx.config.screen.min_control_px
    for state, go in screen.audit_states():
        go()
        qtbot.wait(20)
        for w in interactive_widgets(screen):
            assert accessible_name(w).strip(), (state, w)
            assert w.width() >= minimum and w.height() >= minimum, (state, accessible_name(w), w.size())
    screen.audit_states()[2][1]()
    assert [accessible_name(b) for b in screen.rating_buttons.values()][3] == "4 out of 5, Good"
