"""Kiosk lockdown (issue 9): a visitor cannot leave the app; staff can, after their PIN.

Every full-screen window is frameless and stays on top; closing it (Alt+F4, the window manager,
``close()``) is refused, and the desktop's own shortcuts that reach the application (Alt+F4,
Ctrl+Q/W, Alt+Tab, the Super key, F11) are swallowed. What the application never sees — switching
consoles, the compositor's own keys — is the kiosk session's job (README, "Kiosk lockdown").

A hidden staff gesture opens the PIN prompt: five taps within three seconds in the top-left corner
of a screen, or Ctrl+Alt+Shift+S on a keyboard. A signed-in staff member may then close the kiosk;
that is written to the audit log. Qt only here: the rules about who may do what stay in the
services (``StaffAuth`` checks the PIN, ``AuditService.record`` writes the entry).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.context import UiContext
from kiosk.ui.theme import MIN_TOUCH_PX
from kiosk.ui.widgets import PlainLabel, TouchButton

if TYPE_CHECKING:
    from kiosk.services.auth import StaffSession

CORNER_PX = 80
TAPS = 5
TAP_WINDOW_S = 3.0
SWALLOWED = {
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.AltModifier),
}
"""Window-manager shortcuts that reach the application (key, the one modifier held)."""
ALWAYS_SWALLOWED = {Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Meta, Qt.Key.Key_F11}
STAFF_KEY = (
    Qt.Key.Key_S,
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
)


def _modifiers(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class Lockdown(QObject):
    """The application-wide guard: install once, ``lock(window)`` each full-screen window."""

    sig_staff_requested = Signal(object)
    """The hidden gesture or keys: the window where staff asked for the PIN prompt."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows: list[QWidget] = []
        self.unlocked = False
        self._taps: list[float] = []

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def lock(self, window: QWidget) -> None:
        """Frameless, on top, not closable by a visitor."""
        window.setWindowFlags(
            window.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        self.windows.append(window)

    def release(self) -> None:
        """Staff chose to close the kiosk: windows may close now."""
        self.unlocked = True

    # -- the filter ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and watched in self.windows and not self.unlocked:
            event.ignore()
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            return self._key(event, kind)
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent) and watched in self.windows:
            self._tap(watched, event.position().toPoint())
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and watched in self.windows:
            points = event.points()
            if points:
                self._tap(watched, points[0].position().toPoint())
        return False

    def _key(self, event: QKeyEvent, kind: QEvent.Type) -> bool:
        key, mods = Qt.Key(event.key()), _modifiers(event)
        if (key, mods) == STAFF_KEY:
            if kind == QEvent.Type.KeyPress:
                self.sig_staff_requested.emit(QApplication.activeWindow())
            return True
        if self.unlocked:
            return False
        return key in ALWAYS_SWALLOWED or (key, mods) in SWALLOWED

    def _tap(self, window: QObject, at: QPoint) -> None:
        if at.x() > CORNER_PX or at.y() > CORNER_PX:
            self._taps.clear()
            return
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t <= TAP_WINDOW_S] + [now]
        if len(self._taps) >= TAPS:
            self._taps.clear()
            self.sig_staff_requested.emit(window)


class StaffExitPanel(QWidget):
    """Over the kiosk: the PIN prompt, then "close the kiosk" or "back" for the signed-in staff member."""

    sig_done = Signal()
    """Back to the kiosk (cancelled, or the staff member chose to stay)."""

    def __init__(
        self,
        ctx: UiContext,
        on_exit: Callable[[StaffSession], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffExit")
        self.ctx = ctx
        self._on_exit = on_exit
        self.session: StaffSession | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        from kiosk.ui.staff_login import StaffLoginPanel  # loaded when staff first ask, not at start

        self.login = StaffLoginPanel(ctx, MIN_TOUCH_PX, self)
        self.login.sig_signed_in.connect(self._signed_in)
        layout.addWidget(self.login, 1)
        self.who = PlainLabel()
        layout.addWidget(self.who)
        row = QHBoxLayout()
        self.exit_button = TouchButton()
        self.exit_button.setObjectName("primary")
        self.exit_button.clicked.connect(self._exit)
        self.back_button = TouchButton()
        self.back_button.clicked.connect(self._back)
        row.addWidget(self.exit_button)
        row.addWidget(self.back_button)
        layout.addLayout(row)
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()
        self._show_step()

    def retranslate(self) -> None:
        t = self.ctx.tr
        self.exit_button.setText(t("lockdown.exit"))
        self.exit_button.setAccessibleName(t("lockdown.exit_name"))
        self.back_button.setText(t("lockdown.back"))
        self.back_button.setAccessibleName(t("lockdown.back_name"))
        if self.session is not None:
            self.who.setText(t("lockdown.signed_in", name=self.session.user.name or self.session.user.id))

    def _show_step(self) -> None:
        signed = self.session is not None
        self.login.setVisible(not signed)
        self.who.setVisible(signed)
        self.exit_button.setVisible(signed)

    def _signed_in(self, session: StaffSession) -> None:
        self.session = session
        self.retranslate()
        self._show_step()

    def _exit(self) -> None:
        if self.session is not None:
            self._on_exit(self.session)

    def _back(self) -> None:
        self.session = None
        self.login.reset()
        self._show_step()
        self.sig_done.emit()
