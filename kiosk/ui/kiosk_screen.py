"""The visitor's screen: service → ordinary or priority → the ticket, in three taps.

Korean first, big targets, few choices per page, a fixed bottom bar (home, back, the four
accessibility modes, language), and a visible countdown before an abandoned screen returns to
the start. Every function also works from a keypad (number keys, arrows, Enter, 0/Backspace for
back, * to repeat) with voice guidance, in large text, high contrast and the low-screen layout.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.modes import Mode, Modes
from kiosk.domain.ticket import PriorityReason
from kiosk.i18n import minutes_range
from kiosk.services.views import ServiceView, TicketView
from kiosk.ui import theme
from kiosk.ui.chart_screen import ChartScreen
from kiosk.ui.chart_text import absence_note, local_time
from kiosk.ui.charter import CharterPanel
from kiosk.ui.context import UiContext
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, Palette
from kiosk.ui.voice_box import STEP_RECEIPT, VoiceBox
from kiosk.ui.widgets import PlainLabel, TouchButton, load_icon, touch_scroll_area

PAGE_SERVICES, PAGE_CLASS, PAGE_TICKET, PAGE_CHART, PAGE_VOICE = 0, 1, 2, 3, 4
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
_DIGITS = {getattr(Qt.Key, f"Key_{i}"): i for i in range(10)}
_MODE_KEYS = (
    (Mode.LARGE_TEXT, "common.mode_large"),
    (Mode.HIGH_CONTRAST, "common.mode_contrast"),
    (Mode.VOICE, "common.mode_voice"),
    (Mode.LOW_SCREEN, "common.mode_low"),
)


def kiosk_style(p: Palette, scale: float = 1.0, min_font_px: int = 0) -> str:
    """The visitor screen's style sheet for a palette, with every size multiplied by ``scale``.

    ``min_font_px`` is the smallest font size whose glyphs meet the 12 mm minimum on the configured
    screen: no text is drawn smaller than that (then large text doubles it like everything else).
    """

    def f(px: float) -> int:
        return round(px * scale)

    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    return f"""
QWidget#kiosk {{ background: {p.bg}; }}
QScrollArea {{ background: transparent; border: none; }}
QWidget#page {{ background: transparent; }}
QLabel {{ color: {p.text}; font-size: {t(24)}px; }}
QLabel#title {{ font-size: {t(34)}px; font-weight: bold; }}
QLabel#facility, QLabel#clock, QLabel#help {{ font-size: {t(22)}px; color: {p.muted}; }}
QPushButton {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary};
    border-radius: 14px; font-size: {t(24)}px; padding: {f(10)}px; }}
QPushButton:focus {{ border: 6px solid {p.focus}; }}
QPushButton:disabled {{ color: {p.muted}; border-color: {p.muted}; }}
QPushButton#service, QPushButton#ordinary {{ background: {p.primary}; color: {p.primary_text};
    font-size: {t(30)}px; }}
QPushButton#service:disabled {{ background: {p.surface}; color: {p.text}; border: 3px dashed {p.muted}; }}
QPushButton#priority {{ background: {p.priority_bg}; color: {p.priority}; border-color: {p.priority};
    font-size: {t(28)}px; font-weight: bold; }}
QFrame#bar {{ background: {p.bar}; }}
QFrame#bar QPushButton {{ background: {p.surface}; color: {p.text}; font-size: {t(21)}px;
    border-color: {p.bar_edge}; padding: {f(4)}px; }}
QFrame#bar QPushButton:checked {{ background: {p.primary}; color: {p.primary_text}; }}
QFrame#bar QPushButton:focus {{ border: 6px solid {p.bar_focus}; }}
QFrame#bar QPushButton:disabled {{ background: {p.bar}; color: {p.bar_edge}; border: 2px dashed {p.bar_edge}; }}
QLabel#barText {{ color: {p.bar_edge}; font-size: {t(21)}px; }}
QLabel#number {{ font-size: {t(150)}px; font-weight: bold; color: {p.primary}; }}
QLabel#ticketPriority {{ font-size: {t(30)}px; font-weight: bold; color: {p.priority}; }}
QLabel#big {{ font-size: {t(30)}px; }}
QLabel#banner {{ background: {p.priority_bg}; color: {p.priority}; font-size: {t(24)}px; font-weight: bold;
    padding: 12px; border: 3px solid {p.priority}; border-radius: 10px; }}
QLabel#countdown, QLabel#notice {{ background: {p.warn_bg}; color: {p.text}; font-size: {t(24)}px;
    padding: 10px; border: 3px solid {p.warn_border}; border-radius: 10px; }}
