"""The customer voice box on the kiosk, on the real store: a visitor writes a note with the on-screen
keyboard, takes a receipt, and reads the answer with the receipt number and PIN (S8, S11–S13)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.accessibility.modes import Mode, Modes
from kiosk.bootstrap import App
from kiosk.domain.feedback import TEXT_LIMIT, Category
from kiosk.services.feedback import FeedbackService
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_SERVICES, PAGE_VOICE, KioskScreen
from kiosk.ui.touch_keyboard import ENGLISH, KOREAN, TouchKeyboard
from kiosk.ui.voice_box import (
    STEP_CATEGORY,
    STEP_CONSENT,
    STEP_CONTACT,
    STEP_LOOKUP,
    STEP_RECEIPT,
    STEP_STATUS,
    STEP_WRITE,
    VoiceBox,
)
from tests.ui.conftest import accessible_name, interactive_widgets


def make(qtbot: QtBot, ctx: UiContext, size: tuple[int, int] = (1080, 1920)) -> KioskScreen:
    screen = KioskScreen(ctx, tick_ms=50)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()  # focus follows the fields only in the active window
    qtbot.waitUntil(screen.isActiveWindow)
    return screen


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Tap ``widget`` where it is on screen (laid out and scrolled into view first, as a visitor sees it)."""
    QApplication.processEvents()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    # The offscreen platform's screen (800 x 800) is smaller than a kiosk window, and a touch-scrolling
    # area (QScroller) hands a delayed press on by screen position: bring the widget onto that screen.
    screen = QApplication.primaryScreen().geometry()
    centre = widget.mapToGlobal(widget.rect().center())
    if not screen.contains(centre):
        window = widget.window()
        window.move(window.pos() + screen.center() - centre)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap(qtbot: QtBot, kb: TouchKeyboard, keys: str) -> None:
    """Tap the keys that type ``keys`` (the space bar for " ", shift first where a character needs it)."""
    for ch in keys:
        button = kb.space_key if ch == " " else kb.key_for(ch)
        if button is None:
            click(qtbot, kb.shift_key)
            button = kb.key_for(ch)
        assert button is not None, f"no key types {ch!r}"
        click(qtbot, button)


def service(app: App) -> FeedbackService:
    assert app.feedback is not None
    return app.feedback


def notes(app: App) -> list[str]:
    """Every note in the box (the audit team sees them all, misconduct reports too)."""
    fb = service(app)
    return [n.receipt for n in fb.inbox(fb.user("jung"), include_answered=True)]


def write(qtbot: QtBot, screen: KioskScreen, category: Category, text: str) -> VoiceBox:
    """From the start page to the consent step, the text put in the field."""
    click(qtbot, screen.voice_button)
    voice = screen.voice
    click(qtbot, voice.category_buttons[category])
    voice.text_edit.setPlainText(text)
    click(qtbot, voice.next_button)
    assert voice.step == STEP_CONSENT
    return voice


