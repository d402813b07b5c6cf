"""The counter-facing tablet: "was your question resolved?" and a 1–5 rating after each visit (S5, S15).

A small screen at counter N faces the visitor. While nobody is being asked it shows the counter
number and a welcome. About once a second it asks the store (off the UI thread) for the visit the
counter completed last; a new one brings up the first question, one tap (예/아니요), then the
rating, one tap (five big buttons); either can be skipped. Then it thanks the visitor, says
goodbye (S5: "안녕히 가십시오") and returns to the welcome a few seconds later, in the facility's
default language and modes. Nobody answering sends it back after ``answer_seconds`` (doubled in
any accessibility mode), keeping whatever was answered.

Each visit is asked once: answers are stored per service and counter, keyed by the visit only so
a double tap counts once (``SurveyService.record``), and the screen remembers the visits it asked
about even when both questions were skipped. Nothing about the visitor or the staff is stored.

Large text, high contrast and voice guidance can be switched on from the bar at the bottom, and
the number keys answer (1 예 / 2 아니요, 1–5, 0 skips) for visitors with a keypad.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.modes import Mode, Modes
from kiosk.services.survey import Visit
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, Palette
from kiosk.ui.widgets import PlainLabel, TouchButton, touch_scroll_area

log = logging.getLogger(__name__)

IDLE, QUESTION, RATING, THANKS = 0, 1, 2, 3
STATE_NAMES = ("idle", "question", "rating", "thanks")
RATINGS = (1, 2, 3, 4, 5)
_DIGITS = {getattr(Qt.Key, f"Key_{i}"): i for i in range(10)}
_BAR_MODES = (
    (Mode.LARGE_TEXT, "common.mode_large"),
    (Mode.HIGH_CONTRAST, "common.mode_contrast"),
    (Mode.VOICE, "common.mode_voice"),
)
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


def survey_style(p: Palette, scale: float = 1.0, min_font_px: int = 0) -> str:
    """The tablet's style sheet: the kiosk's palette and sizes (text never below the 12 mm minimum)."""

    def f(px: float) -> int:
        return round(px * scale)

    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    title = round(max(34, min_font_px * 1.25) * scale)
    huge = round(max(96, min_font_px * 2.2) * scale)
    return f"""
QWidget#survey {{ background: {p.bg}; }}
QScrollArea {{ background: transparent; border: none; }}
QWidget#page {{ background: transparent; }}
QLabel {{ color: {p.text}; font-size: {t(24)}px; }}
QLabel#facility, QLabel#help {{ color: {p.muted}; font-size: {t(22)}px; }}
QLabel#bigCounter {{ color: {p.primary}; font-size: {huge}px; font-weight: bold; }}
QLabel#title {{ font-size: {title}px; font-weight: bold; }}
QLabel#note {{ background: {p.warn_bg}; color: {p.text}; border: 3px solid {p.warn_border};
    border-radius: 10px; padding: {f(10)}px; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary};
    border-radius: 14px; font-size: {t(24)}px; padding: {f(10)}px; }}
QPushButton:focus {{ border: 6px solid {p.focus}; }}
QPushButton#answer {{ background: {p.primary}; color: {p.primary_text}; font-size: {title}px; font-weight: bold; }}
QPushButton#rating {{ background: {p.primary}; color: {p.primary_text}; font-size: {t(24)}px; font-weight: bold; }}
QFrame#bar {{ background: {p.bar}; }}
QFrame#bar QPushButton {{ background: {p.surface}; color: {p.text}; font-size: {t(21)}px;
    border-color: {p.bar_edge}; padding: {f(4)}px; }}