"""


STYLE = kiosk_style(STANDARD)


def qr_image(text: str, size: int = 240) -> QImage:
    """The QR code for ``text``: black modules on white, about ``size`` pixels square.

    Built from one byte buffer and scaled once (no per-module drawing calls): it is fast, and
    it avoids thousands of small Qt calls per ticket.
    """
    import qrcode  # imported on first use: keeps it (and Pillow) off the start-up path

    # One fixed mask pattern: every mask gives a valid code (ISO/IEC 18004), and scoring all eight
    # to pick the "best" took 3 of the ~4 ms this function cost on the tap → ticket path.
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    data = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = QImage(data, n, n, n, QImage.Format.Format_Grayscale8).copy()
    scale = max(1, size // n)
    return image.scaled(
        n * scale, n * scale, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


class KioskScreen(QWidget):
    sig_ticket_issued = Signal(object)
    """A ticket (``TicketView``) was committed and is now shown to the visitor."""

    sig_page_changed = Signal(int)
    """The visible page changed (``PAGE_SERVICES``, ``PAGE_CLASS``, ``PAGE_TICKET``, ``PAGE_CHART`` or
    ``PAGE_VOICE``; the voice box's steps are ``VoiceBox.sig_step_changed``)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, tick_ms: int = 250) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("kiosk")
        self.setWindowTitle(ctx.tr("kiosk.choose_service"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.idle_seconds: float = ctx.config.idle_seconds
        self.idle_warning_seconds: float = ctx.config.idle_warning_seconds
        self._last_activity = time.monotonic()
        self._services: list[ServiceView] = []
        self.service: ServiceView | None = None
        self.ticket: TicketView | None = None
        self.qr_text = ""
        self.last_announcement = ""
        self._request_key = ""
        self._key_navigation = False
        self._countdown_spoken = False
        self._outputs: list[str] = []
        self._columns: dict[str, int] = {}
        self.busy = False

        root = QVBoxLayout(self)
        root.setContentsMargins(32, 16, 32, 0)
        root.setSpacing(12)
        header = QHBoxLayout()
        self.facility = PlainLabel()
        self.facility.setObjectName("facility")
        self.clock = PlainLabel(wrap=False)
        self.clock.setObjectName("clock")
        header.addWidget(self.facility, 1)
        header.addWidget(self.clock)
        root.addLayout(header)
        # In the low-screen layout this empty band keeps every control within a wheelchair user's reach.
        self.low_spacer = QWidget()
        self.low_spacer.setFixedHeight(0)
        root.addWidget(self.low_spacer)

        self.stack = QStackedWidget()
        for page in (self._build_services_page(), self._build_class_page(), self._build_ticket_page()):
            self.stack.addWidget(touch_scroll_area(page))
        self.chart = ChartScreen(ctx, standalone=False)
        self.stack.addWidget(touch_scroll_area(self.chart))
        # The customer voice box (S8) is built on first use (or once the screen is up): its keyboard's
        # fifty keys would otherwise cost the first frame a tenth of a second.
        self._voice: VoiceBox | None = None
        self._voice_slot = QWidget()
        self.stack.addWidget(self._voice_slot)
        root.addWidget(self.stack, 1)
        root.addWidget(self._build_panel(), 1)

        self.banner = PlainLabel()
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.countdown = PlainLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.hide()
        self.notice = PlainLabel()
        self.notice.setObjectName("notice")
        self.notice.hide()
        for w in (self.banner, self.countdown, self.notice):
            root.addWidget(w)
        root.addWidget(self._build_bar())

        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.installEventFilter(self)
            app.focusChanged.connect(self._on_focus_changed)
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.sig_modes_changed.connect(self._on_modes_changed)
        ctx.watcher.sig_changed.connect(lambda _marker: self._refresh_if_visible())
        ctx.sig_ready.connect(self.refresh_services)
        self.refresh_services()
        self.apply_modes()
        self.retranslate()
        self.charter.start()  # the start page is up: the charter cycles until a visitor moves on
        self._audio_timer = QTimer(self)  # owned by the screen: it dies with it
        self._audio_timer.setSingleShot(True)
        self._audio_timer.timeout.connect(self._watch_audio_outputs)
        self._audio_timer.start(1500)
        self._voice_timer = QTimer(self)
        self._voice_timer.setSingleShot(True)
        self._voice_timer.timeout.connect(lambda: self.voice if self.ctx.feedback is not None else None)
        self._voice_timer.start(3000)

    @property
    def voice(self) -> VoiceBox:
        """The voice box page (built now if it was not yet)."""
        if self._voice is None:
            voice = VoiceBox(self.ctx)
            voice.sig_step_changed.connect(self._on_voice_step)
            voice.sig_finished.connect(self.finish)
            index = self.stack.indexOf(self._voice_slot)
            self.stack.insertWidget(index, voice)  # its own scrolling: the keyboard stays in view
            self.stack.removeWidget(self._voice_slot)
            self._voice_slot.deleteLater()
            self._voice = voice
            voice.apply_modes()  # styled in place: under the kiosk's style sheet once, not twice
            voice.retranslate()
        return self._voice

    # -- construction -----------------------------------------------------------------------
    def _build_services_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.services_title = PlainLabel()
        self.services_title.setObjectName("title")
        layout.addWidget(self.services_title)
        # Why no ticket can be had (no service open, or the store read-only): read before the buttons.
        self.no_services = PlainLabel()
        self.no_services.setObjectName("big")
        self.no_services.hide()
        layout.addWidget(self.no_services)
        self.services_grid = QGridLayout()
        self.services_grid.setSpacing(20)
        layout.addLayout(self.services_grid, 1)
        self.service_buttons: dict[str, TouchButton] = {}
        # "Who handles what": the seat chart, a tap away from the start (S1).
        self.chart_button = TouchButton(min_px=96, icon="general")
        self.chart_button.clicked.connect(self.show_chart)
        # The customer voice box (S8): write a note, or read the answer to one.
        self.voice_button = TouchButton(min_px=96)
        self.voice_button.clicked.connect(self.show_voice_box)
        self.status_button = TouchButton(min_px=96)
        self.status_button.clicked.connect(self.show_status_check)
        self.extras_grid = QGridLayout()
        self.extras_grid.setSpacing(20)
        self._start_layout: tuple[object, ...] = ()
        self.extras_grid.addWidget(self.chart_button, 0, 0, 1, 2)
        self.extras_grid.addWidget(self.voice_button, 1, 0)
        self.extras_grid.addWidget(self.status_button, 1, 1)
        layout.addSpacing(20)  # as far from the service buttons as they are from each other
        layout.addLayout(self.extras_grid)
        # The facility's service charter (S14), one promise at a time while nobody is using the kiosk.
        self.charter = CharterPanel(self.ctx)
        layout.addSpacing(20)
        layout.addWidget(self.charter)
        return page

    def extra_buttons(self) -> list[TouchButton]:
        """The start page's buttons below the services: seat chart, voice box, answer check."""
        return [self.chart_button, self.voice_button, self.status_button]

    def _place_start_buttons(self) -> None:
        """Lay the start page out for the screen's shape.

        Portrait: the services one under the other (two columns from four on), the seat chart on its
        own row and the voice box's two buttons below it. Landscape: the services side by side and
        the three others in one row, so everything fits on a 1920 x 1080 screen without scrolling.
        """
        shown = [b for b in self.extra_buttons() if not b.isHidden()]
        one_row = self.width() > self.height() * 1.1 and self.width() >= 1500 and self.modes.scale == 1
        services = list(self.service_buttons.values())
        columns = min(3, len(services)) if one_row else (1 if len(services) <= 3 else 2)
        layout: tuple[object, ...] = (tuple(services), columns, tuple(shown), one_row)
        self.charter.set_compact(one_row)
        if layout == self._start_layout:
            return
        self._start_layout = layout
        places: list[tuple[QGridLayout, TouchButton, tuple[int, int, int, int]]] = [
            (self.services_grid, b, (i // columns, i % columns, 1, 1)) for i, b in enumerate(services)
        ]
        if one_row:
            places += [(self.extras_grid, b, (0, i, 1, 1)) for i, b in enumerate(shown)]
        else:
            row = 1 if self.chart_button in shown else 0
            if row:
                places.append((self.extras_grid, self.chart_button, (0, 0, 1, 2)))
            others = [b for b in shown if b is not self.chart_button]
            places += [(self.extras_grid, b, (row, i, 1, 1)) for i, b in enumerate(others)]
        for grid, b, place in places:  # only what moves: re-adding all would leave a stale layout until idle
            index = grid.indexOf(b)
            if index < 0 or tuple(cast(tuple[int, int, int, int], grid.getItemPosition(index))) != place:
                grid.removeWidget(b)
                grid.addWidget(b, *place)

    def _build_class_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(16)
        self.class_title = PlainLabel()
        self.class_title.setObjectName("title")
        layout.addWidget(self.class_title)
        self.ordinary_button = TouchButton(min_px=140)
        self.ordinary_button.setObjectName("ordinary")
        self.ordinary_button.clicked.connect(lambda: self.choose_class(None))
        layout.addWidget(self.ordinary_button, 2)
        # S3: the person in charge is away — who handles it meanwhile, or how long until they are back.
        self.absence = PlainLabel()
        self.absence.setObjectName("notice")
        self.absence.hide()
        layout.addWidget(self.absence)
        self.priority_question = PlainLabel()
        self.priority_question.setObjectName("big")
        layout.addWidget(self.priority_question)
        self.priority_help = PlainLabel()
        self.priority_help.setObjectName("help")
        layout.addWidget(self.priority_help)
        self.priority_grid = QGridLayout()
        self.priority_grid.setSpacing(20)
        self.priority_buttons: dict[PriorityReason, TouchButton] = {}
        for reason in PriorityReason:
            button = TouchButton(min_px=110, icon=f"priority-{reason.value}")
            button.setObjectName("priority")
            button.clicked.connect(lambda _=False, r=reason: self.choose_class(r))
            self.priority_buttons[reason] = button
        layout.addLayout(self.priority_grid, 2)
        return page

    def _build_ticket_page(self) -> QWidget:
        page = QWidget()
        self.ticket_layout = QGridLayout(page)
        text = QVBoxLayout()
        self.ticket_title = PlainLabel()
        self.ticket_title.setObjectName("title")
        self.ticket_number = PlainLabel(wrap=False)
        self.ticket_number.setObjectName("number")
        self.ticket_service = PlainLabel()
        self.ticket_service.setObjectName("big")
        self.ticket_priority = PlainLabel()
        self.ticket_priority.setObjectName("ticketPriority")
        self.ticket_ahead = PlainLabel()
        self.ticket_ahead.setObjectName("big")
        self.ticket_wait = PlainLabel()
        self.ticket_wait.setObjectName("big")
        self.ticket_location = PlainLabel()
        self.ticket_location.setObjectName("help")
        for w in (
            self.ticket_title,
            self.ticket_number,
            self.ticket_service,
            self.ticket_priority,
            self.ticket_ahead,
            self.ticket_wait,
            self.ticket_location,
        ):
            text.addWidget(w)
        text.addStretch(1)
        self.ticket_text = QWidget()
        self.ticket_text.setLayout(text)
        side = QVBoxLayout()
        side.addStretch(1)
        self.qr_label = QLabel()
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = PlainLabel()
        self.qr_caption.setObjectName("help")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = TouchButton(min_px=96)
        self.done_button.clicked.connect(self.finish)
        side.addWidget(self.qr_label)
        side.addWidget(self.qr_caption)
        # The printer could not print it: the number on screen is the visitor's ticket (issue 7).
        self.print_note = PlainLabel()
        self.print_note.setObjectName("notice")
        self.print_note.hide()
        side.addWidget(self.print_note)
        side.addSpacing(20)
        side.addWidget(self.done_button)
        side.addStretch(1)
        self.ticket_side = QWidget()
        self.ticket_side.setLayout(side)
        return page

    def _build_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("bar")
        self.bar_layout = QGridLayout(bar)
        self.bar_layout.setContentsMargins(16, 10, 16, 10)
        self.bar_layout.setSpacing(12)
        self.home_button = TouchButton(icon="home", min_px=80)
        self.back_button = TouchButton(icon="back", min_px=80)
        self.language_button = TouchButton(icon="language", min_px=80)
        self.access_button = TouchButton(icon="access", min_px=80)
        self.access_button.setCheckable(True)
        self.home_button.clicked.connect(self.show_services)
        self.back_button.clicked.connect(self.go_back)
        self.access_button.clicked.connect(lambda: self.toggle_panel())
        self.language_button.clicked.connect(self.ctx.toggle_language)
        return bar

    def _build_panel(self) -> QFrame:
        """The accessibility panel: the four modes and the voice settings, opened from the bar.

        It takes the page's place, its controls pushed down against the bottom bar so they are
        within a wheelchair user's reach before the low-screen layout is even on; it scrolls when
        large text makes it taller than the room, and stays open while the visitor combines modes.
        """
        frame = QFrame()
        frame.setObjectName("bar")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(12)
        self.panel_title = PlainLabel()
        self.panel_title.setObjectName("barText")
        layout.addWidget(self.panel_title)
        self.mode_grid = QGridLayout()
        self.mode_grid.setSpacing(12)
        layout.addLayout(self.mode_grid)
        self.mode_buttons: dict[Mode, TouchButton] = {}
        for mode, _key in _MODE_KEYS:
            button = TouchButton(min_px=80)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, m=mode: self.ctx.toggle_mode(m))
            self.mode_buttons[mode] = button
        layout.addWidget(self._build_voice_bar())
        self.close_button = TouchButton(min_px=80)
        self.close_button.clicked.connect(lambda: self.toggle_panel(False))
        layout.addWidget(self.close_button)
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        outer.addWidget(frame)
        self.panel = touch_scroll_area(page)
        self.panel.hide()
        return self.panel

    @property
    def panel_open(self) -> bool:
        return not self.panel.isHidden()

    def toggle_panel(self, open_: bool | None = None) -> None:
        """Open or close the accessibility panel (the bar button and the # key)."""
        open_ = not self.panel_open if open_ is None else open_
        self.panel.setVisible(open_)
        self.stack.setVisible(not open_)
        self.access_button.setChecked(open_)
        if open_:
            self._reflow_bars()
            if self._key_navigation or Mode.VOICE in self.modes:
                self.mode_buttons[Mode.LARGE_TEXT].setFocus(Qt.FocusReason.OtherFocusReason)
        self.announce()

    def _build_voice_bar(self) -> QFrame:
        """Speech speed and volume, shown while voice guidance is on (KS X 9211 asks for both)."""
        self.voice_bar = QFrame()
        self.voice_bar.setObjectName("bar")
        self.voice_layout = layout = QGridLayout(self.voice_bar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.voice_label = PlainLabel()
        self.voice_label.setObjectName("barText")
        layout.addWidget(self.voice_label, 0, 0, 1, -1)
        self.voice_buttons: dict[str, TouchButton] = {}
        for key, rate, volume in (("slower", -1, 0), ("faster", 1, 0), ("quieter", 0, -1), ("louder", 0, 1)):
            button = TouchButton(min_px=72)
            button.clicked.connect(lambda _=False, r=rate, v=volume: self.adjust_voice(r, v))
            self.voice_buttons[key] = button
        self.voice_bar.hide()
        return self.voice_bar

    def adjust_voice(self, rate_steps: int, volume_steps: int) -> None:
        speaker = self.ctx.speaker
        speaker.adjust(rate_steps, volume_steps)
        self._retranslate_voice_bar()
        self.ctx.speak(self.ctx.tr("common.voice_sample"))

    def _retranslate_voice_bar(self) -> None:
        t = self.ctx.tr
        for key, button in self.voice_buttons.items():
            button.set_label(t(f"common.{key}"))
        speaker = self.ctx._speaker
        rate, volume = (speaker.rate, speaker.volume) if speaker is not None else (0, 1.0)
        self.voice_label.setText(t("common.voice_settings", rate=rate, volume=round(volume * 100)))

    def on_audio_outputs(self, descriptions: list[str]) -> None:
        """The platform's audio outputs changed: a newly plugged headset turns voice guidance on."""
        new = [d for d in descriptions if d not in self._outputs]
        self._outputs = list(descriptions)
        words = ("headphone", "headset", "earphone", "이어폰", "헤드폰", "헤드셋")
        if any(w in d.lower() for d in new for w in words) and Mode.VOICE not in self.modes:
            self.ctx.toggle_mode(Mode.VOICE)

    def _watch_audio_outputs(self) -> None:
        """Listen for headsets where the platform reports devices (started after the first frame)."""
        try:
            from PySide6.QtMultimedia import QMediaDevices

            self._media_devices = QMediaDevices(self)

            def changed() -> None:
                self.on_audio_outputs([d.description() for d in QMediaDevices.audioOutputs()])

            self._outputs = [d.description() for d in QMediaDevices.audioOutputs()]
            self._media_devices.audioOutputsChanged.connect(changed)
        except Exception:
            return  # no multimedia backend: keypad keys still start voice guidance

    def bar_buttons(self) -> list[TouchButton]:
        """The bottom bar's buttons, in their fixed order (the same place on every page)."""
        return [self.home_button, self.back_button, self.access_button, self.language_button]

    # -- modes ------------------------------------------------------------------------------
    @property
    def modes(self) -> Modes:
        return self.ctx.modes

    def _on_modes_changed(self, _modes: Modes) -> None:
        was_voice = self.notice.isVisible()
        self.apply_modes()
        self.retranslate()
        self.voice_bar.setVisible(Mode.VOICE in self.modes)
        if Mode.VOICE in self.modes:
            speaker = self.ctx.speaker
            speaker.sig_unavailable.connect(self._on_speech_unavailable)
            if not speaker.available:
                self._on_speech_unavailable("")
            self.announce()
        elif was_voice:
            self.notice.hide()

    def _on_speech_unavailable(self, _reason: str) -> None:
        self.notice.setText(self.ctx.tr("common.speech_unavailable"))
        self.notice.show()

    def apply_modes(self) -> None:
        """Restyle and re-lay out for the current modes: everything visual scales, not only text."""
        modes = self.modes
        s = modes.scale
        palette = HIGH_CONTRAST if Mode.HIGH_CONTRAST in modes else STANDARD
        min_font = theme.font_px_for_glyph(self.ctx.config.screen.min_text_px)
        self.setStyleSheet(kiosk_style(palette, s, min_font))
        # Low screen: every control within a wheelchair user's reach leaves no room for the charter.
        self.charter.setVisible(Mode.LOW_SCREEN not in modes)
        base = max(theme.MIN_TOUCH_PX, self.ctx.config.screen.min_control_px)

        def size(button: TouchButton, px: int, icon: int = 0) -> None:
            if icon:
                button.setIconSize(QSize(round(icon * s), round(icon * s)))
            button.set_base_size(round(max(base, px) * s), round(max(base, px) * s))

        for b in self.service_buttons.values():
            size(b, 120, 64)
        size(self.ordinary_button, 140)
        for b in self.priority_buttons.values():
            size(b, 110, 40)
        size(self.done_button, 96)
        size(self.chart_button, 96, 40)
        size(self.voice_button, 96)
        size(self.status_button, 96)
        self.chart_button.setIcon(load_icon("general", palette.text))
        bar_scale = min(s, 1.4)  # the bar's text doubles; its buttons grow less, to leave room for content
        for b in self.bar_buttons():  # icons as tall as the text beside them
            b.setIconSize(QSize(round(max(32, min_font) * s), round(max(32, min_font) * s)))
            b.set_base_size(round(130 * bar_scale), round(max(base, 80) * bar_scale))
        for b in self.voice_buttons.values():
            b.set_base_size(round(120 * bar_scale), round(max(base, 72) * bar_scale))
        # Icons are redrawn in each palette's colours so they contrast like the text beside them.
        for b in self.service_buttons.values():
            b.setIcon(load_icon(b.icon_name or "general", palette.primary_text))
        for reason, b in self.priority_buttons.items():
            b.setIcon(load_icon(f"priority-{reason.value}", palette.priority))
        for b in (self.home_button, self.back_button, self.access_button, self.language_button):
            b.setIcon(load_icon(b.icon_name or "general", palette.text))
        for b in (*self.mode_buttons.values(), self.close_button):
            b.set_base_size(round(130 * bar_scale), round(max(base, 80) * bar_scale))
        self.voice_bar.setVisible(Mode.VOICE in modes)

        self._reflow_bars()
        for mode, button in self.mode_buttons.items():
            button.setChecked(mode in modes)

        # Priority reasons: 2 x 2, or one column at 200 %.
        for b in self.priority_buttons.values():
            self.priority_grid.removeWidget(b)
        columns = 2 if s == 1 else 1
        for i, b in enumerate(self.priority_buttons.values()):
            self.priority_grid.addWidget(b, i // columns, i % columns)

        # Ticket: text beside the QR code, or above it at 200 %.
        self.ticket_layout.removeWidget(self.ticket_text)
        self.ticket_layout.removeWidget(self.ticket_side)
        self.ticket_layout.addWidget(self.ticket_text, 0, 0)
        self.ticket_layout.addWidget(self.ticket_side, 0 if s == 1 else 1, 1 if s == 1 else 0)
        if self.qr_text:
            self.qr_label.setPixmap(QPixmap.fromImage(qr_image(self.qr_text, round(240 * s))))
        if self._voice is not None:
            self._voice.apply_modes()
        self._place_start_buttons()

        self._update_low_spacer()
        QTimer.singleShot(0, self, self._refit_pages)

    def _refit_pages(self) -> None:
        """Lay every scrolling page out again once it is shown in the current style.

        A page resized while hidden (large text switched off on another page) keeps its children
        where they were; one that scrolls (low screen) would show its first button over the screen.
        """
        for area in self.findChildren(QScrollArea):
            page = area.widget()
            layout = page.layout() if page is not None else None
            if layout is not None and area.isVisible():
                layout.invalidate()
                layout.activate()
        self._update_low_spacer()  # the page shown may need more (or less) of the low-screen band

    def _reflow_bars(self) -> None:
        """Lay the bottom bar (and the voice bar) out in as few rows as their words allow.

        A button is as wide as its longest word needs (a word is never broken), so the number of
        buttons per row follows from the screen width and the current text size; the order stays
        the same on every page and in every mode.
        """
        width = max(self.width(), self.ctx.config.screen.width_px if not self.isVisible() else 0)
        available = width - 64 - 32  # the screen's and the bar's side margins

        def columns(buttons: list[TouchButton], spacing: int) -> int:
            widest = 0
            for b in buttons:
                b.ensurePolished()
                words = (b._label or b.text()).replace("\n", " ").split(" ")
                widest = max(widest, b.chrome_width() + max(b.fontMetrics().horizontalAdvance(w) for w in words))
            fit = max(1, min(len(buttons), (available + spacing) // (widest + spacing)))
            rows = math.ceil(len(buttons) / fit)
            return math.ceil(len(buttons) / rows)  # balanced rows: 4 + 3 rather than 6 + 1

        groups: list[tuple[str, list[TouchButton], QGridLayout, int]] = [
            ("bar", self.bar_buttons(), self.bar_layout, 0),
            ("modes", list(self.mode_buttons.values()), self.mode_grid, 0),
            ("voice", list(self.voice_buttons.values()), self.voice_layout, 1),
        ]
        for name, buttons, grid, first_row in groups:
            per_row = columns(buttons, grid.spacing())
            if per_row == self._columns.get(name):
                continue
            self._columns[name] = per_row
            for b in buttons:
                grid.removeWidget(b)
            for i, b in enumerate(buttons):
                grid.addWidget(b, first_row + i // per_row, i % per_row)

    def _update_low_spacer(self) -> None:
        """Push the controls down into a wheelchair user's reach (400–1,220 mm above the floor).

        The band is the configured screen's unreachable part, in proportion to the window; if the
        controls would no longer fit below it, it gives way (they scroll) rather than clip them.
        """
        if Mode.LOW_SCREEN not in self.modes:
            self.low_spacer.setFixedHeight(0)
            return
        screen = self.ctx.config.screen
        wanted = round(screen.low_screen_top_px() / screen.height_px * max(self.height(), 1))
        layout = self.layout()
        rest = layout.minimumSize().height() - self.low_spacer.height() if layout is not None else 0
        # The start page and the voice box scroll only if the band cannot make room for them.
        if self.page == PAGE_VOICE:
            needed = self.voice.needed_height()
        elif self.page == PAGE_SERVICES and (page := self.services_grid.parentWidget()) is not None:
            needed = page.minimumSizeHint().height()
        else:
            needed = 0
        rest += max(0, needed - self.stack.minimumSizeHint().height())
        # A wrapped label's minimum is one line; at this width it may need more (large text, English).
        for label in (self.facility, self.banner, self.countdown, self.notice):
            if not label.isHidden():
                width = label.width() if label.isVisible() else self.width() - 64
                rest += max(0, label.heightForWidth(width) - label.minimumSizeHint().height())
        self.low_spacer.setFixedHeight(max(0, min(wanted, self.height() - rest)))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._reflow_bars()
        self._place_start_buttons()
        self._update_low_spacer()

    # -- navigation -------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _set_page(self, index: int) -> None:
        if self.panel_open:
            self.toggle_panel(False)
        self.banner.hide()
        self.stack.setCurrentIndex(index)
        if index == PAGE_SERVICES:
            self.charter.start()
        else:
            self.charter.stop()
        self._last_activity = time.monotonic()
        self._countdown_spoken = False
        self.countdown.hide()
        self._update_nav()
        QTimer.singleShot(0, self, self._refit_pages)  # a page restyled while hidden is polished only now
        first = self._first_control(index)
        if first is not None and (self._key_navigation or Mode.VOICE in self.modes):
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_page_changed.emit(index)

    def _first_control(self, index: int) -> QWidget | None:
        if index == PAGE_VOICE:
            return self.voice.first_control()
        if index == PAGE_SERVICES:
            return next(iter(self.service_buttons.values()), None)
        if index == PAGE_CLASS:
            return self.ordinary_button
        if index == PAGE_CHART:
            return self.chart.duty_buttons[0][1] if self.chart.duty_buttons else self.chart.search_button
        return self.done_button

    def _update_nav(self) -> None:
        voice_back = self.page == PAGE_VOICE and self.voice.step != STEP_RECEIPT
        self.back_button.setEnabled(self.page in (PAGE_CLASS, PAGE_CHART) or voice_back)
        self.home_button.setEnabled(self.page != PAGE_SERVICES)

    def show_services(self) -> None:
        self.service = None
        if self._voice is not None:
            self._voice.reset()  # a draft, a contact or a looked-up answer never stays for the next visitor
        self.refresh_services()
        self._set_page(PAGE_SERVICES)
        self.announce()

    def finish(self) -> None:
        """The visitor has their ticket: the screen is the next visitor's, in the default modes."""
        self.ctx.reset_for_next_visitor()
        self.show_services()

    def go_back(self) -> None:
        if self.page == PAGE_VOICE:
            if self.voice.step != STEP_RECEIPT and not self.voice.back():
                self.show_services()
            return
        if self.page in (PAGE_CLASS, PAGE_CHART):
            self.show_services()

    def show_voice_box(self) -> None:
        """The customer voice box: a new note, the kind of note first (S8)."""
        if self.busy:
            return
        self.voice.start_write()

    def show_status_check(self) -> None:
        """Receipt number and PIN: where a note is, and its answer (S8, S11)."""
        if self.busy:
            return
        self.voice.start_lookup()

    def _on_voice_step(self, _step: int) -> None:
        """A step of the voice box opened: it is this screen's page, with its navigation and voice."""
        # The keyboard comes and goes with the steps, and the room for it: now, and once laid out.
        self._update_low_spacer()
        QTimer.singleShot(0, self, self._update_low_spacer)
        if self.page != PAGE_VOICE:
            self._set_page(PAGE_VOICE)
        else:
            self.banner.hide()
            self._last_activity = time.monotonic()
            self._countdown_spoken = False
            self.countdown.hide()
            self._update_nav()
            first = self.voice.first_control()
            if self._key_navigation or Mode.VOICE in self.modes:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.announce()

    def show_chart(self) -> None:
        """The seat chart: who handles what, where they sit, whether they are in."""
        self.chart.refresh()
        self._set_page(PAGE_CHART)
        self.announce()

    def choose_service(self, code: str) -> None:
        service = next((s for s in self._services if s.code == code), None)
        if service is None or self.busy:
            return
        if self.ctx.read_only is not None:  # the previous data, read-only: no ticket can be kept
            self.banner.setText(self.ctx.tr("kiosk.read_only"))
            self.banner.show()
            self.ctx.speak(self.banner.text())
            return
        self.service = service
        self._request_key = uuid.uuid4().hex  # one ticket per visit, however often "issue" is tapped
        self._set_page(PAGE_CLASS)
        self.retranslate()
        self.announce()

    def choose_class(self, reason: PriorityReason | None) -> None:
        """Issue the ticket for the chosen service; the work runs off the UI thread."""
        if self.service is None or self.busy:
            return
        self.busy = True
        self._set_class_enabled(False)
        code, key = self.service.code, self._request_key
        self.ctx.ops.run(
            lambda: self.ctx.queue.issue_ticket(code, reason, request_key=key, actor="kiosk"),
            self._on_issued,
            self._on_issue_failed,
        )

    def _set_class_enabled(self, enabled: bool) -> None:
        self.ordinary_button.setEnabled(enabled)
        for b in self.priority_buttons.values():
            b.setEnabled(enabled)

    def _on_issued(self, ticket: TicketView) -> None:
        self.busy = False
        self._set_class_enabled(True)
        self.ticket = ticket
        self.qr_text = self.ctx.config.status_url.format(day=self.ctx.queue.today(), number=ticket.number)
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(self.qr_text, round(240 * self.modes.scale))))
        self._set_page(PAGE_TICKET)
        self._retranslate_ticket()  # only the ticket page changed: keep the tap → ticket path short
        printed = self._print_ticket(ticket)
        self.print_note.setVisible(not printed)
        self.announce()
        if not printed:
            self.ctx.speak(self.print_note.text())
        self.sig_ticket_issued.emit(ticket)

    def _print_ticket(self, ticket: TicketView) -> bool:
        """Hand the ticket to the printer (never waits for it); whether it will come out now.

        Without a printer configured the screen is the ticket (``True``: nothing to apologise for).
        A faulted printer keeps the job and prints it when it is back; the visitor is told to note
        the number meanwhile.
        """
        spooler = self.ctx.printer
        if spooler is None:
            return True
        from kiosk.printing.jobs import TicketPrint

        lang = self.ctx.lang
        service = next((s for s in self._services if s.code == ticket.service), self.service)
        local = ticket.issued_at.astimezone(self.ctx.config.tz)
        spooler.submit(
            TicketPrint(
                facility=self.ctx.facility(),
                number=ticket.number,
                service=service.name(lang) if service else ticket.service,
                priority=self.ctx.tr(f"priority.{ticket.priority}") if ticket.priority else None,
                ahead=ticket.ahead or 0,
                wait_min=ticket.wait_min or 0,
                wait_max=ticket.wait_max or 0,
                issued_at=f"{local:%Y-%m-%d %H:%M}",
                qr=self.qr_text,
                lang=lang,
            )
        )
        return bool(spooler.status.ok)

    def _on_issue_failed(self, error: BaseException) -> None:
        self.busy = False
        self._set_class_enabled(True)
        self.banner.setText(self.ctx.error_text(error))
        self.banner.show()
        self.ctx.speak(self.banner.text())

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        """The states an accessibility audit should visit (each page, reached as a visitor would)."""
        return [
            ("services", self.show_services),
            ("accessibility panel", lambda: self.toggle_panel(True)),
            ("panel closed", lambda: self.toggle_panel(False)),
            ("class", lambda: self.choose_service(self._services[0].code) if self._services else None),
            ("ticket", lambda: self.choose_class(None)),
            ("seat chart", self.show_chart),
            ("seat chart answer", self.chart.ask_first),
            *((f"voice box {name}", go) for name, go in self.voice.audit_states()),
        ]

    # -- voice ------------------------------------------------------------------------------
    def page_announcement(self) -> str:
        """What voice guidance says when the current page opens: where you are, what you can do."""
        t, lang = self.ctx.tr, self.ctx.lang
        if self.page == PAGE_SERVICES and self.ctx.read_only is not None:
            # No ticket (an upgrade failed): why, and the keys that still do something.
            n = len(self._services)
            check = "" if self.status_button.isHidden() else t("kiosk.say_read_only_check", check=n + 3)
            return f"{t('kiosk.read_only')} {t('kiosk.say_read_only_keys', chart=n + 1)} {check}".strip()
        if self.page == PAGE_SERVICES:
            choices = " ".join(
                t("kiosk.say_service_choice", key=i, name=s.name(lang), waiting=s.waiting)
                for i, s in enumerate(self._services, start=1)
            )
            said = t("kiosk.say_services", choices=choices)
            if not self.voice_button.isHidden():
                n = len(self._services)
                said = f"{said} {t('voicebox.say_entry', write=n + 2, check=n + 3)}"
            return said
        if self.page == PAGE_CLASS and self.service is not None:
            note = self.absence.text() if self.absence.isVisible() else ""
            return f"{note} {t('kiosk.say_class', service=self.service.name(lang))}".strip()
        if self.page == PAGE_CHART:
            return self.chart.announcement()
        if self.page == PAGE_VOICE:
            return self.voice.announcement()
        if self.page == PAGE_TICKET and self.ticket is not None:
            ticket = self.ticket
            priority = (
                t("kiosk.ticket_priority", reason=t(f"priority.{ticket.priority}")) + ". " if ticket.priority else ""
            )
            return t(
                "kiosk.say_ticket",
                number=ticket.number,
                service=self.ticket_service.text(),
                priority=priority,
                ahead=self.ticket_ahead.text() + ".",
                wait=minutes_range(ticket.wait_min, ticket.wait_max, lang),
                location=self.ticket_location.text(),
            )
        return ""

    def announce(self) -> None:
        self.last_announcement = self.panel_announcement() if self.panel_open else self.page_announcement()
        self.ctx.speak(self.last_announcement)

    def panel_announcement(self) -> str:
        """What voice guidance says when the accessibility panel opens: the choices and what is on."""
        t = self.ctx.tr
        active = ", ".join(t(key) for mode, key in _MODE_KEYS if mode in self.modes) or t("common.none_active")
        return t("common.say_access", active=active)

    def describe(self, widget: QWidget) -> str:
        """Name, role and state, as voice guidance speaks a focused control."""
        t = self.ctx.tr
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):  # a text field: what it is and what it holds
            text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
            held = t("voicebox.edit_has", text=text) if text else t("voicebox.edit_empty")
            return ", ".join(p for p in (widget.accessibleName(), t("voicebox.role_edit"), held) if p)
        parts = [widget.accessibleName() or "", t("common.button")]
        if isinstance(widget, QAbstractButton) and widget.isCheckable():
            parts.append(t("common.on") if widget.isChecked() else t("common.off"))
        if not widget.isEnabled():
            parts.append(t("common.unavailable"))
        return ", ".join(p for p in parts if p)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isAncestorOf(new) or not self._key_navigation:
            return
        self.ctx.speak(self.describe(new))

    # -- keypad -----------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        """Keypad and keyboard operation; returns whether the key was used."""
        key = event.key()
        self._key_navigation = True
        focused = QApplication.focusWidget()
        typing = (
            isinstance(focused, (QLineEdit, QPlainTextEdit)) and self.page == PAGE_VOICE and self.isAncestorOf(focused)
        )
        if typing and key not in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            return False  # a keyboard's keys type into the voice box's field; Esc goes back, F1 repeats
        if Mode.VOICE not in self.modes and key in (*_DIGITS, Qt.Key.Key_Asterisk):
            self.ctx.toggle_mode(Mode.VOICE)  # a keypad key is the cue that the visitor wants voice
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and Mode.VOICE in self.modes:
            self.adjust_voice(0, 1 if key == Qt.Key.Key_Plus else -1)
            return True
        if key in (Qt.Key.Key_Asterisk, Qt.Key.Key_F1):
            self.ctx.speak(self.last_announcement or self.page_announcement())
            return True
        if key == Qt.Key.Key_NumberSign:
            self.toggle_panel()
            return True
        if key in _DIGITS:
            return self._digit(_DIGITS[key])
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Escape):
            self._digit(0)
            return True
        if self.page == PAGE_CHART and not self.panel_open and key not in _DIGITS and self.chart.handle_key(key):
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.focusNextPrevChild(False)
            return True
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.focusNextPrevChild(True)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QAbstractButton) and self.isAncestorOf(focused) and focused.isEnabled():
                focused.click()
                return True
        return False

    def _digit(self, n: int) -> bool:
        if self.panel_open:  # 1-4 switch the modes, 0 closes the panel
            if n == 0:
                self.toggle_panel(False)
                return True
            if n <= len(_MODE_KEYS):
                self.ctx.toggle_mode(_MODE_KEYS[n - 1][0])
                return True
            return False
        if self.page == PAGE_CHART:
            if n == 0:
                self.show_services()
                return True
            return self.chart.handle_key(getattr(Qt.Key, f"Key_{n}"))
        if self.page == PAGE_VOICE:
            if n == 0:
                if self.voice.step == STEP_RECEIPT:
                    self.finish()
                else:
                    self.go_back()
                return True
            return self.voice.handle_digit(n)
        if self.page == PAGE_SERVICES and n == len(self._services) + 1:
            self.show_chart()
            return True
        voice_box = {
            len(self._services) + 2: (self.voice_button, self.show_voice_box),
            len(self._services) + 3: (self.status_button, self.show_status_check),
        }
        if self.page == PAGE_SERVICES and n in voice_box and not voice_box[n][0].isHidden():
            voice_box[n][1]()
            return True
        if n == 0:
            if self.page == PAGE_CLASS:
                self.go_back()
            elif self.page == PAGE_TICKET:
                self.finish()
            return True
        if self.page == PAGE_SERVICES and n <= len(self._services):
            self.choose_service(self._services[n - 1].code)
            return True
        if self.page == PAGE_CLASS:
            reasons = list(PriorityReason)
            if n == 1:
                self.choose_class(None)
                return True
            if n - 2 < len(reasons):
                self.choose_class(reasons[n - 2])
                return True
        return False

    # -- data -------------------------------------------------------------------------------
    def _refresh_if_visible(self) -> None:
        if self.page == PAGE_SERVICES and self.isVisible():
            self.refresh_services()

    def refresh_services(self) -> None:
        if not self.ctx.ready:
            return  # painted at once at start-up; the services arrive with the store
        try:
            services = self.ctx.queue.services()
        except Exception as exc:  # the start screen must stay up even if the store hiccups
            self.banner.setText(self.ctx.error_text(exc))
            self.banner.show()
            return
        if [s.code for s in services] != [s.code for s in self._services]:
            self._rebuild_service_buttons(services)
        self._services = services
        self._retranslate_services()

    def _rebuild_service_buttons(self, services: list[ServiceView]) -> None:
        for button in self.service_buttons.values():
            self.services_grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        columns = 1 if len(services) <= 3 else 2
        for i, s in enumerate(services):
            button = TouchButton(min_px=120, icon=s.icon)
            button.setObjectName("service")
            button.clicked.connect(lambda _=False, c=s.code: self.choose_service(c))
            self.service_buttons[s.code] = button
            self.services_grid.addWidget(button, i // columns, i % columns)
        self.apply_modes()

    # -- texts ------------------------------------------------------------------------------
    def _wait_text(self, s: ServiceView) -> str:
        return minutes_range(s.wait_min, s.wait_max, self.ctx.lang)

    def _retranslate_services(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        read_only = self.ctx.read_only is not None
        self.no_services.setVisible(not self._services or read_only)
        if read_only:  # an upgrade failed: the services are shown as they stood, and staff help
            self.no_services.setText(t("kiosk.read_only"))
        else:
            self.no_services.setText(t("kiosk.no_services") if self.ctx.ready else t("kiosk.loading"))
        for button in self.service_buttons.values():
            button.setEnabled(not read_only)
        for i, s in enumerate(self._services, start=1):
            wait = self._wait_text(s) if s.open_counters or s.back_at else t("kiosk.no_counter_open")
            status = t("kiosk.service_status", waiting=s.waiting, wait=wait)
            away = self.absence_text(s)
            self.service_buttons[s.code].set_label(
                f"{i}. {s.name(lang)}\n{s.help(lang)}\n{status}" + (f"\n{away}" if away else ""),
                t("kiosk.service_button_name", name=s.name(lang), help=s.help(lang), waiting=s.waiting, wait=wait)
                + (f" {away}" if away else ""),
            )
        self.chart_button.set_label(t("chart_ui.open_chart"), t("chart_ui.open_chart_name"))
        self.chart_button.setVisible(self.ctx.charts is not None)
        self.voice_button.set_label(t("voicebox.open_write"), t("voicebox.open_write_name"))
        self.status_button.set_label(t("voicebox.open_status"), t("voicebox.open_status_name"))
        self.status_button.setVisible(self.ctx.feedback is not None)
        self.voice_button.setVisible(self.ctx.feedback is not None and not read_only)  # a note could not be kept
        self._place_start_buttons()

    def absence_text(self, s: ServiceView) -> str:
        """S3 on the service screen: whose duty is uncovered, who stands in, or the wait until the return."""
        now = datetime.now(UTC)
        note = absence_note(s.absent, self.ctx.lang, self.ctx.config.tz, now)
        if s.back_at is not None:
            when = local_time(s.back_at, self.ctx.config.tz, now)
            note = f"{note} {self.ctx.tr('chart_ui.wait_for_return', time=when)}".strip()
        return note

    def retranslate(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        self.facility.setText(self.ctx.facility())
        self.services_title.setText(t("kiosk.choose_service"))
        self._retranslate_services()
        if self.service is not None:
            self.class_title.setText(t("kiosk.class_title", service=self.service.name(lang)))
            current = next((s for s in self._services if s.code == self.service.code), self.service)
            away = self.absence_text(current)
            self.absence.setText(away)
            self.absence.setVisible(bool(away))
        self.ordinary_button.set_label(f"1. {t('kiosk.ordinary')}\n{t('kiosk.ordinary_help')}", t("kiosk.ordinary"))
        self.priority_question.setText(t("kiosk.priority_question"))
        self.priority_help.setText(t("kiosk.priority_help"))
        for i, (reason, button) in enumerate(self.priority_buttons.items(), start=2):
            name = t(f"priority.{reason.value}")
            button.set_label(
                f"{i}. {theme.PRIORITY_MARK} {t('kiosk.priority_button', reason=name)}",
                t("kiosk.priority_button_name", reason=name),
            )
        self._retranslate_ticket()
        self.home_button.set_label(t("common.home"))
        self.back_button.set_label(t("common.back"))
        for i, (mode, key) in enumerate(_MODE_KEYS, start=1):
            self.mode_buttons[mode].set_label(f"{i}. {t(key)}", t(key))
        self.access_button.set_label(t("common.access"), t("common.access_name"))
        self.panel_title.setText(t("common.access_title"))
        self.close_button.set_label(t("common.close"))
        self.language_button.set_label(t("common.language"), t("common.language_name"))
        self._retranslate_voice_bar()
        self.qr_caption.setText(t("kiosk.ticket_qr"))
        self.done_button.set_label(t("kiosk.ticket_done"))
        if self._voice is not None:
            self._voice.retranslate()
        if self.notice.isVisible():
            self.notice.setText(t("common.speech_unavailable"))
        self._update_countdown()
        self._update_clock()
        self._reflow_bars()
        self._fit_to_text()

    def _fit_to_text(self) -> None:
        """Grow every button to its text in the current style, so nothing is ever clipped."""
        for button in self.findChildren(TouchButton):
            button.ensurePolished()
            button.set_base_size(*button._base)

    def _retranslate_ticket(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        ticket = self.ticket
        if ticket is None:
            return
        service = next((s for s in self._services if s.code == ticket.service), self.service)
        self.ticket_title.setText(t("kiosk.ticket_title"))
        self.ticket_number.setText(ticket.number)
        name = service.name(lang) if service else ticket.service
        self.ticket_service.setText(t("kiosk.ticket_service", service=name))
        if ticket.priority:
            reason = t(f"priority.{ticket.priority}")
            self.ticket_priority.setText(f"{theme.PRIORITY_MARK} {t('kiosk.ticket_priority', reason=reason)}")
            self.ticket_priority.show()
        else:
            self.ticket_priority.hide()
        ahead = ticket.ahead or 0
        key = {0: "kiosk.ticket_ahead_none", 1: "kiosk.ticket_ahead_one"}.get(ahead, "kiosk.ticket_ahead")
        self.ticket_ahead.setText(t(key, ahead=ahead))
        self.ticket_wait.setText(t("kiosk.ticket_wait", wait=minutes_range(ticket.wait_min, ticket.wait_max, lang)))
        self.ticket_location.setText(service.location(lang) if service else "")
        self.ticket_number.setAccessibleName(f"{t('kiosk.ticket_title')} {ticket.number}")
        self.print_note.setText(t("printing.note_number", number=ticket.number))

    # -- idle return ------------------------------------------------------------------------
    def remaining_seconds(self) -> float:
        """Seconds until the screen returns to the start; doubled in any accessibility mode."""
        limit = self.idle_seconds * self.modes.timeout_factor
        if self.page == PAGE_VOICE:
            limit *= self.voice.idle_factor  # writing takes longer than tapping
        return limit - (time.monotonic() - self._last_activity)

    def _on_tick(self) -> None:
        self._update_clock()
        if self.page == PAGE_SERVICES or self.busy or (self._voice is not None and self._voice.busy):
            self.countdown.hide()
            return
        if self.remaining_seconds() <= 0:
            self.ctx.reset_for_next_visitor()
            self._key_navigation = False
            self.show_services()
            return
        self._update_countdown()

    def _update_countdown(self) -> None:
        remaining = self.remaining_seconds()
        if self.page != PAGE_SERVICES and remaining <= self.idle_warning_seconds:
            self.countdown.setText(self.ctx.tr("kiosk.idle_countdown", seconds=max(1, math.ceil(remaining))))
            self.countdown.show()
            if not self._countdown_spoken:
                self._countdown_spoken = True
                self.ctx.speak(self.ctx.tr("kiosk.say_countdown"))
        else:
            self.countdown.hide()

    def _update_clock(self) -> None:
        """The facility's local time (the kiosk's own clock may be set to UTC)."""
        self.clock.setText(datetime.now(self.ctx.config.tz).strftime("%H:%M"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and isinstance(watched, QWidget) and watched.window() is self.window():
            self._last_activity = time.monotonic()
            self._countdown_spoken = False
            if self.countdown.isVisible():
                self.countdown.hide()
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self.isVisible():
                return self.handle_key(event)
        return False
