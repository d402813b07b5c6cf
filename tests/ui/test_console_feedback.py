"""The counter console's voice-box inbox (S8–S13) on the real demo store: what staff notice.

Demo staff: kim (counter clerk, 민원팀), lee (lead, 민원팀), park (lead, 시설운영팀), choi (admin),
jung (audit). The test clock starts on Wednesday 25 November 2026, 10:00 in Seoul.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.domain.errors import Forbidden
from kiosk.i18n import error_message, tr
from kiosk.services.feedback import FeedbackService
from kiosk.services.feedback_views import ReceiptView
from kiosk.ui.app import SCREENS
from kiosk.ui.audit import run_audit
from kiosk.ui.console import CounterConsole
from kiosk.ui.console_feedback import REFRESH_MS, InboxPanel, dday_text
from kiosk.ui.context import UiContext
from tests.conftest import Clock
from tests.ui.counter_helpers import interactive, open_console, settle, spoken_name

ALERT_KO = "기한 하루 전·지난 건 {count}건: 답변하거나 지연 사유와 새 예정일을 기록하십시오"


@pytest.fixture(autouse=True)
def _sign_in_service(ctx: UiContext, app: App) -> None:
    """Staff sign in with their (demo) PINs: the context carries the sign-in service."""
    ctx.auth = app.auth


def service(ctx: UiContext) -> FeedbackService:
    assert ctx.feedback is not None
    return ctx.feedback


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def inbox(qtbot: QtBot, ctx: UiContext, user: str) -> tuple[CounterConsole, InboxPanel]:
    """Counter 1's console on its voice-box page, ``user`` signed in, the list loaded."""
    c = open_console(qtbot, ctx, 1)
    settle(ctx, qtbot)
    assert c.inbox_button.isVisibleTo(c)
    click(qtbot, c.inbox_button)
    assert c.pages.currentWidget() is c.inbox
    assert spoken_name(c.inbox_button) == "번호 호출 화면으로 돌아가기"
    panel = c.inbox
    with qtbot.waitSignal(panel.sig_loaded if user != "kim" else panel.sig_refused, timeout=3000):
        panel.sign_in(user)
    return c, panel


def open_row(qtbot: QtBot, ctx: UiContext, panel: InboxPanel, receipt: str) -> None:
    """Tap the row of ``receipt`` and wait for the note's page."""
    row = panel.row_for(receipt)
    assert row is not None, (receipt, panel.receipts())
    with qtbot.waitSignal(panel.sig_item_shown, timeout=3000):
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=panel.tree.visualItemRect(row).center())
    assert panel.showing_item() and panel.item is not None and panel.item.receipt == receipt
    settle(ctx, qtbot)


def wait_step(qtbot: QtBot, ctx: UiContext, panel: InboxPanel, button: QWidget) -> None:
    click(qtbot, button)
    settle(ctx, qtbot)
    assert not panel._busy


def submit(
    ctx: UiContext, category: str, text: str, name: str | None = None, contact: str | None = None, consent: bool = False
) -> ReceiptView:
    return service(ctx).submit(category, text, name=name, contact=contact, consent=consent)