def test_a_note_typed_in_hangul_with_consent_gets_a_receipt_then_its_answer_on_the_kiosk(
    qtbot: QtBot, ctx: UiContext, app: App
) -> None:
    screen = make(qtbot, ctx)
    assert screen.voice_button.text() == "고객의 소리" and screen.status_button.text() == "처리 결과 확인"
    click(qtbot, screen.voice_button)
    voice = screen.voice
    assert screen.page == PAGE_VOICE and voice.step == STEP_CATEGORY
    assert not voice.keyboard.isVisible()
    assert "5. 부패·채용비리 신고" in voice.category_buttons[Category.MISCONDUCT].text()
    click(qtbot, voice.category_buttons[Category.COMPLAINT])
    assert voice.step == STEP_WRITE and voice.keyboard.isVisible()
    kb = voice.keyboard
    assert kb.target is voice.text_edit and kb.layout_name == KOREAN
    assert voice.counter.text() == "0 / 2,000자"

    tap(qtbot, kb, "ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ")
    assert (voice.text(), kb.preedit) == ("안녕하세", "요")  # the last syllable is still being composed
    click(qtbot, voice.next_button)  # "next" commits it first: nothing typed is lost
    assert voice.text() == "안녕하세요" and voice.counter.text() == "5 / 2,000자"
    assert voice.step == STEP_CONSENT and not kb.isVisible()

    days = ctx.config.feedback_retention_days
    consent = voice.consent_text.text()
    assert "수집 항목: 이름" in consent and "연락처" in consent  # what is kept
    assert "답변과 처리 지연 안내를 보내 드리는 데에만" in consent  # why
    assert f"답변을 보내 드린 뒤 {days}일 동안 보관" in consent  # how long
    assert voice.anonymous_button.isVisible()  # always possible
    click(qtbot, voice.agree_button)
    assert voice.step == STEP_CONTACT and kb.target is voice.name_edit and kb.layout_name == KOREAN
    tap(qtbot, kb, "ㄱㅣㅁㅁㅣㄴㅅㅓ")
    click(qtbot, kb.done_key)  # done: on to the contact field, with the English keys
    assert voice.name_edit.text() == "김민서"
    assert kb.target is voice.contact_edit and kb.layout_name == ENGLISH
    tap(qtbot, kb, "010-1234-5678")
    assert voice.contact_edit.text() == "010-1234-5678"

    with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as blocker:
        click(qtbot, voice.send_button)
    receipt = blocker.args[0]
    assert voice.step == STEP_RECEIPT and not receipt.anonymous
    assert voice.receipt_number.text() == receipt.receipt and receipt.receipt.startswith("261125-")
    assert voice.receipt_pin.text() == f"확인번호 {receipt.pin}" and len(receipt.pin) == 6
    assert voice.receipt_due.text() == "답변 예정일: 담당자 분류 후 7일 또는 14일 이내"
    assert voice.qr_text == f"kiosk://feedback/{receipt.receipt}"
    assert not voice.qr_label.pixmap().isNull()
    assert voice.receipt_note.text() == "답변은 남기신 연락처로도 보내 드립니다."
    assert "적어 두시거나 사진으로 찍어 두십시오" in voice.receipt_keep.text()
    assert not screen.back_button.isEnabled()  # the note is sent: no way back into it
    fb = service(app)
    item = fb.open(fb.user("choi"), receipt.receipt)
    assert (item.text, item.category, item.consent) == ("안녕하세요", "complaint", True)
    assert item.name and item.name != "김민서" and "5678" in item.contact  # masked for staff
    assert voice.text() == "" and voice.name_edit.text() == "" and voice.contact_edit.text() == ""

    click(qtbot, voice.receipt_done)
    assert screen.page == PAGE_SERVICES
    click(qtbot, screen.status_button)
    assert voice.step == STEP_LOOKUP and kb.target is voice.receipt_edit and kb.layout_name == ENGLISH
    tap(qtbot, kb, receipt.receipt.lower())  # typed in lower case: the service normalizes
    click(qtbot, kb.done_key)
    assert kb.target is voice.pin_edit
    tap(qtbot, kb, receipt.pin)
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert voice.step == STEP_STATUS
    assert [label.text() for label in voice.step_labels] == ["▶ 접수 (지금 단계)", "○ 담당 부서 검토", "○ 답변 완료"]
    assert voice.step_labels[0].objectName() == "stepNow"
    assert voice.status_text.text().startswith("의견이 접수되었습니다")
    assert voice.status_meta.text() == "불편·민원 · 접수일 2026년 11월 25일"
    assert voice.answer_label.isHidden()

    lee = fb.user("lee")
    fb.classify(lee, receipt.receipt, "simple")
    fb.assign(lee, receipt.receipt, "민원팀")
    click(qtbot, screen.back_button)  # back to the receipt and PIN, still filled in
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert voice.status_due.text() == "답변 예정일: 2026년 12월 2일"
    assert voice.step_labels[1].text() == "▶ 담당 부서 검토 (지금 단계)"
    fb.answer(lee, receipt.receipt, "안내판을 새로 달았습니다. 감사합니다.")
    click(qtbot, voice.again_button)  # the receipt and PIN are still there
    assert voice.step == STEP_LOOKUP and voice.receipt_edit.text() == receipt.receipt.lower()
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert [label.text() for label in voice.step_labels] == ["✔ 접수", "✔ 담당 부서 검토", "✔ 답변 완료"]
    assert voice.status_text.text() == "답변이 완료되었습니다."
    assert voice.answer_label.text() == "안내판을 새로 달았습니다. 감사합니다."
    assert voice.answered_on.text() == "답변일 2026년 11월 25일"


