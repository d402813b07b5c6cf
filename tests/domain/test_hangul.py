"""Hangul composition from 2-beolsik keys: what a visitor sees while typing on the touch keyboard."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.hangul import (
    CONSONANT_KEYS,
    VOWEL_KEYS,
    HangulComposer,
    compose,
    decompose,
    is_hangul,
    keystrokes,
)


def typed(keys: str) -> HangulComposer:
    composer = HangulComposer()
    composer.type(keys)
    return composer


def final_text(keys: str) -> str:
    composer = typed(keys)
    composer.commit()
    return composer.text


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("ㅈㅜㅊㅏ ㅎㅓㄱㅏ ㅁㅜㄴㅇㅡㅣㄷㅡㄹㅣㅂㄴㅣㄷㅏ", "주차 허가 문의드립니다"),
        ("ㄱㅏㅁㅅㅏㅎㅏㅂㄴㅣㄷㅏ", "감사합니다"),
        ("ㄷㅏㄹㄱㄱㅗㄱㅣ", "닭고기"),
        ("ㄱㅗㅐㄴㅊㅏㄴㅎㅇㅏㅇㅛ", "괜찮아요"),
        ("ㅇㅣㄹㄱㅇㅓㅆㅅㅡㅂㄴㅣㄷㅏ", "읽었습니다"),
        ("ㅇㅏㄴㅈㅇㅏㅅㅓ", "앉아서"),
        ("ㅇㅓㅂㅅㅇㅓㅇㅛ", "없어요"),
        ("ㅆㅡㄹㅔㄱㅣ", "쓰레기"),
        ("ㅎㅗㅏㅈㅏㅇㅅㅣㄹㅇㅣ ㄷㅓㄹㅓㅇㅜㅓㅇㅛ.", "화장실이 더러워요."),
        ("ㅇㅗㅐ ㅇㅏㄴ ㄷㅗㅐㅇㅛ? ㅇㅡㅣㅈㅏㄱㅏ ㅁㅗㅈㅏㄹㅏㅇㅛ!", "왜 안 돼요? 의자가 모자라요!"),
        ("ㅅㅗㅣㄱㅗㄱㅣ ㄱㅜㅣㅅㅣㄴ ㅜㅔ", "쇠고기 귀신 ㅞ"),
    ],
)
def test_typing_words_and_sentences_gives_the_hangul_a_visitor_expects(keys: str, expected: str) -> None:
    assert final_text(keys) == expected
    assert keystrokes(expected) == keys  # and the same keys are what keystrokes() says to press


def test_the_syllable_being_composed_is_shown_before_it_is_committed() -> None:
    composer = typed("ㄱㅏㄱ")
    assert (composer.text, composer.preedit) == ("", "각")
    composer.press("ㅏ")  # the final moves on: 각 + ㅏ → 가가
    assert (composer.text, composer.preedit, composer.composed) == ("가", "가", "가가")
    composer = typed("ㄷㅏㄹㄱ")
    composer.press("ㅏ")  # only the cluster's second half moves: 닭 + ㅏ → 달가
    assert (composer.text, composer.preedit) == ("달", "가")
    assert composer.commit() == "가"
    assert (composer.text, composer.preedit) == ("달가", "")


def test_compound_vowels_and_finals_join_in_the_syllable() -> None:
    vowels = {"ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ"}
    for keys, vowel in vowels.items():
        assert typed("ㅇ" + keys).preedit == compose("ㅇ", vowel)
        assert typed(keys).preedit == vowel  # a lone compound vowel shows as its jamo
    finals = ["ㄱㅅ", "ㄴㅈ", "ㄴㅎ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅂㅅ"]
    for keys, final in zip(finals, "ㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ", strict=True):
        assert typed("ㄱㅏ" + keys).preedit == compose("ㄱ", "ㅏ", final)


def test_consonants_that_cannot_close_a_syllable_start_a_new_one() -> None:
    for double in "ㄸㅃㅉ":
        composer = typed("ㄱㅏ" + double)
        assert (composer.text, composer.preedit) == ("가", double)
    assert final_text("ㄱㅏㄲ") == "갂" and final_text("ㄱㅏㅆ") == "갔"  # ㄲ and ㅆ can
    assert final_text("ㄱㅏㄱㄱㅏ") == "각가"  # ㄱ + ㄱ is no cluster
    assert final_text("ㄱㅏㄹㄱㅅㅏ") == "갉사"  # a full cluster closes the syllable
    assert final_text("ㅗㅓ") == "ㅗㅓ"  # vowels that do not combine


def test_lone_jamo_are_committed_as_compatibility_jamo() -> None:
    assert final_text("ㅋㅋㅋ") == "ㅋㅋㅋ"
    assert final_text("ㅏㄱ") == "ㅏㄱ"
    assert final_text("ㅠㅠ") == "ㅠㅠ"
    text = final_text("ㄱㄲ.ㅏㅗㅏㅡㅣ")
    assert text == "ㄱㄲ.ㅏㅘㅢ"
    assert all(0x3131 <= ord(ch) <= 0x318E for ch in text.replace(".", ""))  # the Hangul Compatibility Jamo block


def test_backspace_undoes_one_jamo_then_deletes_committed_characters() -> None:
    composer = typed("ㄱㅏ ㄷㅏㄹㄱ")
    seen = []
    for _ in range(7):
        seen.append(composer.composed)
        composer.backspace()
    assert seen == ["가 닭", "가 달", "가 다", "가 ㄷ", "가 ", "가", ""]
    composer.backspace()  # nothing left: nothing happens
    assert composer.composed == ""


def test_backspace_after_a_final_moved_on_starts_from_the_new_syllable() -> None:
    composer = typed("ㄱㅗㅏㄴㅇㅣ")  # 관 + ㅇ + ㅣ → 관이
    composer.backspace()
    assert (composer.text, composer.preedit) == ("관", "ㅇ")
    composer = typed("ㄷㅏㄹㄱㅏ")  # 달가
    composer.backspace()
    assert composer.composed == "달ㄱ"
    composer.backspace()
    assert composer.composed == "달"
    composer.backspace()  # 달 was committed when 가 began: it goes as a whole
    assert composer.composed == ""
    composer = typed("ㄱㅗㅏ")
    composer.backspace()
    assert composer.preedit == "고"  # a compound vowel comes apart one key at a time


def test_english_digits_and_punctuation_share_the_buffer_with_hangul() -> None:
    assert final_text("Room 3ㅇㅔ ㅈㅜㅊㅏ(parking) OK?") == "Room 3에 주차(parking) OK?"
    composer = typed("ㅎㅏㄴ")
    composer.press("A")  # a Latin letter ends the syllable
    assert (composer.text, composer.preedit) == ("한A", "")
    assert final_text("<b>ㄱㅏ</b>") == "<b>가</b>"  # typed as characters, nothing interprets them
    assert final_text("ㄱㅏ\nㄴㅏ") == "가\n나"


def test_take_text_hands_over_what_was_committed_and_keeps_the_preedit() -> None:
    composer = typed("ㅈㅜㅊㅏ ㅎㅓ")
    assert composer.take_text() == "주차 "
    assert (composer.text, composer.preedit) == ("", "허")
    composer.press("ㄱ")
    composer.press("ㅏ")
    assert (composer.take_text(), composer.preedit) == ("허", "가")


def test_a_key_is_one_character() -> None:
    with pytest.raises(ValueError):
        HangulComposer().press("ㄱㅏ")
    with pytest.raises(ValueError):
        HangulComposer().press("")


def test_compose_and_decompose_cover_every_syllable() -> None:
    for code in range(0xAC00, 0xD7A4):
        assert compose(*decompose(chr(code))) == chr(code)
    with pytest.raises(ValueError):
        decompose("A")


# -- properties -----------------------------------------------------------------------------------

BACKSPACE, COMMIT = "⌫", "⏎"
OTHER = "abcXYZ019 .,?!<>-'\"~:/@"
key_presses = st.lists(
    st.sampled_from(sorted(CONSONANT_KEYS | VOWEL_KEYS) + list(OTHER) + [BACKSPACE, COMMIT]), max_size=60
)


@given(key_presses)
def test_any_key_sequence_gives_valid_text(keys: list[str]) -> None:
    composer = HangulComposer()
    for key in keys:
        if key == BACKSPACE:
            composer.backspace()
        elif key == COMMIT:
            assert composer.commit() == "" or composer.preedit == ""
        else:
            composer.press(key)
        assert len(composer.preedit) <= 1
    result = composer.composed
    assert unicodedata.is_normalized("NFC", result)
    assert all(is_hangul(ch) or ch in OTHER for ch in result)
    committed = composer.commit()
    assert composer.text == result and composer.preedit == "" and result.endswith(committed)


syllables = st.integers(0xAC00, 0xD7A3).map(chr)
hangul_text = st.lists(st.one_of(syllables, syllables, syllables, st.sampled_from(OTHER)), max_size=40).map("".join)


@given(hangul_text)
def test_typing_the_keystrokes_of_a_text_gives_the_text_back(text: str) -> None:
    keys = keystrokes(text)
    assert all(k in CONSONANT_KEYS or k in VOWEL_KEYS or k in OTHER for k in keys)  # all on the keyboard
    assert final_text(keys) == text


@given(hangul_text, st.integers(0, 4))
def test_backspace_returns_to_an_earlier_screen(text: str, n: int) -> None:
    """Typing n more keys and pressing backspace n times shows what was there before (within a syllable)."""
    composer = typed(keystrokes(text))
    before = composer.composed
    extra = "ㄷㅏㄹㄱ"[:n]
    composer.commit()
    composer.type(extra)
    for _ in extra:
        composer.backspace()
    assert composer.composed == before