def test_a_lead_sees_their_team_and_unassigned_notes_by_due_date_and_no_misconduct(
    qtbot: QtBot, ctx: UiContext, clock: Clock
) -> None:
    fb = service(ctx)
    choi, lee = fb.user("choi"), fb.user("lee")
    review = submit(ctx, "complaint", "민원실 의자가 부족합니다.\n오후에는 서서 기다립니다.")
    simple = submit(ctx, "suggestion", "번호표에 예상 대기 시간을 적어 주세요")
    secret = submit(ctx, "misconduct", "채용 과정에서 특정인을 미리 정했다는 이야기가 있습니다")
    elsewhere = submit(ctx, "praise", "시설 보수가 빨랐습니다")
    fb.classify(choi, review.receipt, "review")  # due 12.09
    fb.classify(choi, simple.receipt, "simple")  # due 12.02
    fb.assign(choi, elsewhere.receipt, "시설운영팀")  # park's team, not lee's
    clock.advance(days=1)
    later = submit(ctx, "proposal", "주차 안내를 크게")  # unclassified: counts as 7 days (12.03)

    _c, panel = inbox(qtbot, ctx, "lee")
    assert panel.receipts() == [simple.receipt, later.receipt, review.receipt]
    assert [i.receipt for i in fb.inbox(lee)] == panel.receipts()  # the service's order, as shown
    assert panel.rows()[0] == (
        simple.receipt,
        "건의",
        "번호표에 예상 대기 시간을 적어 주세요",
        "접수",
        "12.2(수) · D-6",
        "미배정",
    )
    assert panel.rows()[1][4] == "분류 전 · 접수 11.26(목)"
    assert panel.rows()[2][2] == "민원실 의자가 부족합니다."  # the first line only
    assert panel.rows()[2][4] == "12.9(수) · D-13"
    assert secret.receipt not in panel.receipts() and elsewhere.receipt not in panel.receipts()
    assert panel.heading.text() == "고객의 소리 접수함 · 3건 (기한 순)"
    assert panel.alert_text() == ""


def test_the_audit_team_sees_the_misconduct_report_marked_confidential(qtbot: QtBot, ctx: UiContext) -> None:
    ordinary = submit(ctx, "complaint", "안내가 불친절했습니다")
    secret = submit(ctx, "misconduct", "<b>채용 비리</b> 제보합니다\n자세한 내용은 이렇습니다")

    _c, panel = inbox(qtbot, ctx, "jung")
    assert set(panel.receipts()) == {ordinary.receipt, secret.receipt}
    row = next(r for r in panel.rows() if r[0] == secret.receipt)
    assert row[1] == "부패·채용비리 신고" and row[2] == "<b>채용 비리</b> 제보합니다"  # markup stays text
    open_row(qtbot, ctx, panel, secret.receipt)
    assert panel.confidential_label.isVisibleTo(panel)
    assert panel.confidential_label.text() == "비공개: 감사 담당만 볼 수 있습니다"
    assert panel.text_view.toPlainText() == "<b>채용 비리</b> 제보합니다\n자세한 내용은 이렇습니다"
    assert panel.text_view.isReadOnly() and isinstance(panel.text_view, QPlainTextEdit)
    assert panel.item_heading.textFormat() == Qt.TextFormat.PlainText
    assert panel.who_label.text() == "익명 (이름·연락처를 남기지 않음)"


def test_classify_assign_and_answer_through_the_page_and_the_visitor_reads_the_answer(
    qtbot: QtBot, ctx: UiContext
) -> None:
    fb = service(ctx)
    note = submit(
        ctx, "complaint", "엘리베이터 안내 방송이 너무 작습니다", name="김민수", contact="010-1234-5678", consent=True
    )
    _c, panel = inbox(qtbot, ctx, "lee")
    open_row(qtbot, ctx, panel, note.receipt)
    assert panel.who_label.text() == "이름 김*수 · 연락처 010-****-5678 · 알림 동의함"  # masked (S13)
    assert "김민수" not in panel.who_label.text() and "1234" not in panel.who_label.text()
    assert panel.history_view.toPlainText() == "아직 처리한 내용이 없습니다."

    wait_step(qtbot, ctx, panel, panel.simple_button)
    assert panel.message_text() == f"{note.receipt}: 처리 구분을 정했습니다 — 단순 (7일), 기한 12.2(수) · D-7"
    assert panel.simple_button.isChecked() and not panel.review_button.isChecked()
    wait_step(qtbot, ctx, panel, panel.review_button)  # re-classified: 14 days
    assert fb.status(note.receipt, note.pin).due_date == date(2026, 12, 9)

    assert panel.team_combo.currentText() == "팀을 고르십시오"  # an unassigned note is nobody's by default
    wait_step(qtbot, ctx, panel, panel.assign_button)
    assert panel.message_text() == "담당 팀을(를) 입력하십시오."  # the service's reason
    panel.team_combo.setCurrentIndex(panel.team_combo.findData("민원팀"))
    wait_step(qtbot, ctx, panel, panel.assign_button)
    assert panel.message_text() == f"{note.receipt}: 민원팀에 배정했습니다."
    assert panel.rows()[0][3:] == ("배정", "12.9(수) · D-14", "민원팀")

    qtbot.keyClicks(panel.answer_edit, "Volume raised on 11/26.")
    wait_step(qtbot, ctx, panel, panel.answer_button)
    assert panel.message_text().startswith(f"{note.receipt}: 답변을 저장하고 종결했습니다.")
    status = fb.status(note.receipt, note.pin)  # what the visitor sees with the receipt
    assert (status.status, status.answer) == ("answered", "Volume raised on 11/26.")
    assert panel.history_view.toPlainText().splitlines() == [
        "· 분류: 단순 (7일) — 이준호 (lee)",
        "· 분류: 검토 필요 (14일) — 이준호 (lee)",
        "· 배정: 민원팀 — 이준호 (lee)",
        "· 답변하고 종결 — 이준호 (lee)",
    ]
    assert panel.answer_edit.isReadOnly() and not panel.answer_button.isEnabled()  # closed
    assert note.receipt not in panel.receipts()  # the open list no longer has it
    click(qtbot, panel.answered_check)
    qtbot.waitUntil(lambda: note.receipt in panel.receipts(), timeout=3000)
    assert panel.rows()[0][3] == "답변 완료"


