"""The voice box's rules: what a note may say, when it is due, how it may end (S9–S13)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import InvalidInput
from kiosk.domain.feedback import (
    RECEIPT_ALPHABET,
    TEXT_LIMIT,
    Category,
    Feedback,
    Handling,
    Status,
    check_contact,
    check_text,
    due_date,
    new_pin,
    new_receipt,
    normalize_receipt,
)
from kiosk.i18n import error_message

DAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _note(category: Category = Category.COMPLAINT) -> Feedback:
    return Feedback("261125-7KQ4", category, "주차장 조명이 어둡습니다.", NOW, DAY)


def _reason(exc: pytest.ExceptionInfo[InvalidInput]) -> object:
    return exc.value.params.get("reason")


def test_simple_notes_are_due_in_7_days_and_reviews_in_14() -> None:
    assert due_date(DAY, Handling.SIMPLE) == date(2026, 12, 2)
    assert due_date(DAY, Handling.REVIEW) == date(2026, 12, 9)
    note = _note().classify(Handling.REVIEW, "staff:lee")
    assert note.due == date(2026, 12, 9) and note.deadline == note.due


def test_a_note_cannot_close_without_a_written_answer() -> None:
    note = _note().classify(Handling.SIMPLE, "lee").assign("민원팀", "lee")
    assert note.status == Status.ASSIGNED
    with pytest.raises(InvalidInput) as empty:
        note.answer_with("   \n ", "lee", NOW)
    assert _reason(empty) == "empty"
    assert "답변을(를) 입력하십시오" in error_message(empty.value, "ko")
    done = note.answer_with("조명을 교체했습니다.", "lee", NOW)
    assert done.status == Status.ANSWERED and not done.open and done.answer == "조명을 교체했습니다."
    with pytest.raises(InvalidInput):
        done.answer_with("again", "lee", NOW)  # answered once: the answer the visitor read stays
    assert [what for what, _who in done.history] == ["classify:simple", "assign:민원팀", "answer"]


def test_the_day_before_the_deadline_an_unanswered_note_needs_a_reason_and_a_new_date() -> None:
    note = _note().classify(Handling.SIMPLE, "lee")  # due 12-02
    assert not note.needs_reminder(date(2026, 11, 30))
    assert note.needs_reminder(date(2026, 12, 1))  # D-1
    assert note.needs_reminder(date(2026, 12, 3)) and note.overdue(date(2026, 12, 3))
    with pytest.raises(InvalidInput) as early:
        note.delay("현장 확인이 필요합니다", date(2026, 12, 2), "lee", date(2026, 12, 1))
    assert early.value.params["field"] == "new_due"  # a "new" date must move the deadline
    delayed = note.delay("현장 확인이 필요합니다", date(2026, 12, 9), "lee", date(2026, 12, 1))
    assert (delayed.status, delayed.deadline, delayed.delay_reason) == (
        Status.DELAYED,
        date(2026, 12, 9),
        "현장 확인이 필요합니다",
    )
    assert not delayed.needs_reminder(date(2026, 12, 1))
    assert delayed.needs_reminder(date(2026, 12, 8))  # the new deadline gets its own D-1
    assert _note().needs_reminder(date(2027, 1, 1))  # never classified: the 7-day deadline still counts
    assert delayed.assign("시설팀", "lee").status == Status.DELAYED  # the visitor still sees the delay


def test_misconduct_reports_are_confidential() -> None:
    assert _note(Category.MISCONDUCT).confidential
    assert not _note(Category.COMPLAINT).confidential


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" \t\n", "empty"),
        ("가" * (TEXT_LIMIT + 1), "too_long"),
        ("정상\u0007벨", "control_character"),
        ("영수증 \u202eKQ7-521162", "direction_control"),
        ("보이지 않는 \u2066격리", "direction_control"),
    ],
)
def test_bad_text_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(text)
    assert _reason(refused) == reason
    for lang in ("ko", "en"):
        message = error_message(refused.value, lang)
        assert message and "{" not in message and "input." not in message


def test_emoji_markup_and_long_notes_within_the_limit_are_kept_exactly() -> None:
    for text in ("감사합니다 👍🏽", "<b>굵게</b> & <script>x</script>", "가" * TEXT_LIMIT, "줄1\r\n줄2\t끝"):
        kept = check_text(text)
        assert kept == text.replace("\r\n", "\n")


@given(st.text(max_size=TEXT_LIMIT + 50))
def test_any_text_is_either_kept_identical_or_refused_with_a_message(text: str) -> None:
    try:
        kept = check_text(text)
    except InvalidInput as exc:
        assert error_message(exc, "ko") and error_message(exc, "en")
        return
    assert kept == text.replace("\r\n", "\n").replace("\r", "\n")
    assert check_text(kept) == kept  # what was accepted is accepted again, unchanged


def test_contacts_are_a_mobile_number_or_an_e_mail() -> None:
    for ok in ("010-1234-5678", "01012345678", "+82 10 1234 5678", "kim@example.kr", "a.b@mail.co.kr"):
        assert check_contact(f" {ok} ") == ok
    for bad in ("02-3150-2101", "123", "kim@", "@example.kr", "김서연", "010-1234-567"):
        with pytest.raises(InvalidInput) as refused:
            check_contact(bad)
        assert "010-1234-5678" in error_message(refused.value, "ko")


def test_receipts_are_dated_unambiguous_and_tagged_offline_and_pins_are_six_digits() -> None:
    receipts = {new_receipt(DAY) for _ in range(200)}
    assert len(receipts) > 195  # random, not a counter a visitor could guess from their own
    for r in receipts:
        day, tail = r.split("-")
        assert day == "261125" and len(tail) == 4 and set(tail) <= set(RECEIPT_ALPHABET)
        assert not set(tail) & set("01ILO")
    assert new_receipt(DAY, "K1").startswith("261125-K1-")
    pins = [new_pin() for _ in range(50)]
    assert all(len(p) == 6 and p.isdigit() for p in pins) and len(set(pins)) > 40


def test_a_receipt_typed_loosely_still_matches() -> None:
    assert normalize_receipt(" 261125-7kq4 ") == "261125-7KQ4"
    assert normalize_receipt("26II25-7KQ4") == "261125-7KQ4"  # I and L read as 1, O as 0: never in a tail
    assert normalize_receipt("261125 - k1 - 7kq4") == "261125-K1-7KQ4"
