"""Staff sign-in for the staff screens: choose yourself, type your PIN, work; idle time signs you out.

``StaffLoginPanel`` is the prompt: the configured staff in a list, a masked PIN field, an
on-screen digit keypad (a counter PC may have no keyboard at hand; a physical keyboard works too,
and a password can only be typed on one) and the sign-in button. The check is the service's
(``StaffAuth.login``, in the worker: argon2 takes ~0.1 s by design); a refusal shows its reason in
the staff member's language: a wrong PIN with the tries left, a locked account with the time it
opens again, a typo that cannot be a PIN with what is wrong. What was typed is cleared after every
try and never shown, spoken or logged.

``StaffGate`` puts the prompt in front of a screen's content: the content shows only while a
``StaffSession`` is open. Any key, tap or click anywhere in the window (an application event filter)
counts as activity; ``session_idle_minutes`` without any ends the session (audit-logged) and brings
the prompt back with the reason. Permissions stay the services' business: the session only says
who is working, and every service call checks that person's role.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import DEMO_PINS
from kiosk.domain.staff import StaffUser
from kiosk.services.auth import StaffAuth, StaffSession
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.widgets import PlainLabel, TouchButton, show_message, shown_text

KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "clear")
"""The keypad's keys, row by row (a phone's layout, as staff know it from door locks and cards)."""
PIN_MAX = 64
USER_ROLE = int(Qt.ItemDataRole.UserRole)
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
}
"""Input that counts as the signed-in person still working (not mere pointer movement)."""

STYLE = f"""
QListWidget#staffList::item {{ min-height: %(row)dpx; padding: 0 10px; }}
QLineEdit#pinField {{ font-size: 28px; letter-spacing: 6px; }}
QLabel#loginTitle {{ font-size: 24px; font-weight: bold; }}
QLabel#loginStep {{ font-size: 18px; font-weight: bold; }}
QPushButton#loginSubmit {{ background: {theme.PRIMARY}; color: {theme.PRIMARY_TEXT}; font-weight: bold; }}
QPushButton#loginSubmit:disabled {{ background: {theme.SURFACE}; color: {theme.MUTED}; }}
"""


class StaffLoginPanel(QWidget):
    """The PIN prompt: who you are, your PIN, sign in."""

    sig_signed_in = Signal(object)
    """The service accepted the PIN: the new ``StaffSession``."""

    sig_refused = Signal(str)
    """The service refused (wrong PIN, locked, not a PIN): the reason, as shown."""

    def __init__(self, ctx: UiContext, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._min_px = min_px
        self._key_px = max(min_px, 64)
        self.busy = False
        self.setStyleSheet(STYLE % {"row": min_px})
        self._build()
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.sig_ready.connect(self.retranslate)
        self.retranslate()

    @property
    def auth(self) -> StaffAuth | None:
        return self.ctx.auth

    # -- construction -------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(10)
        self.title = PlainLabel(wrap=False)
        self.title.setObjectName("loginTitle")
        outer.addWidget(self.title)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(6)
        self.choose_label = PlainLabel()
        self.choose_label.setObjectName("loginStep")
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        self.staff_list.setMinimumWidth(300)
        self.staff_list.setMinimumHeight(self._min_px * 4)
        self.staff_list.currentItemChanged.connect(lambda _new, _old: self._on_chosen())
        self.choose_label.setBuddy(self.staff_list)
        left.addWidget(self.choose_label)
        left.addWidget(self.staff_list, 1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.pin_label = PlainLabel()
        self.pin_label.setObjectName("loginStep")
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("pinField")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(PIN_MAX)
        self.pin_field.setMinimumHeight(self._key_px)
        self.pin_field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copying it out
        self.pin_field.returnPressed.connect(self.submit)
        self.pin_label.setBuddy(self.pin_field)
        right.addWidget(self.pin_label)
        right.addWidget(self.pin_field)

        keypad = QGridLayout()
        keypad.setSpacing(8)
        self.keys: dict[str, TouchButton] = {}
        for i, key in enumerate(KEYPAD):
            button = TouchButton(min_px=self._key_px)
            button.nowrap = True
            # Reachable with Tab, but a tap leaves the focus in the PIN field (its keyboard still types).
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            self.keys[key] = button
            keypad.addWidget(button, i // 3, i % 3)
        right.addLayout(keypad)
        self.submit_button = TouchButton(min_px=self._key_px)
        self.submit_button.setObjectName("loginSubmit")
        self.submit_button.nowrap = True
        self.submit_button.clicked.connect(lambda _checked=False: self.submit())
        right.addWidget(self.submit_button)
        right.addStretch(1)
        columns.addLayout(right, 2)
        outer.addLayout(columns, 1)

        self.message = PlainLabel()
        self.message.setObjectName("status")
        self.message.hide()
        outer.addWidget(self.message)
        self.hint = PlainLabel()
        self.hint.setObjectName("muted")
        outer.addWidget(self.hint)

    # -- texts ----------------------------------------------------------------------------------------
    def staff(self) -> list[StaffUser]:
        return self.auth.staff() if self.auth is not None else list(self.ctx.config.staff)

    def retranslate(self) -> None:
        t = self.ctx.tr
        self.title.setText(t("staff_login.title"))
        self.choose_label.setText(t("staff_login.choose"))
        self.pin_label.setText(t("staff_login.pin_label"))
        self.staff_list.setAccessibleName(t("staff_login.staff_list_name"))
        self.pin_field.setAccessibleName(t("staff_login.pin_name"))
        for key, button in self.keys.items():
            if key == "back":
                button.set_label(t("staff_login.backspace"), t("staff_login.backspace_name"))
            elif key == "clear":
                button.set_label(t("staff_login.clear"), t("staff_login.clear_name"))
            else:
                button.set_label(key, t("staff_login.digit_name", digit=key))
        self.submit_button.set_label(t("staff_login.submit"), t("staff_login.submit_name"))
        policy = self.auth.policy if self.auth is not None else self.ctx.config.auth
        self.hint.setText(
            t(
                "staff_login.hint",
                tries=policy.max_tries,
                minutes=policy.lockout_minutes,
                idle=f"{policy.session_idle_minutes:g}",
            )
        )
        self._fill_staff()

    def _fill_staff(self) -> None:
        t = self.ctx.tr
        chosen = self.user_id
        self.staff_list.blockSignals(True)
        self.staff_list.clear()
        for u in self.staff():
            role = t(f"console.inbox.role.{u.role.value}")
            key = "console.inbox.staff_option" if u.team else "console.inbox.staff_option_no_team"
            item = QListWidgetItem(t(key, name=u.name or u.id, role=role, team=u.team, id=u.id))
            item.setData(USER_ROLE, u.id)
            self.staff_list.addItem(item)
            if u.id == chosen:
                self.staff_list.setCurrentItem(item)
        self.staff_list.blockSignals(False)

    # -- input ----------------------------------------------------------------------------------------
    @property
    def user_id(self) -> str:
        """The staff member chosen in the list (``""``: nobody yet)."""
        item = self.staff_list.currentItem()
        return "" if item is None else str(item.data(USER_ROLE) or "")

    def choose(self, user_id: str) -> None:
        """Choose ``user_id`` in the list, as a tap on their name does."""
        for i in range(self.staff_list.count()):
            item = self.staff_list.item(i)
            if item.data(USER_ROLE) == user_id:
                self.staff_list.setCurrentItem(item)
                return
        self.staff_list.setCurrentRow(-1)

    def _on_chosen(self) -> None:
        self.pin_field.clear()
        self.message.hide()
        self.pin_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def press(self, key: str) -> None:
        """A keypad key: a digit, ``back`` (the last one) or ``clear`` (all)."""
        if key == "back":
            self.pin_field.backspace()
        elif key == "clear":
            self.pin_field.clear()
        elif len(self.pin_field.text()) < PIN_MAX:
            self.pin_field.insert(key)

    def reset(self) -> None:
        """Back to an empty prompt (after a sign-out): nobody chosen, nothing typed."""
        self.staff_list.setCurrentRow(-1)
        self.pin_field.clear()
        self.busy = False
        self._enable()

    # -- signing in -----------------------------------------------------------------------------------
    def submit(self) -> None:
        """Check the chosen person's PIN in the worker; sign them in or say why not."""
        auth, user_id, secret = self.auth, self.user_id, self.pin_field.text()
        if self.busy:
            return
        if auth is None or not user_id:
            text = self.ctx.tr("staff_login.unavailable" if auth is None else "staff_login.choose_first")
            self.say(text, error=True)
            self.sig_refused.emit(text)
            return
        self.pin_field.clear()  # never kept on screen, whatever the answer
        self.busy = True
        self._enable()
        self.say(self.ctx.tr("staff_login.checking"), error=False)

        def done(session: StaffSession) -> None:
            self.busy = False
            self._enable()
            self.message.hide()
            self.sig_signed_in.emit(session)

        def failed(error: BaseException) -> None:
            self.busy = False
            self._enable()
            text = self.ctx.error_text(error)
            self.say(text, error=True)
            self.pin_field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.sig_refused.emit(text)

        self.ctx.ops.run(lambda: auth.login(user_id, secret), done, failed, changes=False)

    def _enable(self) -> None:
        self.submit_button.setEnabled(not self.busy)
        self.pin_field.setEnabled(not self.busy)

    def say(self, text: str, *, error: bool) -> None:
        show_message(self.message, text, error=error, normal="status")

    def message_text(self) -> str:
        return shown_text(self.message, self)