def test_an_empty_answer_is_refused_with_the_reason_and_nothing_closes(qtbot: QtBot, ctx: UiContext) -> None:
    fb = service(ctx)
    note = submit(ctx, "suggestion", "대기실에 물을 놓아 주세요")
    _c, panel = inbox(qtbot, ctx, "lee")
    open_row(qtbot, ctx, panel, note.receipt)
    qtbot.keyClicks(panel.answer_edit, "   ")
    wait_step(qtbot, ctx, panel, panel.answer_button)
    assert panel.message_text() == "답변을(를) 입력하십시오."
    assert panel.message.objectName() == "error"
    assert fb.status(note.receipt, note.pin).status == "received"
    assert panel.answer_edit.toPlainText() == "   " and panel.answer_button.isEnabled()  # nothing lost

    ctx.set_language("en")
    wait_step(qtbot, ctx, panel, panel.answer_button)
    assert panel.message_text() == "Please enter the answer."


def test_one_day_before_the_deadline_the_banner_asks_and_a_recorded_delay_reaches_the_visitor(
    qtbot: QtBot, ctx: UiContext, clock: Clock
) -> None:
    fb = service(ctx)
    lee = fb.user("lee")
    late = submit(ctx, "complaint", "화장실 수리가 늦습니다")
    fb.classify(lee, late.receipt, "simple")  # due Wed 12.02
    clock.advance(days=3)
    soon = submit(ctx, "complaint", "주차장 조명이 어둡습니다")
    fb.classify(lee, soon.receipt, "simple")  # due Sat 12.05
    quiet = submit(ctx, "proposal", "안내판에 점자를 넣어 주세요")
    fb.classify(lee, quiet.receipt, "review")  # due 12.12: no alert

    c, panel = inbox(qtbot, ctx, "lee")
    assert panel.alert_text() == ""
    clock.advance(days=6)  # Friday 12.04: one note due tomorrow, one two days late
    with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
        click(qtbot, panel.refresh_button)
    assert panel.alert_text() == ALERT_KO.format(count=2)
    assert panel.alert_frame.y() < panel.views.y()  # at the top of the inbox
    rows = {r[0]: r for r in panel.rows()}
    assert rows[f"⚠ {late.receipt}"][4] == "12.2(수) · 2일 지남"
    assert rows[f"⚠ {soon.receipt}"][4] == "12.5(토) · D-1"
    assert rows[quiet.receipt][4] == "12.12(토) · D-8"  # not marked
    assert [a.receipt for a in fb.alerts(lee)] == [late.receipt, soon.receipt]

    open_row(qtbot, ctx, panel, soon.receipt)
    qtbot.keyClicks(panel.reason_edit, "Parts on order")
    assert isinstance(panel.date_edit, QDateEdit) and panel.date_edit.calendarPopup()
    panel.date_edit.setDate(QDate(2026, 12, 11))
    wait_step(qtbot, ctx, panel, panel.delay_button)
    assert panel.message_text().startswith(f"{soon.receipt}: 지연 사유와 새 예정일(12.11(금))을 기록했습니다.")
    status = fb.status(soon.receipt, soon.pin)  # the visitor sees both
    assert (status.status, status.delay_reason, status.new_date) == ("delayed", "Parts on order", date(2026, 12, 11))
    assert panel.delay_info.text() == "지연 안내: Parts on order · 새 예정일 12.11(금)"
    qtbot.waitUntil(lambda: panel.alert_text() == ALERT_KO.format(count=1), timeout=3000)
    assert f"⚠ {soon.receipt}" not in panel.receipts() and soon.receipt in panel.receipts()

    ctx.set_language("en")
    assert panel.alert_text() == "1 due tomorrow or late: answer them, or record the reason and a new date"
    assert {r[4] for r in panel.rows()} >= {"Wed 12/2 · 2 days late", "Fri 12/11 · D-7"}
    assert c.inbox_button.text() == "Counter"


