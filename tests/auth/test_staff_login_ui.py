"""The PIN prompt in front of the voice-box inbox and the report screen, as staff meet it.

A person picks their name, taps their PIN on the keypad and signs in; a wrong PIN says how many
tries are left, a locked account says until when; idle time signs them out and the prompt returns.
The clock is the tests' (moved by hand): the idle timer's slot is called, nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.config import DEMO_PINS, Config
from kiosk.i18n import tr
from kiosk.ui.app import SCREENS, ensure_app
from kiosk.ui.audit import STAFF_MIN_PX, run_audit
from kiosk.ui.console import CounterConsole
from kiosk.ui.context import UiContext
from kiosk.ui.report_screen import ReportScreen
from kiosk.ui.staff_login import StaffGate, StaffLoginPanel
from tests.conftest import Clock
from tests.ui.counter_helpers import interactive, open_console, settle, spoken_name

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(qapp: object, app: App, demo_config: Config) -> Iterator[UiContext]:
    ensure_app()
    context = UiContext(
        app.queue,
        demo_config,
        poll_ms=100,
        charts=app.charts,
        feedback=app.feedback,
        reports=app.reports,
        auth=app.auth,
    )
    yield context
    context.watcher.stop()
    context.ops.wait()


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def inbox_prompt(qtbot: QtBot, ctx: UiContext) -> tuple[CounterConsole, StaffGate]:
    """Counter 1's console with its voice-box page open: the PIN prompt, nobody signed in."""
    console = open_console(qtbot, ctx, 1)
    settle(ctx, qtbot)
    click(qtbot, console.inbox_button)
    gate = console.inbox.gate
    assert gate.login.isVisibleTo(console) and not console.inbox.tree.isVisibleTo(console)
    return console, gate


def tap_pin(qtbot: QtBot, login: StaffLoginPanel, pin: str) -> None:
    for digit in pin:
        click(qtbot, login.keys[digit])


