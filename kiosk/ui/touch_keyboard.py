"""The on-screen keyboard: Korean 2-beolsik and English QWERTY, composing Hangul without an IME.

Kiosks have no physical keyboard and often no input method, so the keyboard composes Hangul
itself (:class:`kiosk.domain.hangul.HangulComposer`) and hands the target editor what was
committed plus the syllable being composed as an input-method *preedit*
(``QInputMethodEvent``): the editor shows it underlined at the cursor, live, but its ``text()``
is always exactly the committed text. Switching the target, focusing another widget, touching the
editor, the 한/영 key and the done key all commit the syllable first, so nothing typed is lost.

Keys are ``TouchButton``\\ s: an accessible name in the UI language ("ㄱ 기역", "지우기
(백스페이스)"), a touch-sized minimum and ``sig_key_pressed`` so voice guidance can say each key.
Keys are reachable with Tab (keypad users) but never take focus on touch, so the editor keeps its
cursor. Text goes into the editor as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QInputMethodEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QGridLayout, QLineEdit, QPlainTextEdit, QWidget

from kiosk.domain.hangul import HangulComposer
from kiosk.i18n import tr
from kiosk.ui.theme import MIN_TOUCH_PX, STANDARD, Palette
from kiosk.ui.widgets import TouchButton

Target = QLineEdit | QPlainTextEdit
"""The editors the keyboard types into."""

KOREAN, ENGLISH = "ko", "en"

COLUMNS = 24
"""The grid is 12 keys wide in half-key columns, so rows can be offset by half a key."""

_KO_SHIFT = {"ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ"}
_LETTER_ROWS = (
    ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "qwertyuiop"),
    ("ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "asdfghjkl"),
    ("ㅋㅌㅊㅍㅠㅜㅡ", "zxcvbnm"),
)
"""The 2-beolsik letters sit on the QWERTY keys they share with English."""
_DIGITS, _DIGITS_SHIFTED = "1234567890", "!@#$%^&*()"
_EXTRAS = ((("-", "_"), ("'", '"')), (("~", "/"), (":", ";")), ((",", "<"), (".", ">"), ("?", "!")))
"""Punctuation at the end of each letter row: (plain, with shift), the same in both layouts."""

JAMO_NAMES = {
    "ㄱ": "giyeok",
    "ㄲ": "ssanggiyeok",
    "ㄴ": "nieun",
    "ㄷ": "digeut",
    "ㄸ": "ssangdigeut",
    "ㄹ": "rieul",
    "ㅁ": "mieum",
    "ㅂ": "bieup",
    "ㅃ": "ssangbieup",
    "ㅅ": "siot",
    "ㅆ": "ssangsiot",
    "ㅇ": "ieung",
    "ㅈ": "jieut",
    "ㅉ": "ssangjieut",
    "ㅊ": "chieut",
    "ㅋ": "kieuk",
    "ㅌ": "tieut",
    "ㅍ": "pieup",
    "ㅎ": "hieut",
    "ㅏ": "a",
    "ㅐ": "ae",
    "ㅑ": "ya",
    "ㅒ": "yae",
    "ㅓ": "eo",
    "ㅔ": "e",
    "ㅕ": "yeo",
    "ㅖ": "ye",
    "ㅗ": "o",
    "ㅛ": "yo",
    "ㅜ": "u",
    "ㅠ": "yu",
    "ㅡ": "eu",
    "ㅣ": "i",
}
"""Catalog ids (``keyboard.jamo.*``) of the jamo names read out for each Korean key."""

SYMBOL_NAMES = {
    "!": "exclamation",
    "@": "at",
    "#": "number_sign",
    "$": "dollar",
    "%": "percent",
    "^": "caret",
    "&": "ampersand",
    "*": "asterisk",
    "(": "left_paren",
    ")": "right_paren",
    "-": "hyphen",
    "_": "underscore",
    "'": "apostrophe",
    '"': "quotation",
    "~": "tilde",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    ",": "comma",
    "<": "less_than",
    ".": "period",
    ">": "greater_than",
    "?": "question",
}
"""Catalog ids (``keyboard.symbol.*``) of the punctuation names."""


@dataclass(frozen=True)
class CharKey:
    """What one character key types in each layout, without and with shift."""

    ko: str
    ko_shift: str
    en: str
    en_shift: str

    def output(self, layout: str, shifted: bool) -> str:
        if layout == KOREAN:
            return self.ko_shift if shifted else self.ko
        return self.en_shift if shifted else self.en


def key_name(char: str, lang: str) -> str:
    """The accessible (and spoken) name of the key that types ``char``, in the UI language."""
    if char in JAMO_NAMES:
        return tr("keyboard.key_jamo", lang, char=char, name=tr(f"keyboard.jamo.{JAMO_NAMES[char]}", lang))
    if char.isascii() and char.isalpha():
        template = "keyboard.key_upper" if char.isupper() else "keyboard.key_lower"
        return tr(template, lang, char=char, name=tr(f"keyboard.letter.{char.lower()}", lang))
    if char.isdigit():
        return tr("keyboard.key_digit", lang, char=char)
    if char in SYMBOL_NAMES:
        return tr("keyboard.key_symbol", lang, char=char, name=tr(f"keyboard.symbol.{SYMBOL_NAMES[char]}", lang))
    return char


def keyboard_style(p: Palette = STANDARD, scale: float = 1.0, min_font_px: int = 0) -> str:
    """The keyboard's style sheet for a palette (high contrast too), sizes multiplied by ``scale``.

    ``min_font_px`` is the smallest font size the screen allows (see ``kiosk_style``).
    """

    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    return f"""