def test_a_note_can_go_anonymously_even_after_agreeing(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.PRAISE, "2번 창구 직원이 친절했습니다")
    click(qtbot, voice.agree_button)
    voice.name_edit.setText("홍길동")  # typed, then the visitor changes their mind
    with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as blocker:
        click(qtbot, voice.anonymous_button2)
    receipt = blocker.args[0]
    assert receipt.anonymous and voice.receipt_note.text().startswith("익명으로 접수되었습니다")
    fb = service(app)
    item = fb.open(fb.user("choi"), receipt.receipt)
    assert (item.name, item.contact, item.consent) == ("", "", False)
    assert item.text == "2번 창구 직원이 친절했습니다"


def test_bad_text_is_refused_with_the_message_and_nothing_typed_is_lost(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    screen.show_voice_box()
    voice = screen.voice
    click(qtbot, voice.category_buttons[Category.SUGGESTION])
    too_long = "가" * (TEXT_LIMIT + 1)
    voice.text_edit.setPlainText(too_long)
    assert voice.counter.text() == "2,001 / 2,000자" and voice.counter.objectName() == "counterOver"
    spoken = []
    voice.sig_error.connect(spoken.append)
    click(qtbot, voice.next_button)
    assert voice.step == STEP_WRITE and voice.write_error.isVisible()
    message = voice.write_error.text()
    assert "내용이(가) 너무 깁니다: 2001자 입력, 최대 2000자입니다" in message
    assert "입력하신 내용은 그대로 남아 있습니다" in message and spoken == [message]
    assert voice.text() == too_long
    for text, words in (
        ("", "내용을(를) 입력하십시오"),
        ("주차\u202e장", "글자 방향을 바꾸는 특수 문자"),
        ("주차\x07장", "보이지 않는 제어 문자"),
    ):
        voice.text_edit.setPlainText(text)
        click(qtbot, voice.next_button)
        assert voice.step == STEP_WRITE and words in voice.write_error.text()
        assert voice.text() == text
    ctx.set_language("en")  # the message on screen is said again in the new language
    assert voice.write_error.text().startswith("The message contains invisible control characters.")
    voice.text_edit.setPlainText(too_long)
    click(qtbot, voice.next_button)
    assert voice.write_error.text().startswith("The message is too long: 2001 characters, at most 2000.")
    assert voice.counter.text() == "2,001 / 2,000 characters"
    voice.text_edit.setPlainText("가" * TEXT_LIMIT)  # exactly the limit goes
    click(qtbot, voice.next_button)
    assert voice.step == STEP_CONSENT
    assert notes(app) == []


def test_a_bad_contact_gets_the_message_and_keeps_name_and_contact(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.PROPOSAL, "대기석에 충전기를 두면 좋겠습니다")
    click(qtbot, voice.agree_button)
    voice.name_edit.setText("이하나")
    voice.contact_edit.setText("010-12")
    click(qtbot, voice.send_button)
    qtbot.waitUntil(lambda: voice.contact_error.isVisible() and not voice.busy, timeout=5000)
    qtbot.waitUntil(lambda: "형식이 올바르지 않습니다" in voice.contact_error.text(), timeout=5000)
    assert voice.step == STEP_CONTACT and voice.send_button.isEnabled()
    assert (voice.name_edit.text(), voice.contact_edit.text()) == ("이하나", "010-12")
    assert voice.text() == "대기석에 충전기를 두면 좋겠습니다"
    voice.contact_edit.setText("hana@example.com")
    with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as blocker:
        click(qtbot, voice.send_button)
    fb = service(app)
    assert fb.open(fb.user("choi"), blocker.args[0].receipt).contact.endswith("example.com")
    assert len(notes(app)) == 1


def test_a_double_tap_on_send_stores_one_note(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.COMPLAINT, "화장실 휴지가 없습니다")
    key = voice.request_key
    assert len(key) == 32
    with qtbot.waitSignal(voice.sig_submitted, timeout=5000):
        click(qtbot, voice.anonymous_button)
        assert voice.busy and not voice.anonymous_button.isEnabled() and not voice.agree_button.isEnabled()
        click(qtbot, voice.anonymous_button)  # the second tap lands while the first is being written
        voice.send_anonymously()
    ctx.ops.wait()
    qtbot.wait(50)
    assert len(notes(app)) == 1
    assert voice.request_key == ""  # the next note is a new draft, with a new key
    # A retry of the same draft (the key it was sent with) gives the same receipt, not a second note.
    again = service(app).submit("complaint", "화장실 휴지가 없습니다", request_key=key)
    assert voice.receipt is not None and again.receipt == voice.receipt.receipt
    assert len(notes(app)) == 1


def test_visitor_and_staff_markup_is_shown_as_plain_text(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.SUGGESTION, "<b>x</b>")
    assert voice.text_edit.toPlainText() == "<b>x</b>"
    with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as blocker:
        click(qtbot, voice.anonymous_button)
    receipt = blocker.args[0]
    fb = service(app)
    assert fb.open(fb.user("choi"), receipt.receipt).text == "<b>x</b>"
    lee = fb.user("lee")
    fb.classify(lee, receipt.receipt, "review")
    fb.delay(lee, receipt.receipt, "<b>부품</b> 대기", date(2026, 12, 15))
    screen.finish()
    screen.show_status_check()
    voice.receipt_edit.setText(receipt.receipt)
    voice.pin_edit.setText(receipt.pin)
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert voice.status_text.text() == "처리가 늦어지고 있습니다. 죄송합니다."
    assert voice.delay_box.text() == "늦어지는 사유: <b>부품</b> 대기\n새 답변 예정일: 2026년 12월 15일"
    assert voice.status_due.text() == "답변 예정일: 2026년 12월 15일"
    assert voice.step_labels[1].text() == "▶ 담당 부서 검토 (지금 단계)"
    fb.answer(lee, receipt.receipt, "<i>y</i>")
    voice.start_lookup()
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert voice.answer_label.text() == "<i>y</i>"
    for label in (voice.answer_label, voice.delay_box, voice.status_title):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_wrong_pin_an_unknown_receipt_and_too_many_tries_are_told(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    receipt = service(app).submit("praise", "감사합니다")
    screen = make(qtbot, ctx)
    screen.show_status_check()
    voice = screen.voice
    wrong = "000000" if receipt.pin != "000000" else "111111"
    click(qtbot, voice.lookup_button)
    assert voice.lookup_error.text() == "접수번호을(를) 입력하십시오."  # nothing typed yet
    for number, pin in ((receipt.receipt, wrong), ("261125-ZZZZ", receipt.pin)):
        voice.receipt_edit.setText(number)
        voice.pin_edit.setText(pin)
        with qtbot.waitSignal(voice.sig_error, timeout=5000) as blocker:
            click(qtbot, voice.lookup_button)
        assert blocker.args[0] == "접수번호 또는 확인번호가 맞지 않습니다. 영수증을 보고 다시 입력하십시오."
        assert voice.step == STEP_LOOKUP and voice.lookup_error.text() == blocker.args[0]
        assert (voice.receipt_edit.text(), voice.pin_edit.text()) == (number, pin)  # kept to correct
    voice.receipt_edit.setText(receipt.receipt)
    voice.pin_edit.setText(wrong)
    for _ in range(5):
        with qtbot.waitSignal(voice.sig_error, timeout=5000) as blocker:
            voice.lookup()
    voice.pin_edit.setText(receipt.pin)  # even the right PIN waits now
    with qtbot.waitSignal(voice.sig_error, timeout=5000) as blocker:
        voice.lookup()
    assert "확인번호가 여러 번 틀려 잠시 조회할 수 없습니다" in blocker.args[0]
    assert voice.step == STEP_LOOKUP


def test_a_misconduct_report_says_it_goes_to_the_audit_team_only(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    screen = make(qtbot, ctx)
    assert "감사팀에만 전달되며" in screen.voice.category_buttons[Category.MISCONDUCT].text()
    voice = write(qtbot, screen, Category.MISCONDUCT, "채용 면접에서 특정인을 봐주었습니다")
    click(qtbot, screen.back_button)
    assert voice.step == STEP_WRITE and voice.misconduct_note.isVisible()
    assert "감사팀만 봅니다" in voice.misconduct_note.text()
    click(qtbot, voice.next_button)
    with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as blocker:
        click(qtbot, voice.anonymous_button)
    assert voice.receipt_note.text() == "이 신고는 감사팀에만 전달되었습니다."
    fb = service(app)
    receipt = blocker.args[0].receipt
    assert receipt not in [n.receipt for n in fb.inbox(fb.user("lee"))]
    assert receipt in [n.receipt for n in fb.inbox(fb.user("jung"))]


def test_home_back_and_the_idle_return_keep_or_forget_the_draft(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.COMPLAINT, "엘리베이터가 고장났습니다")
    click(qtbot, screen.back_button)
    assert voice.step == STEP_WRITE and voice.text() == "엘리베이터가 고장났습니다"  # back keeps it
    click(qtbot, screen.back_button)
    assert voice.step == STEP_CATEGORY
    click(qtbot, voice.category_buttons[Category.COMPLAINT])
    assert voice.text() == "엘리베이터가 고장났습니다"
    click(qtbot, screen.home_button)
    assert screen.page == PAGE_SERVICES
    click(qtbot, screen.voice_button)
    click(qtbot, voice.category_buttons[Category.COMPLAINT])
    assert voice.text() == ""  # the next visitor never sees it
    voice.text_edit.setPlainText("개인적인 내용")
    screen.idle_seconds, screen.idle_warning_seconds = 0.3, 0.2
    assert screen.remaining_seconds() > 0.6  # writing gets three times as long
    qtbot.waitUntil(lambda: screen.page == PAGE_SERVICES, timeout=5000)
    assert voice.text() == "" and voice.category is None


def test_keypad_and_voice_guidance_reach_the_voice_box(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    speaker = ctx.speaker
    ctx.set_modes(Modes.parse("voice"))
    screen.show_services()
    assert "5번은 고객의 소리, 6번은 처리 결과 확인입니다." in speaker.spoken[-1]
    qtbot.keyClick(screen, Qt.Key.Key_5)
    voice = screen.voice
    assert screen.page == PAGE_VOICE and voice.step == STEP_CATEGORY
    assert speaker.spoken[-1].startswith("고객의 소리입니다.") and "5번, 부패·채용비리 신고." in speaker.spoken[-1]
    qtbot.keyClick(screen, Qt.Key.Key_3)
    assert voice.step == STEP_WRITE and voice.category == Category.SUGGESTION
    assert speaker.spoken[-1].startswith("건의. 내용을 화면 키보드로 입력하신 뒤")
    assert voice.text_edit.hasFocus()
    qtbot.keyClicks(voice.text_edit, "15")  # a keyboard's digits type into the field, they do not navigate
    assert voice.text() == "15" and voice.step == STEP_WRITE
    said = screen.describe(voice.text_edit)
    assert said == "의견 내용: 건의, 입력란, 입력된 내용: 15"
    click(qtbot, voice.keyboard.key_for("ㄱ") or voice.keyboard.space_key)
    assert speaker.spoken[-1] == "ㄱ 기역"  # each key says what it is
    qtbot.keyClick(voice.text_edit, Qt.Key.Key_Escape)  # Esc goes back, even from the field
    assert voice.step == STEP_CATEGORY
    qtbot.keyClick(screen, Qt.Key.Key_0)
    assert screen.page == PAGE_SERVICES
    qtbot.keyClick(screen, Qt.Key.Key_6)
    assert screen.page == PAGE_VOICE and voice.step == STEP_LOOKUP
    assert speaker.spoken[-1].startswith("처리 결과 확인입니다.")
    assert Mode.VOICE in ctx.modes


def test_every_step_has_named_touch_sized_controls_in_both_languages(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    for lang in ("ko", "en"):
        ctx.set_language(lang)
        for state, go in screen.voice.audit_states():
            go()
            qtbot.wait(10)
            voice = screen.voice
            for w in interactive_widgets(voice):
                assert accessible_name(w).strip(), (state, w)
                if isinstance(w, QAbstractButton):
                    assert w.width() >= 72 and w.height() >= 72, (state, accessible_name(w), w.size())
                    assert screen.describe(w).strip()
            for editor in voice.editors():
                assert accessible_name(editor).strip()
    ctx.set_language("ko")
    screen.show_voice_box()
    assert accessible_name(screen.voice.category_buttons[Category.PRAISE]).startswith("칭찬. 친절한 직원")


def test_the_language_switch_keeps_the_draft(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx)
    voice = write(qtbot, screen, Category.PRAISE, "친절합니다")
    click(qtbot, screen.back_button)
    click(qtbot, screen.language_button)
    assert voice.write_title.text() == "Praise: please write your message"
    assert voice.text() == "친절합니다" and voice.counter.text() == "5 / 2,000 characters"
    assert voice.keyboard.done_key.text() == "Done"
    click(qtbot, voice.next_button)
    assert voice.consent_title.text() == "Would you like to leave a contact for the answer?"
    assert "How long: 365 days after the answer is sent" in voice.consent_text.text()


def test_the_start_page_fits_a_landscape_screen(qtbot: QtBot, ctx: UiContext) -> None:
    screen = make(qtbot, ctx, (1920, 1080))
    qtbot.wait(20)
    row = {screen.extras_grid.getItemPosition(screen.extras_grid.indexOf(b))[0] for b in screen.extra_buttons()}
    assert row == {0}  # seat chart and both voice box buttons side by side
    area = screen.stack.widget(PAGE_SERVICES)
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().maximum() == 0  # nothing below the fold
    portrait = make(qtbot, ctx)
    qtbot.wait(20)
    grid = portrait.extras_grid
    assert grid.getItemPosition(grid.indexOf(portrait.chart_button)) == (0, 0, 1, 2)
    assert grid.getItemPosition(grid.indexOf(portrait.voice_button))[:2] == (1, 0)
    ctx.set_modes(Modes.parse("low-screen"))  # the band above a wheelchair user's reach gives a little way
    portrait.show_services()
    qtbot.wait(20)
    area = portrait.stack.widget(PAGE_SERVICES)
    assert isinstance(area, QScrollArea) and area.verticalScrollBar().maximum() == 0
    assert portrait.low_spacer.height() > 0


def test_without_a_voice_box_service_the_start_page_does_not_offer_it(qtbot: QtBot, ctx: UiContext) -> None:
    ctx.feedback = None
    screen = make(qtbot, ctx)
    assert screen.voice_button.isHidden() and screen.status_button.isHidden()
    screen.show_voice_box()  # reached anyway (a keypad shortcut, the audit): it says so instead of failing
    voice = screen.voice
    click(qtbot, voice.category_buttons[Category.PRAISE])
    voice.text_edit.setPlainText("좋아요")
    click(qtbot, voice.next_button)
    click(qtbot, voice.anonymous_button)
    assert voice.consent_error.text() == "지금은 고객의 소리를 받을 수 없습니다. 안내 직원에게 문의하십시오."