def choose(qtbot: QtBot, login: StaffLoginPanel, user_id: str) -> None:
    for i in range(login.staff_list.count()):
        item = login.staff_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == user_id:
            rect = login.staff_list.visualItemRect(item)
            qtbot.mouseClick(login.staff_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert login.user_id == user_id
            return
    raise AssertionError(user_id)


def submit(qtbot: QtBot, login: StaffLoginPanel, *, refused: bool) -> str:
    signal = login.sig_refused if refused else login.sig_signed_in
    with qtbot.waitSignal(signal, timeout=10_000):
        click(qtbot, login.submit_button)
    return login.message_text()


def test_the_prompt_is_touch_sized_named_and_masked(qtbot: QtBot, ctx: UiContext) -> None:
    console, gate = inbox_prompt(qtbot, ctx)
    login = gate.login
    names = [login.staff_list.item(i).text() for i in range(login.staff_list.count())]
    assert names[0] == "김서연 · 창구 · 민원팀 (kim)" and len(names) == 5
    assert login.pin_field.echoMode() == QLineEdit.EchoMode.Password
    assert spoken_name(login.pin_field) == "PIN 입력란 (입력한 숫자는 가려서 보입니다)"
    assert spoken_name(login.keys["7"]) == "숫자 7" and spoken_name(login.keys["back"]) == "마지막 숫자 지우기"
    for w in interactive(console):
        assert spoken_name(w).strip(), w
        if w in login.keys.values() or w is login.submit_button:
            assert min(w.width(), w.height()) >= STAFF_MIN_PX, (spoken_name(w), w.size())
    choose(qtbot, login, "lee")
    tap_pin(qtbot, login, "2223")
    click(qtbot, login.keys["back"])
    tap_pin(qtbot, login, "2")
    assert login.pin_field.text() == "2222" and login.pin_field.displayText() != "2222"
    click(qtbot, login.keys["clear"])
    assert login.pin_field.text() == ""
    ctx.set_language("en")
    assert login.submit_button.text() == "Sign in" and spoken_name(login.keys["7"]) == "digit 7"


def test_a_wrong_pin_is_told_with_tries_left_and_the_right_one_opens_the_inbox(
    qtbot: QtBot, ctx: UiContext, app: App
) -> None:
    assert app.feedback is not None
    note = app.feedback.submit("complaint", "대기실이 덥습니다")
    console, gate = inbox_prompt(qtbot, ctx)
    login = gate.login
    assert submit(qtbot, login, refused=True) == tr("staff_login.choose_first", "ko")
    choose(qtbot, login, "lee")
    tap_pin(qtbot, login, "1111")
    message = submit(qtbot, login, refused=True)
    assert message == "PIN이 맞지 않습니다. 4번 더 틀리면 계정이 잠깁니다."
    assert login.pin_field.text() == ""  # cleared after the try
    assert gate.currentWidget() is login and console.inbox.user_id == ""
    tap_pin(qtbot, login, DEMO_PINS["lee"])
    with qtbot.waitSignal(console.inbox.sig_loaded, timeout=10_000):
        submit(qtbot, login, refused=False)
    assert console.inbox.tree.isVisibleTo(console) and console.inbox.receipts() == [note.receipt]
    assert gate.bar.label.text() == "이준호 · 팀장" and gate.bar.logout_button.isVisibleTo(console)


def test_a_locked_account_says_until_when(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    assert app.auth is not None
    for _ in range(4):
        with pytest.raises(Exception):  # noqa: B017 - four wrong tries elsewhere (another kiosk PC)
            app.auth.login("park", "0000")
    _console, gate = inbox_prompt(qtbot, ctx)
    choose(qtbot, gate.login, "park")
    tap_pin(qtbot, gate.login, "0000")
    locked = "PIN을 여러 번 잘못 입력해 계정이 잠겼습니다. 10:15부터 다시 로그인할 수 있습니다."
    assert submit(qtbot, gate.login, refused=True).startswith(locked)
    tap_pin(qtbot, gate.login, DEMO_PINS["park"])  # even the right PIN, until then
    assert submit(qtbot, gate.login, refused=True).startswith(locked)
    assert gate.session is None


def test_idle_time_signs_out_and_the_prompt_returns_input_keeps_it(
    qtbot: QtBot, ctx: UiContext, app: App, clock: Clock
) -> None:
    console, gate = inbox_prompt(qtbot, ctx)
    choose(qtbot, gate.login, "jung")
    tap_pin(qtbot, gate.login, DEMO_PINS["jung"])
    with qtbot.waitSignal(console.inbox.sig_loaded, timeout=10_000):
        submit(qtbot, gate.login, refused=False)
    assert gate.idle_timer.isActive()
    clock.advance(minutes=4)
    click(qtbot, console.inbox.answered_check)  # input anywhere in the window counts as work
    clock.advance(minutes=4)
    gate.check_idle()  # the timer fires: 8 minutes in, 4 since the last input
    assert gate.session is not None and console.inbox.tree.isVisibleTo(console)
    clock.advance(minutes=1)
    with qtbot.waitSignal(gate.sig_session_changed, timeout=3000):
        gate.idle_timer.timeout.emit()  # five minutes without input
    assert gate.session is None and console.inbox.user_id == ""
    assert gate.login.isVisibleTo(console) and not console.inbox.tree.isVisibleTo(console)
    assert gate.login.message_text() == "5분 동안 입력이 없어 로그아웃했습니다. 다시 로그인하십시오."
    assert gate.login.user_id == "" and gate.login.pin_field.text() == ""
    settle(ctx, qtbot)
    assert app.feedback is not None
    actions = [(actor, action) for _at, actor, action, _s, _d in app.feedback.audit_log(app.feedback.user("jung"))]
    assert ("jung", "staff.logout") in actions and ("jung", "staff.login") in actions


def test_a_counter_clerk_signs_in_but_the_service_refuses_the_inbox(qtbot: QtBot, ctx: UiContext) -> None:
    console, gate = inbox_prompt(qtbot, ctx)
    choose(qtbot, gate.login, "kim")
    tap_pin(qtbot, gate.login, DEMO_PINS["kim"])
    with qtbot.waitSignal(console.inbox.sig_refused, timeout=10_000):
        submit(qtbot, gate.login, refused=False)
    assert console.inbox.forbidden and console.inbox.notice.isVisibleTo(console)
    assert console.inbox.receipts() == []


def test_the_report_screen_asks_for_the_pin_first(qtbot: QtBot, ctx: UiContext) -> None:
    screen = ReportScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    assert screen.gate.login.isVisibleTo(screen) and not screen.run_button.isVisibleTo(screen)
    choose(qtbot, screen.gate.login, "choi")
    tap_pin(qtbot, screen.gate.login, DEMO_PINS["choi"])
    submit(qtbot, screen.gate.login, refused=False)
    assert screen.user_id == "choi" and screen.run_button.isEnabled()
    click(qtbot, screen.gate.bar.logout_button)
    assert screen.user_id == "" and screen.gate.login.isVisibleTo(screen)


def test_the_staff_screens_pass_the_audit_signed_in_and_out(qtbot: QtBot, ctx: UiContext, app: App) -> None:
    """The prompt, and behind it the inbox and the report as each role sees them: names, sizes, keyboard."""
    assert app.feedback is not None
    app.feedback.submit("complaint", "대기실 의자가 부족합니다.", contact="010-2345-6789", consent=True)
    screens = {name: SCREENS[name] for name in ("counter", "report")}
    result = run_audit(ctx, screens)
    assert result.checked[("counter", "name")] > 100 and result.checked[("report", "name")] > 40
    assert result.failures == [], "\n".join(result.failures[:40])
