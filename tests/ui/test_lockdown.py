"""A visitor cannot leave the kiosk; staff can, after their PIN, and it is recorded (issue 9)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.config import DEMO_PINS
from kiosk.ui.context import UiContext
from kiosk.ui.lockdown import STAFF_KEY, Lockdown, StaffExitPanel


def key(widget: QWidget, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> bool:
    """Send a key press; whether the application handled (swallowed) it before the window."""
    event = QKeyEvent(QEvent.Type.KeyPress, k, mods)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def locked(qtbot: QtBot) -> tuple[Lockdown, QWidget]:
    lockdown = Lockdown()
    lockdown.install(QApplication.instance())  # type: ignore[arg-type]
    window = QWidget()
    qtbot.addWidget(window)
    lockdown.lock(window)
    window.resize(800, 600)
    window.show()
    return lockdown, window


def test_the_kiosk_window_cannot_be_closed_by_a_visitor(qtbot: QtBot) -> None:
    lockdown, window = locked(qtbot)
    try:
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert not window.close() and window.isVisible()  # Alt+F4 / the window manager's close
        lockdown.release()
        assert window.close()
    finally:
        QApplication.instance().removeEventFilter(lockdown)  # type: ignore[union-attr]


def test_desktop_shortcuts_are_swallowed_and_the_staff_keys_ask_for_a_pin(qtbot: QtBot) -> None:
    lockdown, window = locked(qtbot)
    seen: list[QEvent.Type] = []

    class Probe(QWidget):
        def keyPressEvent(self, event: QKeyEvent) -> None:
            seen.append(event.type())

    probe = Probe(window)
    try:
        for k, mods in (
            (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
        ):
            key(probe, k, mods)
        assert seen == []  # none reached the screen
        key(probe, Qt.Key.Key_5)  # the keypad still works
        assert seen == [QEvent.Type.KeyPress]
        with qtbot.waitSignal(lockdown.sig_staff_requested):
            key(probe, *STAFF_KEY)
    finally:
        QApplication.instance().removeEventFilter(lockdown)  # type: ignore[union-attr]


def test_five_taps_in_the_corner_ask_for_a_pin_and_other_taps_do_not(qtbot: QtBot) -> None:
    lockdown, window = locked(qtbot)
    asked: list[object] = []
    lockdown.sig_staff_requested.connect(asked.append)

    def tap(x: int, y: int) -> None:
        point = QPointF(QPoint(x, y))
        press = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            point,
            window.mapToGlobal(point),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, press)

    try:
        for _ in range(4):
            tap(10, 10)
        tap(400, 300)  # a visitor's tap elsewhere starts the count again
        for _ in range(4):
            tap(20, 30)
        assert asked == []
        tap(5, 5)
        assert asked == [window]
    finally:
        QApplication.instance().removeEventFilter(lockdown)  # type: ignore[union-attr]


def test_staff_close_the_kiosk_after_their_pin_and_it_is_recorded(qtbot: QtBot, app: App) -> None:
    ctx = UiContext(app.queue, app.config, charts=app.charts, feedback=app.feedback)
    ctx.attach(app.queue, app.charts, app.feedback, app.survey, app.reports, app.auth)
    closed: list[str] = []

    def leave(session: object) -> None:
        assert app.auth is not None
        app.auth.logout(session, reason="kiosk_exit")  # type: ignore[arg-type]
        closed.append(session.user.id)  # type: ignore[attr-defined]

    panel = StaffExitPanel(ctx, leave)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.exit_button.isVisible()  # nothing to close before a PIN
    panel.login.choose("kim")
    for digit in "9999":
        panel.login.press(digit)
    panel.login.submit()
    qtbot.waitUntil(lambda: bool(panel.login.message_text()))
    assert not panel.exit_button.isVisible()
    panel.login.reset()
    panel.login.choose("kim")
    for digit in DEMO_PINS["kim"]:
        panel.login.press(digit)
    with qtbot.waitSignal(panel.login.sig_signed_in):
        panel.login.submit()
    assert panel.exit_button.isVisible() and "김서연" in panel.who.text()
    panel.exit_button.click()
    assert closed == ["kim"]
    assert app.audit is not None and app.feedback is not None
    trail = app.audit.trail(app.feedback.user("jung"), action="staff.")
    assert ("kim", "staff.logout", "kiosk_exit") in [(e.actor, e.action, e.data.get("reason")) for e in trail]