def test_a_delay_to_a_date_not_after_the_deadline_is_refused_and_kept(qtbot: QtBot, ctx: UiContext) -> None:
    fb = service(ctx)
    note = submit(ctx, "complaint", "안내 방송이 잘 안 들립니다")
    fb.classify(fb.user("lee"), note.receipt, "review")  # due 12.09
    _c, panel = inbox(qtbot, ctx, "lee")
    open_row(qtbot, ctx, panel, note.receipt)
    assert panel.date_edit.date() == QDate(2026, 12, 16)  # offered: a week after the deadline
    panel.reason_edit.setText("부품 대기")  # QTest types Latin-1 only; staff use the IME
    panel.date_edit.setDate(QDate(2026, 12, 5))
    wait_step(qtbot, ctx, panel, panel.delay_button)
    assert panel.message.objectName() == "error"
    assert "새 처리 예정일" in panel.message_text()
    assert panel.reason_edit.text() == "부품 대기" and panel.date_edit.date() == QDate(2026, 12, 5)
    assert fb.status(note.receipt, note.pin).status == "received"


def test_opening_a_note_is_written_to_the_audit_log(qtbot: QtBot, ctx: UiContext) -> None:
    fb = service(ctx)
    note = submit(ctx, "complaint", "대기 번호가 건너뛰었습니다")
    _c, panel = inbox(qtbot, ctx, "lee")
    assert [e for e in fb.audit_log(fb.user("choi"), note.receipt) if e[2] == "feedback.open"] == []
    open_row(qtbot, ctx, panel, note.receipt)
    rows = [e for e in fb.audit_log(fb.user("jung"), note.receipt) if e[2] == "feedback.open"]
    assert [(actor, subject) for _at, actor, _action, subject, _data in rows] == [("lee", note.receipt)]
    click(qtbot, panel.back_button)
    assert not panel.showing_item()


def test_a_counter_clerk_is_told_they_have_no_access(qtbot: QtBot, ctx: UiContext) -> None:
    submit(ctx, "complaint", "창구가 너무 적습니다")
    _c, panel = inbox(qtbot, ctx, "kim")
    refusal = error_message(Forbidden(user="kim", role="counter", action="read"), "ko")
    assert panel.notice.isVisibleTo(panel) and panel.notice.objectName() == "error"
    assert panel.notice.text() == (
        f"김서연 (kim) 님은 고객의 소리 접수함을 볼 수 없습니다. {refusal}\n"
        "고객의 소리는 팀장, 관리자, 감사 담당 직원이 처리합니다."
    )
    assert not panel.tree.isVisibleTo(panel) and panel.receipts() == []
    with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
        panel.sign_in("lee")  # someone else signs in: the list comes back
    assert not panel.notice.isVisibleTo(panel) and len(panel.receipts()) == 1