class SessionBar(QFrame):
    """Who is signed in, and the sign-out button: the owner places it in its content."""

    def __init__(self, ctx: UiContext, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.label = PlainLabel(wrap=False)
        self.label.setObjectName("sessionUser")
        self.logout_button = TouchButton(min_px=min_px)
        self.logout_button.nowrap = True
        row.addWidget(self.label)
        row.addWidget(self.logout_button)
        row.addStretch(1)  # the button as wide as its label, wherever the owner puts the bar

    def show_user(self, user: StaffUser | None) -> None:
        t = self.ctx.tr
        self.logout_button.set_label(t("staff_login.logout"), t("staff_login.logout_name"))
        if user is None:
            self.label.setText("")
            return
        role = t(f"console.inbox.role.{user.role.value}")
        name = user.name or user.id
        self.label.setText(t("staff_login.signed_in", name=name, role=role))
        self.label.setAccessibleName(t("staff_login.signed_in_name", name=name, role=role))


class StaffGate(QStackedWidget):
    """The PIN prompt until someone signs in, then ``content``; idle time or sign-out ends it.

    ``bar`` (who is signed in, sign out) belongs in ``content``: the owner lays it out.
    """

    sig_session_changed = Signal(object)
    """Someone signed in (the ``StaffSession``) or the session ended (``None``)."""

    LOGIN, CONTENT = 0, 1

    def __init__(self, ctx: UiContext, content: QWidget, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session: StaffSession | None = None
        self.login = StaffLoginPanel(ctx, min_px)
        self.content = content
        self.bar = SessionBar(ctx, min_px)
        self.bar.logout_button.clicked.connect(lambda _checked=False: self.sign_out())
        self.addWidget(self.login)
        self.addWidget(content)
        self.setCurrentIndex(self.LOGIN)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.check_idle)
        self._filtering = False
        self.login.sig_signed_in.connect(self._start)
        ctx.sig_language_changed.connect(lambda _lang: self.bar.show_user(self.user))
        self.bar.show_user(None)

    @property
    def user(self) -> StaffUser | None:
        return None if self.session is None else self.session.user

    # -- the session ----------------------------------------------------------------------------------
    def _start(self, session: StaffSession) -> None:
        self.session = session
        self.bar.show_user(session.user)
        self.setCurrentIndex(self.CONTENT)
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()  # not onto "sign out": a second Enter after the PIN must not end it
        self._arm(session)
        if not self._filtering:
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
                self._filtering = True
        self.sig_session_changed.emit(session)

    def _arm(self, session: StaffSession) -> None:
        """Time the check for the moment the session would end without more input."""
        auth = self.ctx.auth
        now = auth.now() if auth is not None else session.last_active
        remaining = (session.expires_at - now).total_seconds()
        self.idle_timer.start(max(50, int(remaining * 1000) + 50))

    def check_idle(self) -> None:
        """The idle timer fired: sign out if the session has ended, else wait for the rest of it."""
        session, auth = self.session, self.ctx.auth
        if session is None or auth is None:
            return
        if session.expired(auth.now()):
            self.sign_out("idle")
        else:
            self._arm(session)

    def sign_out(self, reason: str = "user") -> None:
        """End the session (audit-logged in the worker) and show the prompt again."""
        session, auth = self.session, self.ctx.auth
        self.session = None
        self.idle_timer.stop()
        if self._filtering:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._filtering = False
        self.bar.show_user(None)
        self.login.reset()
        self.setCurrentIndex(self.LOGIN)
        if session is not None:
            if auth is not None:
                self.ctx.ops.run(lambda: auth.logout(session, reason=reason), None, lambda _e: None, changes=False)
            if reason == "idle":
                minutes = f"{session.policy.session_idle_minutes:g}"
                self.login.say(self.ctx.tr("staff_login.timed_out", minutes=minutes), error=False)
            else:
                self.login.say(self.ctx.tr("staff_login.logged_out"), error=False)
            self.sig_session_changed.emit(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any input in this window keeps the session alive (never consumes the event)."""
        session, auth = self.session, self.ctx.auth
        if (
            session is not None
            and auth is not None
            and event.type() in ACTIVITY
            and isinstance(watched, QWidget)
            and watched.window() is self.window()
        ):
            session.touch(auth.now())  # the idle timer, when it fires, waits out the rest
        return False

    # -- test and audit hooks -------------------------------------------------------------------------
    def sign_in(self, user_id: str, pin: str | None = None) -> None:
        """Sign ``user_id`` in as a person would: choose, type ``pin`` (the demo PIN if none), submit.

        ``""`` signs out. The answer comes from the worker (``sig_session_changed``)."""
        if not user_id:
            self.sign_out()
            return
        if self.session is not None:
            if self.session.user.id == user_id:
                return
            self.sign_out()
        self.login.choose(user_id)
        self.login.pin_field.setText(pin if pin is not None else DEMO_PINS.get(user_id, ""))
        self.login.submit()
