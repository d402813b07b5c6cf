"""Small widgets every screen uses, with accessibility built in, not added later.

``TouchButton`` always has an accessible name and a touch-sized minimum; ``PlainLabel`` never
interprets text as rich text (visitor-typed text must not become markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QScroller, QSizePolicy, QWidget

from kiosk.paths import asset
from kiosk.ui.theme import MIN_TOUCH_PX


class PlainLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setText(text)


def show_message(label: QLabel, text: str, *, error: bool, normal: str = "message") -> None:
    """Show ``text`` in a screen's message line, styled as an error (``#error``) or as ``normal``."""
    label.setObjectName("error" if error else normal)
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)
    label.show()


def shown_text(label: QLabel, screen: QWidget) -> str:
    """What a message line shows on ``screen`` now (``""`` while it is hidden)."""
    return label.text() if label.isVisibleTo(screen) else ""


class TouchButton(QPushButton):
    """A button at least ``MIN_TOUCH_PX`` square whose accessible name follows its text."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        accessible_name: str | None = None,
        min_px: int = MIN_TOUCH_PX,
        icon: str | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._label: str | None = None
        self.nowrap = False
        """Keep the label on one line and grow the button's width to it (short labels in a row)."""
        self._base = (min_px, min_px)
        self.setMinimumSize(min_px, min_px)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._explicit_name = accessible_name
        self.icon_name = icon
        if icon:
            self.setIcon(load_icon(icon))
        self.setAccessibleName(accessible_name or text.replace("\n", " "))

    def set_label(self, text: str, accessible_name: str | None = None) -> None:
        self._label = text
        self._explicit_name = accessible_name
        self.setAccessibleName(accessible_name or text.replace("\n", " "))
        self._wrap()

    def _wrap(self) -> None:
        """QPushButton cannot wrap text; break lines ourselves so large text is never clipped."""
        label = getattr(self, "_label", None)
        if label is None:
            return
        if self.nowrap:
            if self.text() != label:
                self.setText(label)
            self.ensurePolished()
            needed = self.fontMetrics().horizontalAdvance(label) + max(24, self.chrome_width())
            self.setMinimumSize(max(self._base[0], needed), max(self._base[1], self.sizeHint().height()))
            return
        available = max(40, self.width() - self.chrome_width())
        wrapped = wrap_text(label, self.fontMetrics().horizontalAdvance, available)
        if wrapped != self.text():
            self.setText(wrapped)
        # Tall enough for the wrapped text, and never less than the touch-target minimum.
        self.setMinimumHeight(max(self._base[1], self.sizeHint().height()))

    def chrome_width(self) -> int:
        """Pixels the button needs besides its text: border, padding and icon, as the style lays them out."""
        lines = self.text().split("\n")
        text = max(self.fontMetrics().horizontalAdvance(line) for line in lines) if self.text() else 0
        icon = self.iconSize().width() + 4 if not self.icon().isNull() else 0
        return max(24 + icon, self.sizeHint().width() - text)

    def set_base_size(self, width: int, height: int) -> None:
        """The touch-target minimum (the text may make the button taller, never smaller)."""
        self._base = (width, height)
        self.setMinimumSize(width, height)
        self._wrap()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._wrap()


def wrap_text(text: str, advance: Callable[[str], int], width: int) -> str:
    """Greedy word wrap of each line of ``text`` to ``width`` pixels (long words break by character)."""
    out: list[str] = []
    for line in text.split("\n"):
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}" if current else word
            if advance(candidate) <= width or not current:
                current = candidate
            else:
                out.append(current)
                current = word
            while advance(current) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and advance(current[:cut]) > width:
                    cut -= 1
                out.append(current[:cut])
                current = current[cut:]
        out.append(current)
    return "\n".join(out)


def load_icon(name: str, colour: str | None = None) -> QIcon:
    """An icon from ``assets/icons``, optionally redrawn in ``colour`` (so it contrasts in every theme)."""
    path = asset("icons", f"{name}.svg")
    if not path.exists():
        return QIcon()
    if colour is None:
        return QIcon(str(path))
    svg = re.sub(r'(stroke|fill)="#[0-9A-Fa-f]{6}"', lambda m: f'{m.group(1)}="{colour}"', path.read_text())
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(128, 128)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


def touch_scroll_area(page: QWidget) -> QScrollArea:
    """``page`` in a scroll area a finger drags (a tap without a drag still presses a button).

    Pages scroll instead of clipping when large text makes them taller than the screen; the page
    is named ``page`` for the style sheets.
    """
    page.setObjectName("page")
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(page)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area