def test_the_inbox_rereads_when_shown_and_on_its_timer_not_on_queue_changes(
    qtbot: QtBot, ctx: UiContext, clock: Clock
) -> None:
    c, panel = inbox(qtbot, ctx, "lee")
    assert panel.timer.interval() == REFRESH_MS and panel.timer.isActive()
    loads: list[object] = []
    panel.sig_loaded.connect(loads.append)
    ctx.queue.issue_ticket("A")  # the queue changes: the console re-reads, the inbox does not
    ctx.watcher.poll()  # the queue poll notices it
    qtbot.waitUntil(lambda: c.state is not None and len(c.state.waiting) == 1, timeout=3000)
    settle(ctx, qtbot)
    assert loads == []
    note = submit(ctx, "praise", "친절했습니다")
    panel.timer.timeout.emit()  # thirty seconds later
    qtbot.waitUntil(lambda: note.receipt in panel.receipts(), timeout=3000)
    click(qtbot, c.inbox_button)  # back to calling visitors: the timer stops
    assert not panel.timer.isActive() and c.services_bar.isVisibleTo(c)
    other = submit(ctx, "praise", "깨끗합니다")
    with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
        click(qtbot, c.inbox_button)  # shown again: re-read at once
    assert other.receipt in panel.receipts() and panel.timer.isActive()


def test_every_inbox_control_has_a_spoken_name_and_a_staff_sized_target(qtbot: QtBot, ctx: UiContext) -> None:
    note = submit(ctx, "complaint", "안내가 부족합니다", contact="minsu@example.com", consent=True)
    c, panel = inbox(qtbot, ctx, "lee")
    open_row(qtbot, ctx, panel, note.receipt)
    for lang in ("ko", "en"):
        ctx.set_language(lang)
        settle(ctx, qtbot)
        widgets = [w for w in interactive(panel) if w.isEnabled()]
        assert len(widgets) >= 9
        for w in widgets:
            assert spoken_name(w).strip(), (lang, w)
            assert w.height() >= 44, (spoken_name(w), w.size())
        editors = [panel.text_view, panel.history_view, panel.answer_edit, panel.reason_edit, panel.date_edit]
        assert {type(w) for w in editors} == {QPlainTextEdit, QLineEdit, QDateEdit}
        for w in editors:
            assert w.isVisibleTo(panel) and spoken_name(w).strip(), (lang, w)
            assert w.height() >= 44, (spoken_name(w), w.size())
        assert spoken_name(panel.answer_button) == tr("console.inbox.answer_button_name", lang, receipt=note.receipt)
    assert spoken_name(c.inbox_button) == "Back to calling visitors"


def test_dday_reads_ahead_on_the_day_and_late() -> None:
    def ko(key: str, **kw: object) -> str:
        return tr(key, "ko", **kw)

    def en(key: str, **kw: object) -> str:
        return tr(key, "en", **kw)

    today = date(2026, 12, 1)
    assert [dday_text(ko, date(2026, 12, d), today) for d in (4, 2, 1)] == ["D-3", "D-1", "D-day"]
    assert dday_text(ko, date(2026, 11, 28), today) == "3일 지남"
    assert dday_text(en, date(2026, 11, 28), today) == "3 days late"
    assert dday_text(en, date(2026, 11, 30), today) == "1 day late"


def test_the_accessibility_audit_covers_the_inbox(qtbot: QtBot, ctx: UiContext) -> None:
    submit(ctx, "complaint", "민원실 안내 표지판의 글씨가 작아서 잘 보이지 않습니다. " * 4)
    submit(ctx, "misconduct", "채용 비리 제보")
    c = open_console(qtbot, ctx, 1)
    states = dict(c.audit_states())
    assert {"inbox", "inbox item", "inbox no access"} <= set(states)
    states["inbox"]()  # the widest reader: the audit team, misconduct included
    qtbot.waitUntil(lambda: len(c.inbox.receipts()) == 2, timeout=3000)
    states["inbox item"]()
    qtbot.waitUntil(c.inbox.showing_item, timeout=3000)
    states["inbox no access"]()
    qtbot.waitUntil(lambda: c.inbox.notice.objectName() == "error", timeout=3000)
    c.close()
    result = run_audit(ctx, {"counter": SCREENS["counter"]})
    assert result.failures == [], "\n".join(result.failures[:40])
    assert result.checked[("counter", "name")] > 100
