"""The calling board on the wall: readable from 10 m, a chime before every call.

The current number and its counter take most of the screen; the last calls stand beside it and
the waiting counts per service along the bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.views import BoardState, CallView
from kiosk.ui import theme
from kiosk.ui.announcer import Announcer
from kiosk.ui.context import UiContext
from kiosk.ui.widgets import PlainLabel

NUMBER_PX = 220
"""The current number's size on the board: readable from 10 m."""


class FitLabel(PlainLabel):
    """One line at ``max_px``, smaller only when the text would not fit the width it is given.

    An offline number (``B-K1-001``) or a narrow board must shrink the number, never clip it.
    """

    max_px = NUMBER_PX  # class defaults: QLabel's constructor may already call setText/resizeEvent
    fitted_px = NUMBER_PX

    def __init__(self, max_px: int) -> None:
        super().__init__(wrap=False)
        self.max_px = max_px
        self.fitted_px = max_px
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = self.font()
        font.setPixelSize(self.max_px)
        width = QFontMetrics(font).horizontalAdvance(self.text()) + 8
        room = max(1, self.contentsRect().width())
        px = self.max_px if width <= room else max(24, int(self.max_px * room / width))
        if px != self.fitted_px:
            self.fitted_px = px
            self.setStyleSheet(f"font-size: {px}px;")


STYLE = f"""
QWidget#board {{ background: {theme.BOARD_BG}; }}
QLabel {{ color: {theme.BOARD_TEXT}; font-size: 28px; }}
QLabel#boardNumber {{ font-size: {NUMBER_PX}px; font-weight: bold; color: {theme.BOARD_ACCENT}; }}
QLabel#boardCounter {{ font-size: 96px; font-weight: bold; }}
QLabel#boardHeading {{ font-size: 36px; color: #C9D3E0; }}
QLabel#boardPriority {{ font-size: 44px; font-weight: bold; color: #FFB4A9; }}
QLabel#history {{ font-size: 44px; font-weight: bold; }}
QLabel#historyPriority {{ font-size: 28px; font-weight: bold; color: #FFB4A9; padding-left: 48px; }}
QLabel#waiting {{ font-size: 30px; color: #DDE5EF; }}
QFrame#side {{ background: #16263D; border-radius: 16px; }}
"""

HISTORY = 5

RECALL_WITHIN = timedelta(hours=12)
"""The same number at the same counter again within this time is a recall ("다시 한 번 안내합니다")."""


