"""Small widgets every screen uses, with accessibility built in, not added later.

``TouchButton`` always has an accessible name and a touch-sized minimum; ``PlainLabel`` never
interprets text as rich text (visitor-typed text must not become markup).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.paths import asset
from kiosk.ui.theme import MIN_TOUCH_PX


class PlainLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setText(text)


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
        self.setMinimumSize(min_px, min_px)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._explicit_name = accessible_name
        self.icon_name = icon
        if icon:
            self.setIcon(load_icon(icon))
        self.setAccessibleName(accessible_name or text.replace("\n", " "))

    def set_label(self, text: str, accessible_name: str | None = None) -> None:
        self.setText(text)
        self._explicit_name = accessible_name
        self.setAccessibleName(accessible_name or text.replace("\n", " "))


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
