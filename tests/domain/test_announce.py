"""How the calling board reads a call out loud: numbers as a Korean listener expects to hear them."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from kiosk.domain.announce import call_text, counter_ko, number_en, number_ko, sino_korean
from kiosk.i18n import tr


def korean(number: str, counter: int, letters: Mapping[str, str] | None = None, again: str | None = None) -> str:
    return call_text(number, counter, "ko", tr("announce.call", "ko"), letters=letters, again=again)


def english(number: str, counter: int) -> str:
    return call_text(number, counter, "en", tr("announce.call", "en"))


def test_the_call_in_the_issue_reads_as_staff_say_it() -> None:
    assert korean("A-001", 3) == "에이 공공일 번 고객님, 삼번 창구로 오십시오"
    assert english("A-001", 3) == "Number A-0 0 1, please go to counter 3."


@pytest.mark.parametrize(
    ("number", "ko", "en"),
    [
        ("A-001", "에이 공공일", "A-0 0 1"),
        ("B-010", "비 공일공", "B-0 1 0"),
        ("C-100", "씨 일공공", "C-1 0 0"),
        ("A-999", "에이 구구구", "A-9 9 9"),
        ("D-123", "디 일이삼", "D-1 2 3"),
        ("Z-1000", "제트 일공공공", "Z-1 0 0 0"),  # past 999 the number simply grows a digit
        ("A-K1-007", "에이 케이 일, 공공칠", "A-K-1, 0 0 7"),  # an offline kiosk's number keeps its tag
        ("B-DESK-042", "비 디 이 에스 케이, 공사이", "B-D-E-S-K, 0 4 2"),
        ("AB-005", "에이 비 공공오", "A-B-0 0 5"),
    ],
)
def test_ticket_numbers_are_read_digit_by_digit_with_gong_for_zero(number: str, ko: str, en: str) -> None:
    assert number_ko(number) == ko
    assert number_en(number) == en
    assert korean(number, 1).startswith(f"{ko} 번 고객님")
    assert english(number, 1).startswith(f"Number {en},")


@pytest.mark.parametrize(
    ("counter", "word"),
    [
        (1, "일번"),
        (2, "이번"),
        (3, "삼번"),
        (4, "사번"),
        (5, "오번"),
        (6, "육번"),
        (7, "칠번"),
        (8, "팔번"),
        (9, "구번"),
        (10, "십번"),
        (11, "십일번"),
        (12, "십이번"),
    ],
)
def test_counters_are_sino_korean_numbers_spelled_in_hangul(counter: int, word: str) -> None:
    assert counter_ko(counter) == word
    assert korean("A-001", counter).endswith(f"{word} 창구로 오십시오")
    assert english("A-001", counter).endswith(f"counter {counter}.")


def test_larger_numbers_follow_korean_usage() -> None:
    assert [sino_korean(n) for n in (0, 20, 21, 99, 100, 101, 110, 1000, 2024)] == [
        "영",
        "이십",
        "이십일",
        "구십구",
        "백",
        "백일",
        "백십",
        "천",
        "이천이십사",
    ]
    assert sino_korean(12345) == "12345"  # beyond what a counter is numbered: left to the engine


def test_the_facilitys_letter_names_win_over_the_defaults() -> None:
    letters = {"A": "가", "k": "케이", "PM": "피엠 민원"}
    assert number_ko("A-001", letters) == "가 공공일"
    assert number_ko("B-001", letters) == "비 공공일"  # the rest keep their default names
    assert number_ko("A-K1-001", letters) == "가 케이 일, 공공일"
    assert number_ko("PM-003", letters) == "피엠 민원 공공삼"  # a whole service code may be renamed
    assert korean("A-001", 3, letters={"A": "가"}) == "가 공공일 번 고객님, 삼번 창구로 오십시오"


def test_a_recall_says_so_and_then_the_same_call() -> None:
    first = korean("A-001", 3)
    again = korean("A-001", 3, again=tr("announce.recall", "ko"))
    assert again == f"다시 한 번 안내합니다. {first}"
    en = call_text("A-001", 3, "en", tr("announce.call", "en"), again=tr("announce.recall", "en"))
    assert en == "Once again: Number A-0 0 1, please go to counter 3."


def test_odd_numbers_are_still_read_not_dropped() -> None:
    assert number_ko(" a-001 ") == "에이 공공일"  # lower case and stray spaces
    assert number_ko("") == ""
    assert number_ko("---") == "---"  # nothing readable: the text as it is, never silence
    assert number_en("007") == "0 0 7"
