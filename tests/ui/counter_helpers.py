"""Building the counter console and the calling board in tests, and waiting for them to settle."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QHeaderView, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.board import CallingBoard
from kiosk.ui.console import CounterConsole
from kiosk.ui.context import UiContext


def open_console(qtbot: QtBot, ctx: UiContext, number: int) -> CounterConsole:
    """A console for counter ``number`` at 1280×800, with its first state loaded."""
    c = CounterConsole(ctx, number)
    qtbot.addWidget(c)
    c.resize(1280, 800)
    c.show()
    qtbot.waitUntil(lambda: c.state is not None, timeout=3000)
    return c


def open_board(qtbot: QtBot, ctx: UiContext) -> CallingBoard:
    b = CallingBoard(ctx)
    qtbot.addWidget(b)
    b.resize(1280, 800)
    b.show()
    return b


def settle(ctx: UiContext, qtbot: QtBot) -> None:
    """Let queued operations and the reloads they trigger finish."""
    for _ in range(5):
        ctx.ops.wait()
        qtbot.wait(20)


def interactive(root: QWidget) -> list[QWidget]:
    """Visible widgets staff can operate: buttons, check boxes, combos, lists and tables."""
    kinds = (QAbstractButton, QComboBox, QAbstractItemView)

    def operable(w: QWidget) -> bool:
        return not isinstance(w, QHeaderView) or w.sectionsClickable()

    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root) and operable(w)]


def spoken_name(w: QWidget) -> str:
    """The name assistive technology (Orca via AT-SPI) reads for ``w``."""
    iface = QAccessible.queryAccessibleInterface(w)
    return "" if iface is None else iface.text(QAccessible.Text.Name)