QFrame#bar QPushButton:checked {{ background: {p.primary}; color: {p.primary_text}; }}
QFrame#bar QPushButton:focus {{ border: 6px solid {p.bar_focus}; }}
"""


class SurveyScreen(QWidget):
    sig_state_changed = Signal(int)
    """The screen moved to ``IDLE``, ``QUESTION``, ``RATING`` or ``THANKS``."""

    sig_recorded = Signal(bool)
    """An answer was sent to the store: ``True`` stored, ``False`` the visit was already answered."""

    def __init__(
        self,
        ctx: UiContext,
        counter: int,
        parent: QWidget | None = None,
        *,
        poll_ms: int = 1000,
        answer_seconds: float = 30.0,
        thanks_seconds: float = 5.0,
        tap_guard_ms: int = 350,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.counter = counter
        self.answer_seconds = answer_seconds
        self.thanks_seconds = thanks_seconds
        self.tap_guard_ms = tap_guard_ms
        """A tap this soon after the question changed is ignored: a double tap on 예 must not
        also pick whichever rating appears under the finger."""
        self.state = IDLE
        self.visit: Visit | None = None
        self.resolved: bool | None = None
        self.rating: int | None = None
        self.last_announcement = ""
        self._asked: deque[str] = deque(maxlen=200)
        self._names: dict[str, tuple[str, str]] = {s.code: (s.name_ko, s.name_en) for s in ctx.config.services}
        self._polling = False
        self._changed_at = time.monotonic()
        self._key_navigation = False
        self._rating_columns = 0
        self._bar_columns = 0
        self.rating_words_shown = True
        """Whether the rating buttons carry their words (they do when the words fit in one row)."""
        self.setObjectName("survey")
        # The screen itself holds the focus until a key is pressed: no focus ring on a touch screen,
        # and the number keys still reach it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        root = QVBoxLayout(self)
        root.setContentsMargins(32, 16, 32, 0)
        root.setSpacing(12)
        self.stack = QStackedWidget()
        for page in (self._build_idle(), self._build_question(), self._build_rating(), self._build_thanks()):
            self.stack.addWidget(touch_scroll_area(page))
        root.addWidget(self.stack, 1)
        self.notice = PlainLabel()
        self.notice.setObjectName("note")
        self.notice.hide()
        root.addWidget(self.notice)
        root.addWidget(self._build_bar())

        self._return_timer = QTimer(self)  # back to the welcome: nobody answered, or the thanks was read
        self._return_timer.setSingleShot(True)
        self._return_timer.timeout.connect(self._on_return_timeout)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(poll_ms)
        self._poll_timer.timeout.connect(self.poll)
        # Bound methods: Qt drops these connections when the screen is destroyed.
        ctx.sig_language_changed.connect(self._on_language_changed)
        ctx.sig_modes_changed.connect(self._on_modes_changed)
        ctx.sig_ready.connect(self.poll)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.installEventFilter(self)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)
        self.apply_modes()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._poll_timer.start()

    # -- construction -------------------------------------------------------------------------
    def _build_idle(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(24)
        self.facility = PlainLabel()
        self.facility.setObjectName("facility")
        layout.addWidget(self.facility)
        layout.addStretch(1)
        self.big_counter = PlainLabel()
        self.big_counter.setObjectName("bigCounter")
        self.welcome = PlainLabel()
        self.welcome.setObjectName("title")
        self.idle_help = PlainLabel()
        self.anonymous = PlainLabel()
        self.anonymous.setObjectName("help")
        for w in (self.big_counter, self.welcome, self.idle_help, self.anonymous):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        layout.addStretch(2)
        return page

    def _visit_label(self) -> PlainLabel:
        label = PlainLabel()
        label.setObjectName("help")
        return label

    def _skip_button(self, answer: Callable[[], None]) -> TouchButton:
        button = TouchButton()
        button.setObjectName("skip")
        button.clicked.connect(answer)
        return button

    def _build_question(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(20)
        self.question_visit = self._visit_label()
        self.question_title = PlainLabel()
        self.question_title.setObjectName("title")
        layout.addWidget(self.question_visit)
        layout.addWidget(self.question_title)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.yes_button = TouchButton()
        self.no_button = TouchButton()
        for button, value in ((self.yes_button, True), (self.no_button, False)):
            button.setObjectName("answer")  # the same look for both: the screen must not lean either way
            button.clicked.connect(lambda _=False, v=value: self.answer_resolved(v))
            row.addWidget(button, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.skip_question_button = self._skip_button(lambda: self.answer_resolved(None))
        layout.addWidget(self.skip_question_button)
        return page

    def _build_rating(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(20)
        self.rating_visit = self._visit_label()
        self.rating_title = PlainLabel()
        self.rating_title.setObjectName("title")
        self.rating_help = PlainLabel()
        self.rating_help.setObjectName("help")
        for w in (self.rating_visit, self.rating_title, self.rating_help):
            layout.addWidget(w)
        self.rating_grid = QGridLayout()
        self.rating_grid.setSpacing(16)
        self.rating_buttons: dict[int, TouchButton] = {}
        for n in RATINGS:
            button = TouchButton()
            button.setObjectName("rating")
            button.clicked.connect(lambda _=False, r=n: self.answer_rating(r))
            self.rating_buttons[n] = button
        layout.addLayout(self.rating_grid)
        layout.addStretch(1)
        self.skip_rating_button = self._skip_button(lambda: self.answer_rating(None))
        layout.addWidget(self.skip_rating_button)
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(24)
        layout.addStretch(1)
        self.thanks = PlainLabel()
        self.goodbye = PlainLabel()
        self.goodbye.setObjectName("title")
        self.unresolved_note = PlainLabel()
        self.unresolved_note.setObjectName("note")
        self.unresolved_note.hide()
        for w in (self.thanks, self.goodbye):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        layout.addWidget(self.unresolved_note)
        layout.addStretch(2)
        return page

    def _build_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("bar")
        self.bar_layout = QGridLayout(bar)
        self.bar_layout.setContentsMargins(16, 10, 16, 10)
        self.bar_layout.setSpacing(12)
        self.mode_buttons: dict[Mode, TouchButton] = {}
        for mode, _key in _BAR_MODES:
            button = TouchButton(min_px=80)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, m=mode: self.ctx.toggle_mode(m))
            self.mode_buttons[mode] = button
        self.language_button = TouchButton(min_px=80)
        self.language_button.clicked.connect(self.ctx.toggle_language)
        return bar

    def bar_buttons(self) -> list[TouchButton]:
        return [*self.mode_buttons.values(), self.language_button]

    # -- the visit ----------------------------------------------------------------------------
    def poll(self) -> None:
        """Ask the store (in the worker) for the visit this counter completed last; cheap, once a second."""
        survey = self.ctx.survey
        if self.state != IDLE or self._polling or survey is None or not self.ctx.ready:
            return
        queue, counter, known = self.ctx.queue, self.counter, set(self._names)

        def find() -> tuple[Visit, dict[str, tuple[str, str]]] | None:
            visit = survey.last_visit(counter)
            if visit is None:
                return None
            names = {} if visit.service in known else {s.code: (s.name_ko, s.name_en) for s in queue.services()}
            return visit, names

        self._polling = True
        self.ctx.ops.run(find, self._on_polled, self._on_poll_failed, changes=False)

    def _on_polled(self, found: tuple[Visit, dict[str, tuple[str, str]]] | None) -> None:
        self._polling = False
        if found is None or self.state != IDLE:
            return
        visit, names = found
        self._names.update(names)
        if visit.ticket_key not in self._asked:
            self.ask(visit)

    def _on_poll_failed(self, _error: BaseException) -> None:
        self._polling = False  # a locked or unreachable store: the next tick tries again

    def ask(self, visit: Visit) -> None:
        """Ask about ``visit`` (the counter just completed it): the first question, once per visit."""
        self._asked.append(visit.ticket_key)
        self.visit, self.resolved, self.rating = visit, None, None
        self._set_state(QUESTION)

    def _guarded(self) -> bool:
        return (time.monotonic() - self._changed_at) * 1000 < self.tap_guard_ms

    def answer_resolved(self, resolved: bool | None) -> None:
        """예 (``True``), 아니요 (``False``) or skip (``None``); then the rating."""
        if self.state != QUESTION or self._guarded():
            return
        self.resolved = resolved
        self._set_state(RATING)

    def answer_rating(self, rating: int | None) -> None:
        """1–5, or skip (``None``); the answers are stored and the visitor thanked."""
        if self.state != RATING or self._guarded():
            return
        self.rating = rating
        self._store()
        self._set_state(THANKS)

    def _store(self) -> None:
        """Send what was answered (nothing, if both were skipped) to the store, off the UI thread."""
        visit, survey = self.visit, self.ctx.survey
        resolved, rating = self.resolved, self.rating
        if visit is None or survey is None or (resolved is None and rating is None):
            return

        def record() -> bool:
            return survey.record(
                visit.service, visit.counter, resolved=resolved, rating=rating, ticket_key=visit.ticket_key
            )

        def failed(error: BaseException) -> None:
            log.warning("satisfaction answer for counter %s not stored: %s", visit.counter, error)

        self.ctx.ops.run(record, self.sig_recorded.emit, failed, changes=False)

    def _on_return_timeout(self) -> None:
        if self.state in (QUESTION, RATING):
            self._store()  # the visitor left: keep what they did answer
        self.return_to_idle()

    def return_to_idle(self) -> None:
        """The welcome again, in the facility's language and modes: the next visitor starts fresh."""
        self.visit, self.resolved, self.rating = None, None, None
        self._key_navigation = False
        self._set_state(IDLE)
        self.ctx.reset_for_next_visitor()

    def _set_state(self, state: int) -> None:
        self.state = state
        self._changed_at = time.monotonic()
        self.stack.setCurrentIndex(state)
        self.retranslate()
        self._restart_timeout()
        first = {QUESTION: self.yes_button, RATING: self.rating_buttons[1]}.get(state)
        if first is not None and (self._key_navigation or Mode.VOICE in self.ctx.modes):
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.announce()
        self.sig_state_changed.emit(state)

    def _restart_timeout(self) -> None:
        factor = self.ctx.modes.timeout_factor
        if self.state in (QUESTION, RATING):
            self._return_timer.start(round(self.answer_seconds * factor * 1000))
        elif self.state == THANKS:
            self._return_timer.start(round(self.thanks_seconds * factor * 1000))
        else:
            self._return_timer.stop()

    def remaining_seconds(self) -> float:
        """Seconds until the screen returns to the welcome by itself (``inf`` while idle)."""
        if not self._return_timer.isActive():
            return math.inf
        return self._return_timer.remainingTime() / 1000

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        """Each page with a sample visit, shown without asking the store or storing anything."""
        sample = Visit("audit-sample", "A-001", "A", self.counter, datetime.now(UTC))

        def show(state: int, resolved: bool | None = None) -> Callable[[], None]:
            def go() -> None:
                self.visit, self.resolved = (None, None) if state == IDLE else (sample, resolved)
                self._set_state(state)
                self._return_timer.stop()  # the audit takes its time

            return go

        return [
            ("idle", show(IDLE)),
            ("question", show(QUESTION)),
            ("rating", show(RATING)),
            ("thanks", show(THANKS, False)),
        ]

    # -- voice and keys -----------------------------------------------------------------------
    def page_announcement(self) -> str:
        t = self.ctx.tr
        if self.state == QUESTION:
            return t("survey.say_question", counter=self.counter)
        if self.state == RATING:
            return t("survey.say_rating")
        if self.state == THANKS:
            note = self.unresolved_note.text() if self.resolved is False else ""
            return f"{t('survey.say_thanks')} {note}".strip()
        return ""

    def announce(self) -> None:
        self.last_announcement = self.page_announcement()
        if self.last_announcement:
            self.ctx.speak(self.last_announcement)

    def describe(self, widget: QWidget) -> str:
        """Name, role and state, as voice guidance speaks a focused control."""
        t = self.ctx.tr
        parts = [widget.accessibleName() or "", t("common.button")]
        if isinstance(widget, QAbstractButton) and widget.isCheckable():
            parts.append(t("common.on") if widget.isChecked() else t("common.off"))
        if not widget.isEnabled():
            parts.append(t("common.unavailable"))
        return ", ".join(p for p in parts if p)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._key_navigation and self.isAncestorOf(new):
            self.ctx.speak(self.describe(new))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event.key()):
            super().keyPressEvent(event)

    def handle_key(self, key: int) -> bool:
        """Keypad operation: 1 예 / 2 아니요, 1–5 for the rating, 0 skips, * repeats; arrows and Enter."""
        self._key_navigation = True
        if key in _DIGITS:
            n = _DIGITS[key]
            if self.state == QUESTION and n in (0, 1, 2):
                self.answer_resolved({0: None, 1: True, 2: False}[n])
                return True
            if self.state == RATING and n <= 5:
                self.answer_rating(n or None)
                return True
            return False
        if key in (Qt.Key.Key_Asterisk, Qt.Key.Key_F1):
            self.ctx.speak(self.last_announcement or self.page_announcement())
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.focusNextPrevChild(key in (Qt.Key.Key_Right, Qt.Key.Key_Down))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QAbstractButton) and self.isAncestorOf(focused) and focused.isEnabled():
                focused.click()
                return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A touch or key while a question is up gives the visitor the full time again."""
        if event.type() in _ACTIVITY and self.state in (QUESTION, RATING):
            self._restart_timeout()
        return False

    # -- modes and texts ----------------------------------------------------------------------
    def _on_modes_changed(self, _modes: Modes) -> None:
        self.apply_modes()
        if Mode.VOICE in self.ctx.modes:
            speaker = self.ctx.speaker
            speaker.sig_unavailable.connect(self._on_speech_unavailable)
            if not speaker.available:
                self._on_speech_unavailable("")
            self.announce()
        else:
            self.notice.hide()

    def _on_speech_unavailable(self, _reason: str) -> None:
        self.notice.setText(self.ctx.tr("common.speech_unavailable"))
        self.notice.show()

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate()
        self.announce()

    def apply_modes(self) -> None:
        """Restyle and re-lay out for the current modes: everything scales at 200 %, not only text."""
        modes = self.ctx.modes
        s = modes.scale
        palette = HIGH_CONTRAST if Mode.HIGH_CONTRAST in modes else STANDARD
        min_font = theme.font_px_for_glyph(self.ctx.config.screen.min_text_px)
        self.setStyleSheet(survey_style(palette, s, min_font))
        base = max(theme.MIN_TOUCH_PX, self.ctx.config.screen.min_control_px)

        def size(button: TouchButton, px: int) -> None:
            button.ensurePolished()
            button.set_base_size(round(max(base, px) * s), round(max(base, px) * s))

        for b in (self.yes_button, self.no_button):  # side by side: tall, and as wide as the row gives
            b.ensurePolished()
            b.set_base_size(round(base * s), round(260 * s))
        for b in self.rating_buttons.values():  # narrow enough for five in a row, tall as the answers
            b.ensurePolished()
            b.set_base_size(round(base * s), round(160 * s))
        for b in (self.skip_question_button, self.skip_rating_button):
            size(b, 96)
        bar_scale = min(s, 1.4)  # as on the kiosk: the bar's text doubles, its buttons grow less
        for b in self.bar_buttons():
            b.ensurePolished()
            b.set_base_size(round(130 * bar_scale), round(max(base, 80) * bar_scale))
        for mode, button in self.mode_buttons.items():
            button.setChecked(mode in modes)
        self._bar_columns = self._rating_columns = 0
        self.retranslate()

    def _available_width(self) -> int:
        sized = self.isVisible() or self.testAttribute(Qt.WidgetAttribute.WA_Resized)
        width = self.width() if sized else self.ctx.config.screen.width_px
        return max(200, width - 64 - 24)  # the screen's margins, and room for a scroll bar

    def _reflow(self) -> None:
        """The five ratings always in one row (1 to 5, left to right), each with its word when the
        words fit the row, else the digit alone (the help line says what 1 and 5 mean); the bar in
        as few rows as its words allow."""
        available = self._available_width()
        spacing = self.rating_grid.spacing()
        cell = (available - spacing * (len(RATINGS) - 1)) // len(RATINGS)
        t = self.ctx.tr
        words = {n: t(f"survey.rating_{n}") for n in RATINGS}
        fits = True
        for n, b in self.rating_buttons.items():
            b.ensurePolished()
            widest = max(b.fontMetrics().horizontalAdvance(w) for w in [str(n), *words[n].split(" ")])
            fits = fits and b.chrome_width() + widest <= cell
        if self._rating_columns != len(RATINGS):
            self._rating_columns = len(RATINGS)
            for i, b in enumerate(self.rating_buttons.values()):
                self.rating_grid.addWidget(b, 0, i)
        for n, b in self.rating_buttons.items():
            b.set_label(f"{n}\n{words[n]}" if fits else str(n), t("survey.rating_name", rating=n, word=words[n]))
        self.rating_words_shown = fits

        bar = self.bar_buttons()
        spacing = self.bar_layout.spacing()
        widest = 0
        for b in bar:
            b.ensurePolished()
            label = (b._label or b.text()).replace("\n", " ").split(" ")
            widest = max(widest, b.chrome_width() + max(b.fontMetrics().horizontalAdvance(w) for w in label))
        fit = max(1, min(len(bar), (available + spacing) // (widest + spacing)))
        per_row = math.ceil(len(bar) / math.ceil(len(bar) / fit))  # balanced rows: 2 + 2, not 3 + 1
        if per_row != self._bar_columns:
            self._bar_columns = per_row
            for b in bar:
                self.bar_layout.removeWidget(b)
            for i, b in enumerate(bar):
                self.bar_layout.addWidget(b, i // per_row, i % per_row)
        for button in self.findChildren(TouchButton):  # grow every button to its text in this style
            button.set_base_size(*button._base)

    def _service_name(self, code: str) -> str:
        ko, en = self._names.get(code, (code, code))
        return ko if self.ctx.lang == "ko" else en

    def retranslate(self) -> None:
        t = self.ctx.tr
        self.setWindowTitle(t("survey.title", counter=self.counter))
        self.facility.setText(self.ctx.facility())
        self.big_counter.setText(t("survey.counter", counter=self.counter))
        self.welcome.setText(t("survey.welcome"))
        self.idle_help.setText(t("survey.idle_help"))
        self.anonymous.setText(t("survey.anonymous"))
        self.anonymous.setVisible(self.ctx.modes.scale == 1)  # at 200 % the welcome fits without scrolling
        visit = self.visit
        service = self._service_name(visit.service) if visit else ""
        visit_text = t("survey.visit", counter=self.counter, number=visit.number, service=service) if visit else ""
        for label in (self.question_visit, self.rating_visit):
            label.setText(visit_text)
            # At 200 % the answers come first: the visit's line would push them below the fold.
            label.setVisible(self.ctx.modes.scale == 1)
        self.question_title.setText(t("survey.resolved_question"))
        self.yes_button.set_label(f"1. {t('survey.yes')}", t("survey.yes_name"))
        self.no_button.set_label(f"2. {t('survey.no')}", t("survey.no_name"))
        self.rating_title.setText(t("survey.rating_question"))
        self.rating_help.setText(t("survey.rating_help"))
        for button in (self.skip_question_button, self.skip_rating_button):
            button.set_label(f"0. {t('survey.skip')}", t("survey.skip_name"))
        self.thanks.setText(t("survey.thanks"))
        self.goodbye.setText(t("survey.goodbye"))
        self.unresolved_note.setText(t("survey.unresolved_note"))
        self.unresolved_note.setVisible(self.state == THANKS and self.resolved is False)
        for mode, key in _BAR_MODES:
            self.mode_buttons[mode].set_label(t(key))
        self.language_button.set_label(t("common.language"), t("common.language_name"))
        if self.notice.isVisible():
            self.notice.setText(t("common.speech_unavailable"))
        self._reflow()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()
