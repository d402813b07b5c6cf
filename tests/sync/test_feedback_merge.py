"""Two copies of one note meet at the centre: the merge never reopens an answered note and never
makes a visitor get the same notice twice."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.store.models import FeedbackRow
from kiosk.store.sync_store import _merge_note, _note_values, feedback_snapshot

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _row(**changes: object) -> FeedbackRow:
    row = FeedbackRow(
        receipt="261125-7KQ4",
        category="complaint",
        text="주차장 조명이 어둡습니다.",
        language="ko",
        received_at=T0,
        received_on=date(2026, 11, 25),
        status="received",
        handling=None,
        due=None,
        team="",
        answer="",
        answered_at=None,
        delay_reason="",
        new_due=None,
        name_enc=None,
        contact_enc="sealed",
        consent=True,
        pin_hash="h",
        pin_failures=0,
        locked_until=None,
        request_key="k",
        history=[],
        reminded_on=None,
        notice_pending="",
        updated_at=T0,
        purged_at=None,
    )
    for key, value in changes.items():
        setattr(row, key, value)
    return row


def test_a_later_classify_made_offline_does_not_reopen_an_answered_note() -> None:
    answered = _row(
        status="answered",
        answer="교체했습니다.",
        answered_at=datetime(2026, 11, 25, 1, 3, tzinfo=UTC),
        updated_at=datetime(2026, 11, 25, 1, 3, tzinfo=UTC),
        history=[["answer", "lee"]],
    )
    offline = _row(
        handling="simple",
        due=date(2026, 12, 2),
        updated_at=datetime(2026, 11, 25, 1, 5, tzinfo=UTC),
        history=[["classify:simple", "park"]],
    )
    assert not _merge_note(answered, _note_values(feedback_snapshot(offline)))
    assert (answered.status, answered.answer) == ("answered", "교체했습니다.")


def test_a_stale_copy_does_not_bring_back_a_notice_already_sent() -> None:
    step = {"status": "answered", "answer": "교체했습니다.", "history": [["answer", "lee"]]}
    central = _row(**step, notice_pending="")  # the centre sent the answer
    stale = _row(**step, notice_pending="answer", pin_failures=1)  # a kiosk's copy, a wrong PIN
    assert _merge_note(central, _note_values(feedback_snapshot(stale)))
    assert central.notice_pending == "" and central.pin_failures == 1
