"""The whole life of a voice-box note on real parts (issue 6's "done when"): a visitor writes it on
the kiosk with the on-screen keyboard and consents to be told; staff classify and assign it at the
counter console; at D-1 the reminder fires and reaches the team's mailbox; staff record a delay and
then answer, and each notice arrives at the local SMTP server; the visitor reads the answer on the
kiosk with the receipt and PIN."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config
from kiosk.domain.feedback import Category
from kiosk.ui.context import UiContext
from kiosk.ui.voice_box import STEP_CONSENT, STEP_RECEIPT, STEP_STATUS
from tests.conftest import Clock
from tests.smtp_server import Mailbox, messages, run_mailbox
from tests.ui.counter_helpers import settle
from tests.ui.test_console_feedback import ALERT_KO, inbox, open_row, wait_step
from tests.ui.test_voice_box import click, make, tap

VISITOR = "minseo.kim@example.kr"
TEAM = "minwon-team@hanbit.example"


def test_a_note_from_the_kiosk_is_answered_late_with_notice_and_read_back(
    qtbot: QtBot, demo_config: Config, clock: Clock
) -> None:
    boxes: Iterator[Mailbox] = run_mailbox()
    box = next(boxes)
    config = replace(
        demo_config,
        notify={"smtp_host": "127.0.0.1", "smtp_port": box.port, "smtp_sender": "민원실 <voc@hanbit.example>"},
        feedback_alert_to=TEAM,
    )
    app: App = bootstrap(config, clock=clock)
    ctx = UiContext(
        app.queue, config, poll_ms=100, charts=app.charts, feedback=app.feedback, survey=app.survey, auth=app.auth
    )
    try:
        fb = app.feedback
        assert fb is not None

        # The visitor, at the kiosk: a complaint typed in Hangul, name and e-mail left with consent.
        kiosk = make(qtbot, ctx)
        click(qtbot, kiosk.voice_button)
        voice = kiosk.voice
        click(qtbot, voice.category_buttons[Category.COMPLAINT])
        tap(qtbot, voice.keyboard, "ㅈㅜㅊㅏㅈㅏㅇ ㅈㅗㅁㅕㅇㅇㅣ ㅇㅓㄷㅜㅂㅅㅡㅂㄴㅣㄷㅏ")
        click(qtbot, voice.next_button)
        assert voice.step == STEP_CONSENT and voice.text() == "주차장 조명이 어둡습니다"
        click(qtbot, voice.agree_button)
        voice.name_edit.setText("김민서")
        voice.contact_edit.setText(VISITOR)
        with qtbot.waitSignal(voice.sig_submitted, timeout=5000) as sent:
            click(qtbot, voice.send_button)
        receipt = sent.args[0]
        assert voice.step == STEP_RECEIPT and voice.receipt_number.text() == receipt.receipt
        click(qtbot, voice.receipt_done)

        # Staff, at counter 1's console: classify (simple: due in 7 days) and assign.
        _console, panel = inbox(qtbot, ctx, "lee")
        open_row(qtbot, ctx, panel, receipt.receipt)
        assert "김민서" not in panel.who_label.text() and VISITOR not in panel.who_label.text()
        wait_step(qtbot, ctx, panel, panel.simple_button)
        panel.team_combo.setCurrentIndex(panel.team_combo.findData("민원팀"))
        wait_step(qtbot, ctx, panel, panel.assign_button)
        assert fb.status(receipt.receipt, receipt.pin).due_date == date(2026, 12, 2)

        # D-1, nothing answered: cron's reminder e-mails the team, the console shows the banner.
        clock.advance(days=6)
        reminded = fb.remind()
        assert reminded.new == [receipt.receipt] and reminded.alert_sent
        alert = messages(box)[-1]
        assert alert["To"] == TEAM and receipt.receipt in alert.get_content()
        with qtbot.waitSignal(panel.sig_loaded, timeout=3000):
            click(qtbot, panel.refresh_button)
        assert panel.alert_text() == ALERT_KO.format(count=1)

        # Staff record the reason and a new date; the visitor is told by e-mail.
        open_row(qtbot, ctx, panel, receipt.receipt)
        panel.reason_edit.setText("조명 부품을 주문했습니다.")
        panel.date_edit.setDate(QDate(2026, 12, 8))
        wait_step(qtbot, ctx, panel, panel.delay_button)
        delay_mail = messages(box)[-1]
        assert delay_mail["To"] == VISITOR
        assert "조명 부품을 주문했습니다." in delay_mail.get_content() and "2026-12-08" in delay_mail.get_content()

        # ... and answer: the answer reaches the visitor's mailbox.
        clock.advance(days=3)
        panel.answer_edit.setPlainText("주차장 조명 12개를 모두 교체했습니다. 감사합니다.")
        wait_step(qtbot, ctx, panel, panel.answer_button)
        answer_mail = messages(box)[-1]
        assert answer_mail["To"] == VISITOR and receipt.receipt in answer_mail["Subject"]
        assert "주차장 조명 12개를 모두 교체했습니다." in answer_mail.get_content()
        assert len(box.received) == 3  # reminder, delay, answer: each once

        # The visitor, back at the kiosk: receipt + PIN show the answer.
        click(qtbot, kiosk.status_button)
        tap(qtbot, voice.keyboard, receipt.receipt)
        click(qtbot, voice.keyboard.done_key)
        tap(qtbot, voice.keyboard, receipt.pin)
        with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
            click(qtbot, voice.lookup_button)
        assert voice.step == STEP_STATUS
        assert voice.answer_label.text() == "주차장 조명 12개를 모두 교체했습니다. 감사합니다."
        settle(ctx, qtbot)
    finally:
        ctx.watcher.stop()
        ctx.ops.wait()
        app.close()
        boxes.close()
