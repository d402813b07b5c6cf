"""Staff sign-in through the service, as every screen and script reaches it: real argon2id hashes,
the real SQLite store, the audit log, and the clock moved by hand (no waiting for 15 minutes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk.bootstrap import App, bootstrap
from kiosk.config import DEMO_PINS, Config
from kiosk.domain.auth import AccountLocked, AuthPolicy, LoginFailed
from kiosk.domain.errors import Forbidden, InvalidInput, UnknownUser
from kiosk.domain.staff import Action, check
from kiosk.i18n import error_message
from kiosk.services.auth import StaffAuth, hash_secret
from kiosk.store.uow import SqlUnitOfWorkFactory
from tests.conftest import Clock


def audit(app: App, action_prefix: str = "staff.") -> list[tuple[str, str, dict[str, object]]]:
    """``(actor, action, data)`` of the staff sign-in rows in the audit log, oldest first."""
    with SqlUnitOfWorkFactory(app.engine)() as uow:
        rows = uow.audit.entries(limit=500)
    return [
        (actor, action, data) for _at, actor, action, _s, data in reversed(rows) if action.startswith(action_prefix)
    ]


def test_a_hash_verifies_its_pin_and_nothing_else(demo_config: Config, app: App, clock: Clock) -> None:
    pin_hash = hash_secret("246813")
    assert pin_hash.startswith("$argon2id$") and "246813" not in pin_hash
    assert hash_secret("246813") != pin_hash  # salted: the same PIN never gives the same hash
    staff = replace(demo_config, staff_pin_hashes={**demo_config.staff_pin_hashes, "kim": pin_hash})
    auth = StaffAuth(SqlUnitOfWorkFactory(app.engine), staff.staff, staff.staff_pin_hashes, clock=clock)
    assert auth.login("kim", "246813").user.id == "kim"
    with pytest.raises(LoginFailed):
        auth.login("kim", "1111")  # the demo PIN is no longer hers


def test_the_right_pin_opens_a_session_for_that_person(auth: StaffAuth, clock: Clock) -> None:
    session = auth.login("lee", DEMO_PINS["lee"])
    assert (session.user.id, session.user.role.value, session.user.team) == ("lee", "lead", "민원팀")
    assert session.started_at == clock.now and not session.expired(clock.now)


def test_five_wrong_pins_lock_the_account_even_against_the_right_pin(auth: StaffAuth, clock: Clock) -> None:
    left = []
    for _ in range(4):
        with pytest.raises(LoginFailed) as wrong:
            auth.login("choi", "0000")
        left.append(wrong.value.params["tries_left"])
    assert left == [4, 3, 2, 1]
    with pytest.raises(AccountLocked) as fifth:
        auth.login("choi", "0000")
    assert fifth.value.until == clock.now + timedelta(minutes=15)
    assert fifth.value.params["until"] == "10:15"  # Seoul time, as the prompt shows it
    assert "10:15" in error_message(fifth.value, "ko") and "10:15" in error_message(fifth.value, "en")

    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        auth.login("choi", DEMO_PINS["choi"])  # the sixth try, with the right PIN: still refused
    clock.advance(seconds=1)
    assert auth.login("choi", DEMO_PINS["choi"]).user.id == "choi"  # the time has passed


def test_a_try_while_locked_does_not_extend_the_lock(auth: StaffAuth, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login("park", "9999")
    clock.advance(minutes=10)
    with pytest.raises(AccountLocked) as again:
        auth.login("park", "9999")
    assert again.value.params["until"] == "10:15"


def test_a_right_pin_resets_the_count(auth: StaffAuth, clock: Clock) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            auth.login("kim", "0000")
    auth.login("kim", DEMO_PINS["kim"])
    with pytest.raises(LoginFailed) as wrong:
        auth.login("kim", "0000")
    assert wrong.value.params["tries_left"] == 4  # counting from the start again, not locked


def test_an_unknown_id_and_a_wrong_pin_read_the_same(auth: StaffAuth) -> None:
    with pytest.raises(LoginFailed) as unknown:
        auth.login("nobody", "1111")
    with pytest.raises(LoginFailed) as wrong:
        auth.login("lee", "1111")
    assert type(unknown.value) is type(wrong.value)
    assert unknown.value.params == wrong.value.params
    for lang in ("ko", "en"):
        assert error_message(unknown.value, lang) == error_message(wrong.value, lang)
    # and an unknown id locks like a real one: guessing ids learns nothing from the answers either
    for _ in range(4):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login("nobody", "1111")
    with pytest.raises(AccountLocked):
        auth.login("nobody", "1111")


def test_an_unknown_id_takes_as_long_as_a_wrong_pin(auth: StaffAuth) -> None:
    import time

    def timed(user: str) -> float:
        start = time.perf_counter()
        with pytest.raises(LoginFailed):
            auth.login(user, "8642")
        return time.perf_counter() - start

    unknown = min(timed("nobody") for _ in range(2))
    known = min(timed("jung") for _ in range(2))
    # Both verify one argon2id hash (~0.1 s); the unknown id is not answered early.
    assert unknown > 0.5 * known


def test_what_cannot_be_a_pin_is_refused_clearly_and_not_counted(auth: StaffAuth) -> None:
    for typed, reason in (("", "staff_pin_empty"), ("12", "staff_pin_length"), ("11 11", "staff_pin_space")):
        with pytest.raises(InvalidInput) as bad:
            auth.login("kim", typed)
        assert bad.value.params["reason"] == reason
    with pytest.raises(InvalidInput) as control:
        hash_secret("1111\x00")
    assert control.value.params["reason"] == "staff_pin_control"
    assert "4–12" in error_message(InvalidInput(field="staff_pin", reason="staff_pin_length", low=4, high=12, length=2))
    with pytest.raises(LoginFailed) as wrong:
        auth.login("kim", "0000")
    assert wrong.value.params["tries_left"] == 4  # the three typos above did not count


def test_a_password_works_like_a_pin(app: App, clock: Clock, demo_config: Config) -> None:
    hashes = {"choi": hash_secret("correct-horse-battery")}
    auth = StaffAuth(SqlUnitOfWorkFactory(app.engine), demo_config.staff, hashes, clock=clock)
    assert auth.login("choi", "correct-horse-battery").user.id == "choi"
    with pytest.raises(LoginFailed):
        auth.login("choi", "Correct-horse-battery")
    for bad, reason in (("short", "staff_password_length"), ("correct horse battery", "staff_pin_space")):
        with pytest.raises(InvalidInput) as refused:
            hash_secret(bad)
        assert refused.value.params["reason"] == reason
    assert auth.has_pin("choi") and not auth.has_pin("kim")
    with pytest.raises(LoginFailed):
        auth.login("kim", DEMO_PINS["kim"])  # no hash configured: nobody signs in as her


def test_the_lock_survives_a_restart(demo_config: Config, clock: Clock) -> None:
    first = bootstrap(demo_config, clock=clock)
    try:
        assert first.auth is not None
        for _ in range(5):
            with pytest.raises((LoginFailed, AccountLocked)):
                first.auth.login("jung", "0000")
    finally:
        first.close()
    clock.advance(minutes=5)
    again = bootstrap(demo_config, clock=clock)  # a new process on the same data folder
    try:
        assert again.auth is not None
        with pytest.raises(AccountLocked):
            again.auth.login("jung", DEMO_PINS["jung"])
        [jung] = [a for a in again.auth.accounts() if a.id == "jung"]
        assert jung.locked_until is not None and jung.failures == 5
    finally:
        again.close()


def test_sign_ins_failures_locks_and_sign_outs_are_audited(app: App, auth: StaffAuth, clock: Clock) -> None:
    session = auth.login("lee", DEMO_PINS["lee"])
    clock.advance(minutes=3)
    auth.logout(session)
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login("kim", "0000")
    with pytest.raises(AccountLocked):
        auth.login("kim", DEMO_PINS["kim"])
    with pytest.raises(LoginFailed):
        auth.login("ghost", "0000")
    rows = audit(app)
    assert rows[0] == ("lee", "staff.login", {"role": "lead"})
    assert rows[1] == ("lee", "staff.logout", {"reason": "user", "minutes": 3.0})
    kim = [(action, data.get("reason")) for actor, action, data in rows if actor == "kim"]
    assert kim == [("staff.login_failed", "wrong_pin")] * 5 + [("staff.locked", None), ("staff.login_failed", "locked")]
    assert rows[-1] == ("ghost", "staff.login_failed", {"reason": "unknown_user", "failures": 1})
    text = repr(rows)
    assert "0000" not in text and "$argon2" not in text  # neither what was typed nor a hash


def test_only_an_admin_unlocks_and_it_is_audited(app: App, auth: StaffAuth, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login("kim", "0000")
    with pytest.raises(Forbidden):
        auth.unlock(auth.user("lee"), "kim")  # a team lead may not
    with pytest.raises(UnknownUser):
        auth.unlock(auth.user("choi"), "nobody")
    view = auth.unlock(auth.user("choi"), "kim")
    assert view.locked_until is None
    assert auth.login("kim", DEMO_PINS["kim"]).user.id == "kim"
    assert ("choi", "staff.unlocked", {"was_locked": True, "failures": 5}) in audit(app)


def test_a_session_ends_after_idle_time_and_input_extends_it(auth: StaffAuth, clock: Clock) -> None:
    session = auth.login("park", DEMO_PINS["park"])
    clock.advance(minutes=4)
    session.touch(clock.now)
    clock.advance(minutes=4, seconds=59)
    assert not session.expired(clock.now)  # 8:59 since sign-in, 4:59 since the last input
    clock.advance(seconds=1)
    assert session.expired(clock.now)
    session.touch(clock.now)  # input after the end does not bring it back
    assert session.expired(clock.now)


def test_the_idle_limit_comes_from_the_policy(app: App, clock: Clock, demo_config: Config) -> None:
    policy = AuthPolicy(max_tries=3, lockout_minutes=1, session_idle_minutes=0.5)
    auth = StaffAuth(SqlUnitOfWorkFactory(app.engine), demo_config.staff, demo_config.staff_pin_hashes, policy, clock)
    session = auth.login("lee", DEMO_PINS["lee"])
    clock.advance(seconds=30)
    assert session.expired(clock.now)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            auth.login("lee", "0000")
    with pytest.raises(AccountLocked) as locked:
        auth.login("lee", "0000")
    assert locked.value.until == clock.now + timedelta(minutes=1)


def test_the_role_is_checked_in_the_services_for_a_signed_in_clerk(app: App, auth: StaffAuth) -> None:
    """A counter clerk's session holds her real role: the voice box refuses her in the service."""
    clerk = auth.login("kim", DEMO_PINS["kim"])
    assert app.feedback is not None and app.reports is not None
    with pytest.raises(Forbidden):
        app.feedback.inbox(clerk.user)
    with pytest.raises(Forbidden):
        check(clerk.user, Action.READ)
    lead = auth.login("lee", DEMO_PINS["lee"])
    assert app.feedback.inbox(lead.user) == []
