"""The facility's service charter on the idle screen (S14): one promise at a time, readable aloud.

The charter is posted "on site at all times"; on the kiosk it cycles on the start page, in the
visitor's language, with previous/next buttons for whoever wants to read at their own pace and a
"read aloud" button in voice mode. The items come from the facility's own file
(``config.charter_file``, ``kiosk.services.charter``); all of it is shown as plain text.

API (for the screen that places it; the panel is not placed anywhere by itself)::

    panel = CharterPanel(ctx)              # loads ctx.config.charter_file
    panel = CharterPanel(ctx, items=[...]) # or given items (tests, previews)
    layout.addWidget(panel)
    panel.start()   # cycle: next item every ``interval_ms`` (8 s); call when the start page shows
    panel.stop()    # stop cycling (another page is showing); the current item stays

- ``CharterPanel(ctx, parent=None, *, items=None, interval_ms=8000, pause_ms=30000)``.
  Without a charter file, or with one that cannot be used, the panel stays hidden (``show()``
  too does nothing), ``items`` is empty and ``error`` holds the loader's message (file, item,
  field; also logged as a warning); ``start()`` then does nothing, so the caller needs no
  special case.
- ``sig_item_changed(int)``: the item now shown (its index in ``items``), by the timer or a tap.
- ``sig_read_aloud(str)``: the visitor asked for the item to be read; carries the text spoken.
- ``next_item()`` / ``previous_item()``: what the touch buttons do (a tap pauses the cycle for
  ``pause_ms`` so the visitor can read, and in voice mode speaks the new item);
  ``show_item(index)``; ``read_aloud()``; ``announcement()``: the current item as spoken text.
- It follows ``ctx.sig_language_changed`` and ``ctx.sig_modes_changed`` by itself
  (``retranslate()`` and ``apply_modes()``, like the kiosk's other widgets). ``set_language("en")``
  pins it to one language whatever the visitor's (a board alternating languages);
  ``set_language(None)`` follows ``ctx.lang`` again.
- Its buttons (``previous_button``, ``next_button``, ``read_button``) are ``TouchButton``s with
  accessible names, reachable with Tab/arrows; the kiosk's ``describe()`` speaks them like its own.
  The panel keeps the height of its longest item, so the page does not jump as it cycles.
- It carries its own style sheet (surface card, text at least the screen's 12 mm minimum, touch
  targets as on the kiosk), so it looks the same on any page, in every palette and at 200 %.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.accessibility.modes import Mode, Modes
from kiosk.i18n import tr
from kiosk.services.charter import CharterError, CharterItem, load_charter
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, Palette
from kiosk.ui.widgets import PlainLabel, TouchButton

log = logging.getLogger(__name__)

INTERVAL_MS = 8000
"""How long each promise stays up while the panel cycles on its own."""

PAUSE_MS = 30000
"""After a tap on previous/next the item stays this long: the visitor is reading it."""


def charter_style(p: Palette, scale: float = 1.0, min_font_px: int = 0) -> str:
    """The panel's style sheet: a card on the page, text never below ``min_font_px`` (12 mm)."""

    def f(px: float) -> int:
        return round(px * scale)

    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    return f"""
QFrame#charter {{ background: {p.surface}; border: 3px solid {p.primary}; border-radius: 14px; }}
QFrame#charter QLabel {{ color: {p.text}; font-size: {t(24)}px; background: transparent; border: none; }}
QFrame#charter QLabel#charterHeading, QFrame#charter QLabel#charterPosition {{ color: {p.muted}; }}
QFrame#charter QLabel#charterTitle {{ color: {p.primary}; font-weight: bold; font-size: {t(28)}px; }}
QFrame#charter QPushButton {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary};
    border-radius: 14px; font-size: {t(24)}px; padding: {f(8)}px {f(16)}px; }}
QFrame#charter QPushButton:focus {{ border: 6px solid {p.focus}; }}
"""