QWidget#touchKeyboard {{ background: {p.bg}; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: 2px solid {p.primary}; border-radius: 10px;
    padding: 2px; font-size: {t(34)}px; }}
QPushButton#action {{ font-size: {t(24)}px; }}
QPushButton#action:checked, QPushButton:pressed {{ background: {p.primary}; color: {p.primary_text}; }}
QPushButton#done {{ background: {p.primary}; color: {p.primary_text}; font-size: {t(24)}px; font-weight: bold; }}
QPushButton:focus {{ border: 5px solid {p.focus}; }}
"""


class TouchKeyboard(QWidget):
    """An on-screen keyboard that types into a ``QLineEdit`` or ``QPlainTextEdit`` (:meth:`set_target`)."""

    sig_key_pressed = Signal(str)
    """A key was pressed: its spoken label in the UI language ("ㄲ 쌍기역", "지우기 (백스페이스)"),
    for voice guidance to say. Shift and 한/영 give their new state."""

    sig_layout_changed = Signal(str)
    """The keys switched to another layout: ``"ko"`` (2-beolsik) or ``"en"`` (QWERTY)."""

    sig_done = Signal()
    """The visitor pressed the done key; the syllable being composed has been committed."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        lang: str = "ko",
        layout: str = KOREAN,
        min_key_px: int = MIN_TOUCH_PX,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("touchKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._lang = lang
        self._layout = layout if layout in (KOREAN, ENGLISH) else KOREAN
        self._shifted = False
        self._min_key_px = min_key_px
        self._composer = HangulComposer()
        self._target: Target | None = None
        self._char_keys: list[tuple[TouchButton, CharKey]] = []

        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(10)  # ≥ 2.5 mm between keys
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)

        for i, (digit, shifted) in enumerate(zip(_DIGITS, _DIGITS_SHIFTED, strict=True)):
            self._add_char(grid, 0, 2 * i, CharKey(digit, shifted, digit, shifted))
        self.backspace_key = self._add_action(grid, 0, 20, 4, self._on_backspace)
        self.backspace_key.setAutoRepeat(True)  # holding it keeps deleting, as on any keyboard
        self.backspace_key.setAutoRepeatDelay(600)
        starts = (0, 1, 4)  # the middle row is offset by half a key; the last starts after shift
        for row, ((ko, en), extras, start) in enumerate(zip(_LETTER_ROWS, _EXTRAS, starts, strict=True), start=1):
            for i, (k, e) in enumerate(zip(ko, en, strict=True)):
                self._add_char(grid, row, start + 2 * i, CharKey(k, _KO_SHIFT.get(k, k), e, e.upper()))
            column = start + 2 * len(ko)
            for i, (plain, shifted) in enumerate(extras):
                self._add_char(grid, row, column + 2 * i, CharKey(plain, shifted, plain, shifted))
        self.shift_key = self._add_action(grid, 3, 0, 4, self._on_shift)
        self.shift_key.setCheckable(True)
        self.toggle_key = self._add_action(grid, 4, 0, 4, self._on_toggle)
        self.space_key = self._add_action(grid, 4, 4, 16, lambda: self._type(" ", self.space_key))
        self.done_key = self._add_action(grid, 4, 20, 4, self._on_done)
        self.done_key.setObjectName("done")

        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.apply_style()
        self._relabel()

    # -- public API --------------------------------------------------------------------------------

    @property
    def layout_name(self) -> str:
        """The active layout: ``"ko"`` or ``"en"``."""
        return self._layout

    @property
    def shifted(self) -> bool:
        return self._shifted

    @property
    def preedit(self) -> str:
        """The syllable being composed (shown in the target, not yet part of its text)."""
        return self._composer.preedit

    @property
    def min_key_px(self) -> int:
        return self._min_key_px

    @property
    def target(self) -> Target | None:
        return self._target

    def set_target(self, target: Target | None) -> None:
        """Type into ``target`` from now on; the syllable being composed stays with the old target."""
        if target is self._target:
            return
        self.commit()
        old = self._target
        if old is not None:
            for watched in self._watched(old):
                watched.removeEventFilter(self)
            old.destroyed.disconnect(self._on_target_destroyed)
        self._target = target
        if target is not None:
            for watched in self._watched(target):
                watched.installEventFilter(self)
            target.destroyed.connect(self._on_target_destroyed)

    def commit(self) -> str:
        """Commit the syllable being composed into the target; returns it (``""`` if none)."""
        done = self._composer.commit()
        self._send()
        return done

    def set_language(self, lang: str) -> None:
        """The UI language of the labels and accessible names (not the layout)."""
        self._lang = lang
        self._relabel()

    def set_layout(self, layout: str) -> None:
        """Show the Korean (``"ko"``) or English (``"en"``) keys; commits the syllable being composed."""
        if layout not in (KOREAN, ENGLISH) or layout == self._layout:
            return
        self.commit()
        self._layout = layout
        self._set_shift(False)
        self.sig_layout_changed.emit(layout)

    def apply_style(self, palette: Palette = STANDARD, scale: float = 1.0, min_font_px: int = 0) -> None:
        """Colours and sizes of the screen hosting the keyboard (high contrast, large text)."""
        self.setStyleSheet(keyboard_style(palette, scale, min_font_px))

    def buttons(self) -> list[TouchButton]:
        """Every key, character keys first."""
        actions = [self.backspace_key, self.shift_key, self.toggle_key, self.space_key, self.done_key]
        return [b for b, _ in self._char_keys] + actions

    def key_for(self, char: str) -> TouchButton | None:
        """The character key that types ``char`` right now (layout and shift as they are), if any."""
        for button, key in self._char_keys:
            if key.output(self._layout, self._shifted) == char:
                return button
        return None

    # -- building ----------------------------------------------------------------------------------

    def _new_key(self, grid: QGridLayout, row: int, column: int, span: int) -> TouchButton:
        button = TouchButton(min_px=self._min_key_px)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # keypad users reach it; a touch leaves the cursor
        grid.addWidget(button, row, column, 1, span)
        return button

    def _add_char(self, grid: QGridLayout, row: int, column: int, key: CharKey) -> None:
        button = self._new_key(grid, row, column, 2)
        button.setObjectName("key")
        button.clicked.connect(lambda _=False, b=button, k=key: self._type(k.output(self._layout, self._shifted), b))
        self._char_keys.append((button, key))

    def _add_action(self, grid: QGridLayout, row: int, column: int, span: int, slot: Callable[[], None]) -> TouchButton:
        button = self._new_key(grid, row, column, span)
        button.setObjectName("action")
        button.clicked.connect(lambda _=False: slot())
        return button

    def _relabel(self) -> None:
        lang = self._lang
        for button, key in self._char_keys:
            char = key.output(self._layout, self._shifted)
            button.set_label(char.replace("&", "&&"), key_name(char, lang))  # a lone & would be a mnemonic
        layout = tr(f"keyboard.layout_{self._layout}", lang)
        state = tr("keyboard.shift_on" if self._shifted else "keyboard.shift_off", lang)
        effect = tr(f"keyboard.shift_effect_{self._layout}", lang)
        self.backspace_key.set_label(tr("keyboard.backspace", lang), tr("keyboard.backspace_name", lang))
        shift_name = tr("keyboard.shift_name", lang, state=state, effect=effect)
        self.shift_key.set_label(tr("keyboard.shift", lang), shift_name)
        self.toggle_key.set_label(tr("keyboard.toggle", lang), tr("keyboard.toggle_name", lang, layout=layout))
        self.space_key.set_label(tr("keyboard.space", lang), tr("keyboard.space_name", lang))
        self.done_key.set_label(tr("keyboard.done", lang), tr("keyboard.done_name", lang))
        self.setAccessibleName(tr("keyboard.name", lang, layout=layout))

    # -- keys --------------------------------------------------------------------------------------

    def _type(self, char: str, button: TouchButton) -> None:
        self.sig_key_pressed.emit(button.accessibleName())
        self._composer.press(char)
        self._send()
        if self._shifted:
            self._set_shift(False)  # shift is for one key, as on a phone

    def _on_backspace(self) -> None:
        self.sig_key_pressed.emit(self.backspace_key.accessibleName())
        if self._composer.preedit:
            self._composer.backspace()  # one jamo of the syllable being composed
            self._send()
        elif isinstance(self._target, QLineEdit):
            self._target.backspace()
        elif isinstance(self._target, QPlainTextEdit):
            cursor = self._target.textCursor()
            cursor.deletePreviousChar()
            self._target.setTextCursor(cursor)

    def _on_shift(self) -> None:
        self._set_shift(not self._shifted)
        self.sig_key_pressed.emit(self.shift_key.accessibleName())

    def _set_shift(self, on: bool) -> None:
        self._shifted = on
        self.shift_key.setChecked(on)
        self._relabel()

    def _on_toggle(self) -> None:
        self.set_layout(ENGLISH if self._layout == KOREAN else KOREAN)
        self.sig_key_pressed.emit(self.toggle_key.accessibleName())

    def _on_done(self) -> None:
        self.commit()
        self.sig_key_pressed.emit(self.done_key.accessibleName())
        self.sig_done.emit()

    # -- the target --------------------------------------------------------------------------------

    def _send(self) -> None:
        """Give the target what was committed and show the preedit at its cursor, underlined."""
        committed = self._composer.take_text()
        preedit = self._composer.preedit
        if self._target is None:
            return
        underline = QTextCharFormat()
        underline.setFontUnderline(True)
        kind = QInputMethodEvent.AttributeType
        attributes = [
            QInputMethodEvent.Attribute(kind.TextFormat, 0, len(preedit), underline),
            QInputMethodEvent.Attribute(kind.Cursor, len(preedit), 1),
        ]
        event = QInputMethodEvent(preedit, attributes if preedit else [])
        event.setCommitString(committed)
        QCoreApplication.sendEvent(self._target, event)

    @staticmethod
    def _watched(target: Target) -> list[QObject]:
        return [target, target.viewport()] if isinstance(target, QPlainTextEdit) else [target]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A touch in the editor or a real key press there commits first: the cursor may move."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) and self._composer.preedit:
            self.commit()
        return super().eventFilter(watched, event)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Focus moving from the target to anything but the keyboard commits the syllable."""
        if self._target is None or old is not self._target or not self._composer.preedit:
            return
        if new is not None and (new is self or self.isAncestorOf(new)):
            return
        self.commit()

    def hideEvent(self, event: QHideEvent) -> None:
        """The keyboard going away (another screen, the form closing) commits what was being composed."""
        self.commit()
        super().hideEvent(event)

    def _on_target_destroyed(self) -> None:
        self._target = None
        self._composer.clear()