class CallingBoard(QWidget):
    sig_announced = Signal(object)
    """A new call or recall (``CallView``) is on the board; its announcement is queued (chime, speech)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: BoardState | None = None
        self.last_event_id: int | None = None
        self._names: dict[str, tuple[str, str]] = {}
        self._called: dict[tuple[str, int], datetime] = {}
        """(number, counter) → when the board last saw it called: tells a recall from a first call."""
        self.announcer = Announcer(ctx.config.board, self, engine=ctx.config.speech_engine)
        self.chime = self.announcer.chime
        self.setObjectName("board")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 24)
        header = QHBoxLayout()
        self.facility = PlainLabel(wrap=False)
        self.facility.setObjectName("boardHeading")
        self.clock = PlainLabel(wrap=False)
        self.clock.setObjectName("boardHeading")
        header.addWidget(self.facility, 1)
        header.addWidget(self.clock)
        root.addLayout(header)

        body = QHBoxLayout()
        main = QVBoxLayout()
        self.now_label = PlainLabel(wrap=False)
        self.now_label.setObjectName("boardHeading")
        self.number = FitLabel(NUMBER_PX)
        self.number.setObjectName("boardNumber")
        self.counter = PlainLabel(wrap=False)
        self.counter.setObjectName("boardCounter")
        self.priority = PlainLabel(wrap=False)
        self.priority.setObjectName("boardPriority")
        for w in (self.now_label, self.number, self.counter, self.priority):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            main.addWidget(w)
        main.addStretch(1)
        body.addLayout(main, 3)

        side = QFrame()
        side.setObjectName("side")
        side_layout = QVBoxLayout(side)
        self.recent_label = PlainLabel(wrap=False)
        self.recent_label.setObjectName("boardHeading")
        side_layout.addWidget(self.recent_label)
        self.history_labels: list[PlainLabel] = []
        self.history_priority: list[PlainLabel] = []  # "★ 우선 · 어르신" under a priority call
        for _ in range(HISTORY):
            label = PlainLabel(wrap=False)
            label.setObjectName("history")
            side_layout.addWidget(label)
            self.history_labels.append(label)
            word = PlainLabel(wrap=False)
            word.setObjectName("historyPriority")
            word.hide()
            side_layout.addWidget(word)
            self.history_priority.append(word)
        side_layout.addStretch(1)
        body.addWidget(side, 2)
        root.addLayout(body, 1)

        self.waiting_row = QHBoxLayout()
        self.waiting_row.setSpacing(48)
        self.waiting_labels: list[PlainLabel] = []
        root.addLayout(self.waiting_row)

        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._update_clock)
        self._clock_timer.start()
        ctx.watcher.sig_changed.connect(lambda _m: self.refresh())
        ctx.sig_language_changed.connect(lambda _l: self._show())
        self.refresh(announce=False)

    def refresh(self, announce: bool = True) -> None:
        """Re-read the board (an indexed read well under a millisecond) and announce new calls.

        Every call since the last poll is announced, oldest first: two counters calling within
        one poll interval are both read out, though only the latest is shown large.
        """
        try:
            state = self.ctx.queue.board(history=HISTORY)
            self._names = {s.code: (s.name_ko, s.name_en) for s in self.ctx.queue.services()}
        except Exception:
            return  # keep showing the last state; the next change tries again
        first_read = self.state is None
        self.state = state
        self._show()
        current = state.current
        if current is None:
            return
        last = self.last_event_id
        if last is None and first_read:
            new = [current]  # opened on a day already under way: at most the current call
        else:
            last = last or 0
            new = sorted((c for c in (current, *state.history) if c.event_id > last), key=lambda c: c.event_id)
        self.last_event_id = max(current.event_id, last or 0)
        for call in new if announce else ():
            self.announce(call)
        self._remember(current, *state.history)

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        return [("board", self.refresh)]

    def announce(self, call: CallView) -> None:
        """Queue the chime and the spoken call (a recall when this number was called here before)."""
        seen = self._called.get((call.number, call.counter))
        recall = seen is not None and abs(call.at - seen) < RECALL_WITHIN
        self._remember(call)
        self.announcer.announce_call(call.number, call.counter, recall=recall)
        self.sig_announced.emit(call)

    def _remember(self, *calls: CallView) -> None:
        for call in calls:
            key = (call.number, call.counter)
            if key not in self._called or self._called[key] < call.at:
                self._called[key] = call.at
        if len(self._called) > 500:  # a long day's numbers: forget those older than a recall
            newest = max(self._called.values())
            self._called = {k: at for k, at in self._called.items() if newest - at < RECALL_WITHIN}

    def _service_name(self, code: str) -> str:
        ko, en = self._names.get(code, (code, code))
        return ko if self.ctx.lang == "ko" else en

    def _show(self) -> None:
        t = self.ctx.tr
        self.setWindowTitle(t("board.title"))
        self.facility.setText(self.ctx.facility())
        self._update_clock()
        self.now_label.setText(t("board.now_calling"))
        self.recent_label.setText(t("board.recent"))
        state = self.state
        current = None if state is None else state.current
        if current is None:
            self.number.setText("")
            self.counter.setText(t("board.none"))
            self.priority.hide()
        else:
            self.number.setText(current.number)
            self.counter.setText(t("board.counter", counter=current.counter))
            self.priority.setText(
                f"{t('board.priority')} · {t('priority.' + current.priority)}" if current.priority else ""
            )
            self.priority.setVisible(bool(current.priority))
        history = [] if state is None else state.history
        for i, (label, word) in enumerate(zip(self.history_labels, self.history_priority, strict=True)):
            call = history[i] if i < len(history) else None
            label.setText("" if call is None else t("board.call_line", number=call.number, counter=call.counter))
            label.setVisible(call is not None)
            if call is not None and call.priority:
                word.setText(f"{t('board.priority')} · {t('priority.' + call.priority)}")
                word.show()
            else:
                word.hide()
        waiting = {} if state is None else state.waiting
        while len(self.waiting_labels) < len(waiting):
            label = PlainLabel()  # wraps: a long service name takes two lines, never clipped
            label.setObjectName("waiting")
            self.waiting_row.addWidget(label)
            self.waiting_labels.append(label)
        for label, (code, count) in zip(self.waiting_labels, waiting.items(), strict=False):
            label.setText(t("board.waiting", service=self._service_name(code), count=count))

    def _update_clock(self) -> None:
        """The facility's local time (the board may run on a machine set to UTC)."""
        self.clock.setText(datetime.now(self.ctx.config.tz).strftime("%H:%M"))