class CharterPanel(QFrame):
    """One charter item at a time, cycling; see the module docstring for the API."""

    sig_item_changed = Signal(int)
    """The item shown changed (its index in ``items``): the timer advanced or the visitor tapped."""

    sig_read_aloud = Signal(str)
    """The visitor asked for the current item to be read aloud; carries the text given to speech."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        items: list[CharterItem] | None = None,
        interval_ms: int = INTERVAL_MS,
        pause_ms: int = PAUSE_MS,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.error = ""
        """Why the charter could not be loaded (file, item and field), or ``""``."""
        self.items: list[CharterItem] = self._load() if items is None else list(items)
        self.index = 0
        self.interval_ms = interval_ms
        self.pause_ms = pause_ms
        self._pinned: str | None = None
        self.setObjectName("charter")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        root = QVBoxLayout(self)
        root.setContentsMargins(20, 14, 20, 14)
        root.setSpacing(10)
        header = QHBoxLayout()
        header.setSpacing(16)
        self._header = header
        self._compact = False
        self.heading = PlainLabel()
        self.heading.setObjectName("charterHeading")
        self.position = PlainLabel(wrap=False)
        self.position.setObjectName("charterPosition")
        self.position.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.heading, 1)
        header.addWidget(self.position)
        root.addLayout(header)
        self.title = PlainLabel()
        self.title.setObjectName("charterTitle")
        self.text = PlainLabel()
        self.text.setObjectName("charterText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        root.addWidget(self.title)
        root.addWidget(self.text, 1)
        nav = QHBoxLayout()
        nav.setSpacing(16)
        self._nav = nav
        self.previous_button = TouchButton()
        self.read_button = TouchButton()
        self.next_button = TouchButton()
        self.previous_button.clicked.connect(self.previous_item)
        self.read_button.clicked.connect(self.read_aloud)
        self.next_button.clicked.connect(self.next_item)
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        root.addLayout(nav)
        root.addWidget(self.read_button)  # a row of its own: at 200 % the three do not fit side by side

        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer)
        # Bound methods: Qt drops the connections when the panel is destroyed.
        ctx.sig_language_changed.connect(self._on_language_changed)
        ctx.sig_modes_changed.connect(self._on_modes_changed)
        if not self.items:
            self.hide()
        self.apply_modes()

    def set_compact(self, compact: bool) -> None:
        """Previous/next beside the heading instead of under the text: one row less, for a landscape
        start page that must fit without scrolling."""
        if compact == self._compact:
            return
        self._compact = compact
        for b in (self.previous_button, self.next_button):
            self._nav.removeWidget(b)
            self._header.removeWidget(b)
        if compact:  # heading · previous · 1 / 8 · next
            self._header.insertWidget(1, self.previous_button)
            self._header.addWidget(self.next_button)
        else:
            self._nav.insertWidget(0, self.previous_button)
            self._nav.addWidget(self.next_button)

    def setVisible(self, visible: bool) -> None:
        """Never shown without items: a page that shows and hides the panel needs no special case."""
        super().setVisible(visible and bool(getattr(self, "items", None)))

    def _load(self) -> list[CharterItem]:
        path = self.ctx.config.charter_file
        if path is None:
            return []
        try:
            return load_charter(path)
        except CharterError as exc:  # the start page must come up anyway; staff find the reason in the log
            self.error = str(exc)
            log.warning("service charter not shown: %s", exc)
            return []

    # -- cycling ------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Cycle through the items (from the one shown now); nothing to do without items."""
        if self.items:
            self._timer.start(self.interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _on_timer(self) -> None:
        self._timer.setInterval(self.interval_ms)  # back to the normal pace after a visitor's pause
        self.show_item(self.index + 1)

    def show_item(self, index: int) -> None:
        """Show item ``index`` (wrapping around at either end)."""
        if not self.items:
            return
        self.index = index % len(self.items)
        self._show()
        self.sig_item_changed.emit(self.index)

    def _visitor_moved(self, step: int) -> None:
        self.show_item(self.index + step)
        if self.running:
            self._timer.start(self.pause_ms)  # leave it up while it is read
        if Mode.VOICE in self.ctx.modes:
            self.ctx.speak(self.announcement())

    def next_item(self) -> None:
        """The "next" button: the following promise, and a pause in the cycle."""
        self._visitor_moved(1)

    def previous_item(self) -> None:
        """The "previous" button: the promise before, and a pause in the cycle."""
        self._visitor_moved(-1)

    # -- voice --------------------------------------------------------------------------------
    def current(self) -> CharterItem | None:
        return self.items[self.index] if self.items else None

    def announcement(self) -> str:
        """The current item as voice guidance says it."""
        item = self.current()
        if item is None:
            return ""
        lang = self.ctx.lang  # spoken in the visitor's language, the voice's language
        return self.ctx.tr("charter.say_item", index=self.index + 1, title=item.title(lang), text=item.text(lang))

    def read_aloud(self) -> None:
        """The "read aloud" button (shown in voice mode): say the current item."""
        text = self.announcement()
        if not text:
            return
        if self.running:
            self._timer.start(self.pause_ms)  # do not move on in the middle of the reading
        self.ctx.speak(text)
        self.sig_read_aloud.emit(text)

    # -- language and look --------------------------------------------------------------------
    @property
    def lang(self) -> str:
        """The language shown: pinned by ``set_language``, else the visitor's."""
        return self._pinned or self.ctx.lang

    def set_language(self, lang: str | None) -> None:
        """Show the charter in ``lang`` ("ko"/"en") whatever the visitor's language; ``None`` follows it."""
        self._pinned = lang
        self.retranslate()

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate()

    def _on_modes_changed(self, _modes: Modes) -> None:
        self.apply_modes()

    def apply_modes(self) -> None:
        """Restyle for the current modes: palette, 200 % sizes, the read-aloud button in voice mode."""
        modes = self.ctx.modes
        s = modes.scale
        palette = HIGH_CONTRAST if Mode.HIGH_CONTRAST in modes else STANDARD
        min_font = theme.font_px_for_glyph(self.ctx.config.screen.min_text_px)
        self.setStyleSheet(charter_style(palette, s, min_font))
        base = round(max(theme.MIN_TOUCH_PX, self.ctx.config.screen.min_control_px, 80) * s)
        for b in (self.previous_button, self.next_button):
            b.nowrap = True  # short words: the button grows to them rather than breaking "Previous"
        for b in (self.previous_button, self.read_button, self.next_button):
            b.ensurePolished()
            b.set_base_size(base, base)
        self.read_button.setVisible(Mode.VOICE in modes)
        self.retranslate()

    def _tr(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def retranslate(self) -> None:
        t = self._tr
        self.heading.setText(t("charter.heading"))
        self.setAccessibleName(t("charter.heading"))
        self.previous_button.set_label(f"◀ {t('charter.previous')}", t("charter.previous_name"))
        self.next_button.set_label(f"{t('charter.next')} ▶", t("charter.next_name"))
        self.read_button.set_label(t("charter.read"), t("charter.read_name"))
        self._show()

    def _show(self) -> None:
        item = self.current()
        if item is None:
            return
        t = self._tr
        total = len(self.items)
        self.position.setText(t("charter.position", index=self.index + 1, total=total))
        self.position.setAccessibleName(t("charter.position_name", index=self.index + 1, total=total))
        self.title.setText(item.title(self.lang))
        self.text.setText(item.text(self.lang))
        self._reserve_height()

    def _reserve_height(self) -> None:
        """As tall as the longest item needs at this width: the page does not jump every 8 seconds."""
        if not self.items:
            return
        for label, texts in (
            (self.title, [i.title(self.lang) for i in self.items]),
            (self.text, [i.text(self.lang) for i in self.items]),
        ):
            label.ensurePolished()
            width = label.contentsRect().width()
            if width <= 0:
                continue
            metrics = label.fontMetrics()
            flags = Qt.TextFlag.TextWordWrap
            tallest = max(metrics.boundingRect(QRect(0, 0, width, 0), flags, text).height() for text in texts)
            label.setMinimumHeight(tallest)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reserve_height()
