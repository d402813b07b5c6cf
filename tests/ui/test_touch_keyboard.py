"""The on-screen keyboard, tapped like a visitor would: Hangul composed live without an IME,
English, shift, backspace, accessible names and touch sizes, and text that stays plain text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.touch_keyboard import ENGLISH, KOREAN, TouchKeyboard
from tests.ui.conftest import accessible_name

WIDTH = 1080
_windows: list[QWidget] = []
"""The windows of the current test (qtbot holds widgets only weakly)."""


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    yield
    _windows.clear()


def _keyboard(
    qtbot: QtBot, target: QLineEdit | QPlainTextEdit | None = None, *others: QWidget, **kw: object
) -> TouchKeyboard:
    """A keyboard under an editor (and ``others``) in one 1080 px wide window, the editor focused."""
    window = QWidget()
    box = QVBoxLayout(window)
    kb = TouchKeyboard(**kw)  # type: ignore[arg-type]
    for w in (target, *others):
        if w is not None:
            box.addWidget(w)
    box.addWidget(kb)
    qtbot.addWidget(window)
    _windows.append(window)
    window.resize(WIDTH, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    if target is not None:
        kb.set_target(target)
        target.setFocus()
        assert target.hasFocus()
    return kb


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tap(qtbot: QtBot, kb: TouchKeyboard, keys: str) -> None:
    """Tap the keys that type ``keys`` (space bar for " ", shift first where a character needs it)."""
    for ch in keys:
        button = kb.space_key if ch == " " else kb.key_for(ch)
        if button is None:
            _click(qtbot, kb.shift_key)
            button = kb.key_for(ch)
        assert button is not None, f"no key types {ch!r}"
        _click(qtbot, button)


def test_tapping_jamo_keys_types_korean_into_a_line_edit(qtbot: QtBot) -> None:
    edit = QLineEdit()
    kb = _keyboard(qtbot, edit)
    seen = []
    for ch in "ㅈㅜㅊㅏ ㅎㅓㄱㅏ":
        tap(qtbot, kb, ch)
        seen.append((edit.text(), kb.preedit))
    assert seen == [
        ("", "ㅈ"),
        ("", "주"),
        ("", "줓"),  # the ㅊ closes 주 for now ...
        ("주", "차"),  # ... and moves on when a vowel follows
        ("주차 ", ""),
        ("주차 ", "ㅎ"),
        ("주차 ", "허"),
        ("주차 ", "헉"),
        ("주차 허", "가"),
    ]
    assert edit.hasFocus()  # tapping keys never took the cursor away from the editor
    with qtbot.waitSignal(kb.sig_done):
        _click(qtbot, kb.done_key)
    assert (edit.text(), kb.preedit) == ("주차 허가", "")


def test_the_syllable_being_composed_shows_in_the_editor_but_is_not_its_text(qtbot: QtBot) -> None:
    edit = QLineEdit()
    kb = _keyboard(qtbot, edit)
    tap(qtbot, kb, "ㅁㅜㄴㅇㅡㅣ")
    assert (edit.text(), kb.preedit) == ("문", "의")
    shown = edit.grab().toImage()
    twin = QLineEdit("문")
    twin.resize(edit.size())
    assert shown != twin.grab().toImage()  # 의 is drawn after 문, though not committed yet
    kb.commit()
    assert edit.text() == "문의"


def test_backspace_takes_one_jamo_back_then_deletes_committed_text(qtbot: QtBot) -> None:
    edit = QLineEdit("가 ")
    kb = _keyboard(qtbot, edit)
    tap(qtbot, kb, "ㄷㅏㄹㄱ")
    seen = []
    for _ in range(7):
        seen.append((edit.text(), kb.preedit))
        _click(qtbot, kb.backspace_key)
    assert seen == [("가 ", "닭"), ("가 ", "달"), ("가 ", "다"), ("가 ", "ㄷ"), ("가 ", ""), ("가", ""), ("", "")]
    assert edit.text() == ""


def test_the_han_yeong_key_switches_to_english_and_back(qtbot: QtBot) -> None:
    edit = QLineEdit()
    kb = _keyboard(qtbot, edit)
    tap(qtbot, kb, "ㅎㅏㄴ")
    with qtbot.waitSignal(kb.sig_layout_changed) as changed:
        _click(qtbot, kb.toggle_key)
    assert changed.args == [ENGLISH]
    assert (edit.text(), kb.preedit) == ("한", "")  # switching commits the syllable
    assert kb.key_for("ㅂ") is None and kb.key_for("q") is not None
    tap(qtbot, kb, "ok 12?")
    assert edit.text() == "한ok 12?"
    _click(qtbot, kb.toggle_key)
    assert kb.layout_name == KOREAN
    tap(qtbot, kb, "ㄱㅏ")
    kb.commit()
    assert edit.text() == "한ok 12?가"


def test_shift_gives_double_consonants_and_capitals_for_one_key(qtbot: QtBot) -> None:
    edit = QLineEdit()
    kb = _keyboard(qtbot, edit)
    spoken: list[str] = []
    kb.sig_key_pressed.connect(spoken.append)
    _click(qtbot, kb.shift_key)
    assert kb.shifted and kb.shift_key.isChecked()
    assert kb.key_for("ㄲ") is not None and kb.key_for("ㄱ") is None  # the keys show what they type now
    _click(qtbot, kb.key_for("ㄲ"))  # type: ignore[arg-type]
    assert not kb.shifted  # shift is for one key
    tap(qtbot, kb, "ㅗㅊ")
    assert kb.preedit == "꽃"
    assert spoken[:2] == ["시프트 켜짐: 쌍자음과 ㅒ, ㅖ", "ㄲ 쌍기역"]  # what voice guidance says
    tap(qtbot, kb, " ㅇㅒ ")  # ㅒ takes shift too
    _click(qtbot, kb.toggle_key)
    _click(qtbot, kb.shift_key)
    tap(qtbot, kb, "Hi!")
    assert edit.text() == "꽃 얘 Hi!"


def test_every_key_has_a_name_and_a_touch_sized_target(qtbot: QtBot) -> None:
    kb = _keyboard(qtbot, QLineEdit())
    assert accessible_name(kb.key_for("ㄱ")) == "ㄱ 기역"  # type: ignore[arg-type]
    assert accessible_name(kb.backspace_key) == "지우기 (백스페이스)"
    for lang in ("ko", "en"):
        kb.set_language(lang)
        for layout in (KOREAN, ENGLISH):
            kb.set_layout(layout)
            for shift in (False, True):
                if kb.shifted != shift:
                    _click(qtbot, kb.shift_key)
                qtbot.wait(1)
                for key in kb.buttons():
                    name = accessible_name(key)
                    assert name.strip(), (lang, layout, shift, key.text())
                    assert key.text().strip() and "&" not in key.text().replace("&&", ""), name  # no mnemonic eats &
                    assert key.width() >= kb.min_key_px and key.height() >= kb.min_key_px, name
                    assert key.sizeHint().width() <= key.width() + 2, f"{name}: label clipped"
                    assert key.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable from a keypad
                    assert key.mapTo(kb, key.rect().bottomRight()).x() < WIDTH
    assert accessible_name(kb.key_for("A")) == "capital A"  # type: ignore[arg-type]
    assert accessible_name(kb.backspace_key) == "Backspace — delete"
    assert kb.minimumSizeHint().width() <= WIDTH


@pytest.mark.parametrize("min_px", [60, 76])
def test_the_minimum_key_size_is_configurable(qtbot: QtBot, min_px: int) -> None:
    kb = _keyboard(qtbot, QLineEdit(), min_key_px=min_px)
    assert all(k.width() >= min_px and k.height() >= min_px for k in kb.buttons())
    assert {k.minimumHeight() for k in kb.buttons()} == {min_px}  # the setting is what sizes the keys
    assert kb.minimumSizeHint().width() <= WIDTH


def test_a_plain_text_target_never_interprets_markup(qtbot: QtBot) -> None:
    box = QPlainTextEdit()
    kb = _keyboard(qtbot, box, layout=ENGLISH)
    tap(qtbot, kb, "<b>")
    _click(qtbot, kb.toggle_key)
    tap(qtbot, kb, "ㄱㅏ")
    _click(qtbot, kb.done_key)
    assert box.toPlainText() == "<b>가"
    block = box.document().firstBlock()
    assert not block.charFormat().font().bold()  # shown as typed: no bold, no tags eaten


def test_switching_the_target_or_moving_focus_commits(qtbot: QtBot) -> None:
    first, second, elsewhere = QLineEdit(), QLineEdit(), QLineEdit()
    kb = _keyboard(qtbot, first, second, elsewhere)
    tap(qtbot, kb, "ㄱㅏ")
    kb.set_target(second)
    assert (first.text(), kb.preedit) == ("가", "")
    second.setFocus()
    tap(qtbot, kb, "ㄴㅏ")
    assert (second.text(), kb.preedit) == ("", "나")
    elsewhere.setFocus()  # the visitor touched another field
    qtbot.waitUntil(lambda: second.text() == "나")
    assert kb.preedit == ""
    tap(qtbot, kb, "ㄷㅏ")
    kb.hide()  # the form moved on: the keyboard goes away
    assert (second.text(), kb.preedit) == ("나다", "")


def test_touching_the_editor_commits_before_the_cursor_moves(qtbot: QtBot) -> None:
    edit = QLineEdit("끝")
    kb = _keyboard(qtbot, edit)
    edit.setCursorPosition(0)
    tap(qtbot, kb, "ㅁㅏㄹ")
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=edit.rect().center())
    assert (edit.text(), kb.preedit) == ("말끝", "")


def test_a_deleted_target_is_forgotten(qtbot: QtBot) -> None:
    edit = QLineEdit()
    kb = _keyboard(qtbot, edit)
    tap(qtbot, kb, "ㄱ")
    edit.setParent(None)
    edit.deleteLater()
    qtbot.waitUntil(lambda: kb.target is None)
    tap(qtbot, kb, "ㅏ")  # nowhere to type into: nothing breaks
    assert kb.preedit == "ㅏ"
