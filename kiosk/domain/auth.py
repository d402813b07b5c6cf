"""Staff sign-in rules: what a PIN may look like, when an account locks, when a session ends.

Plain rules over plain values, so the service (``kiosk.services.auth``) and its tests share them:
after ``max_tries`` wrong PINs in a row an account is locked for ``lockout_minutes`` (a right PIN
resets the count; a locked account refuses even the right PIN until the time has passed), and a
staff session ends after ``session_idle_minutes`` without any input (a console left open at a
counter closes itself).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.errors import InvalidInput, KioskError

PIN_DIGITS = (4, 12)
"""A PIN: 4 to 12 digits (ASCII)."""
PASSWORD_CHARS = (8, 64)
"""Anything else is a password: 8 to 64 characters, no spaces or control characters."""


class LoginFailed(KioskError):
    """Wrong PIN, or no such staff member: the two are told apart by nobody (``tries_left``)."""

    code = "staff_login_failed"
    exit_code = 9


class AccountLocked(KioskError):
    """Too many wrong PINs: the account signs in again from ``until`` (the facility's local time)."""

    code = "staff_locked"
    exit_code = 6

    def __init__(self, *, until: datetime, shown: str) -> None:
        self.until = until
        super().__init__(until=shown)


@dataclass(frozen=True)
class AuthPolicy:
    """``[security]`` in the configuration."""

    max_tries: int = 5
    lockout_minutes: int = 15
    session_idle_minutes: float = 5.0

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)


@dataclass(frozen=True)
class Lockout:
    """One account's wrong PINs in a row and, once they reached the limit, until when it is locked."""

    failures: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def current(self, now: datetime) -> Lockout:
        """The state as it stands at ``now``: a lock whose time has passed is over, with its count."""
        if self.locked_until is not None and now >= self.locked_until:
            return Lockout()
        return self

    def tries_left(self, policy: AuthPolicy) -> int:
        return max(0, policy.max_tries - self.failures)

    def failed(self, now: datetime, policy: AuthPolicy) -> Lockout:
        """After one more wrong PIN: locked for ``lockout_minutes`` when it is the ``max_tries``-th."""
        state = self.current(now)
        if state.locked(now):
            return state  # a try while locked neither counts nor extends the lock
        failures = state.failures + 1
        if failures >= policy.max_tries:
            return Lockout(failures, now + policy.lockout)
        return Lockout(failures)


def session_expired(last_active: datetime, now: datetime, policy: AuthPolicy) -> bool:
    """Whether a staff session untouched since ``last_active`` has ended by ``now``."""
    return now - last_active >= policy.idle


def check_secret(secret: str) -> str:
    """``secret`` if it can be a staff PIN or password; ``InvalidInput`` saying what is wrong.

    Nothing is stripped: a space typed by mistake would otherwise become part of, or vanish from,
    what the person believes their PIN is. So spaces and control characters are refused outright.
    """
    if not secret:
        raise InvalidInput(field="staff_pin", reason="staff_pin_empty")
    for ch in secret:
        if ch.isspace():
            raise InvalidInput(field="staff_pin", reason="staff_pin_space")
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise InvalidInput(field="staff_pin", reason="staff_pin_control")
    if secret.isascii() and secret.isdigit():
        lo, hi = PIN_DIGITS
        if not lo <= len(secret) <= hi:
            raise InvalidInput(field="staff_pin", reason="staff_pin_length", low=lo, high=hi, length=len(secret))
        return secret
    lo, hi = PASSWORD_CHARS
    if not lo <= len(secret) <= hi:
        raise InvalidInput(field="staff_pin", reason="staff_password_length", low=lo, high=hi, length=len(secret))
    return secret
