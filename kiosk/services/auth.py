"""Staff sign-in: a per-person PIN or password, hashed with argon2id, locked after wrong tries.

Hashes live in the configuration (``[[staff]] pin_hash``), so every kiosk PC signs staff in
without the central database; each account's wrong tries and lock time live in this node's store
(``uow.lockout``), so a restart does not clear a lock. Every sign-in, failed try, lock, sign-out
and unlock is written to the audit log in the same transaction as the count it changes.

An unknown id and a wrong PIN are refused with the same error, after the same work (an unknown id
is checked against a dummy hash and counted like a real one), so neither the message nor the time
tells whether an account exists. The PIN is verified outside the write transaction (argon2 takes
~0.1 s by design, and the store's write lock must not wait on it); the count is then re-read and
changed inside it, so two tries at once are both counted and a lock set meanwhile still holds.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.domain.auth import AccountLocked, AuthPolicy, Lockout, LoginFailed, check_secret, session_expired
from kiosk.domain.errors import Forbidden, UnknownUser
from kiosk.domain.staff import Role, StaffUser
from kiosk.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

LOGIN = "staff.login"
LOGIN_FAILED = "staff.login_failed"
LOCKED = "staff.locked"
LOGOUT = "staff.logout"
UNLOCKED = "staff.unlocked"

ACTOR_CHARS = 64
"""The audit log's actor column: an id someone typed is kept by its first 64 characters."""

_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$alZKTW4mIN6I6wHy2RS5ZA$Irz/GQa3mouLrjYYzzsUY6kmpfQRAbnJW2iLZFjgjEM"
"""The hash of a random secret nobody knows, with ``hash_secret``'s parameters: an unknown id (or a
staff member without a PIN) is verified against it, so a refusal takes as long as a wrong PIN."""

_hasher = PasswordHasher()  # argon2id, RFC 9106's low-memory profile: t=3, 64 MiB, p=4


def hash_secret(secret: str) -> str:
    """The argon2id hash to paste into ``[[staff]] pin_hash`` (``InvalidInput`` for a bad PIN)."""
    return _hasher.hash(check_secret(secret))


def _utcnow() -> datetime:
    return datetime.now(UTC)


_session_ids = itertools.count(1)


@dataclass(eq=False)
class StaffSession:
    """One signed-in staff member; ends after ``policy.idle`` without ``touch``."""

    user: StaffUser
    started_at: datetime
    last_active: datetime
    policy: AuthPolicy
    id: int = 0

    def expired(self, now: datetime) -> bool:
        return session_expired(self.last_active, now, self.policy)

    def touch(self, now: datetime) -> None:
        """Some input from the staff member: the idle limit counts again from ``now``.

        An expired session stays expired (the person signs in again)."""
        if not self.expired(now) and now > self.last_active:
            self.last_active = now

    @property
    def expires_at(self) -> datetime:
        return self.last_active + self.policy.idle


@dataclass(frozen=True)
class AccountView:
    """A staff account as ``kiosk staff list`` shows it (no hash, only whether there is one)."""

    id: str
    role: str
    name: str
    team: str
    has_pin: bool
    locked_until: datetime | None
    failures: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "role": self.role,
            "name": self.name,
            "team": self.team,
            "has_pin": self.has_pin,
            "locked_until": None if self.locked_until is None else self.locked_until.isoformat(timespec="seconds"),
            "failures": self.failures,
        }


class StaffAuth:
    """Signs staff in and out for the screens; lists and unlocks accounts for ``kiosk staff``."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        staff: Iterable[StaffUser],
        pin_hashes: Mapping[str, str],
        policy: AuthPolicy | None = None,
        clock: Callable[[], datetime] = _utcnow,
        timezone: ZoneInfo | None = None,
    ) -> None:
        self._uow = uow
        self._staff = {u.id: u for u in staff}
        self._hashes = dict(pin_hashes)
        self.policy = policy or AuthPolicy()
        self._clock = clock
        self._tz = timezone or ZoneInfo("Asia/Seoul")

    def now(self) -> datetime:
        return self._clock()

    def staff(self) -> list[StaffUser]:
        """Who may sign in here: the configured staff, in the configuration's order."""
        return list(self._staff.values())

    def has_pin(self, user_id: str) -> bool:
        return user_id in self._hashes

    # -- signing in and out -------------------------------------------------------------------------
    def login(self, user_id: str, secret: str) -> StaffSession:
        """A session for ``user_id`` if ``secret`` is their PIN and the account is not locked.

        ``LoginFailed`` (with ``tries_left``) for a wrong PIN or an unknown id alike;
        ``AccountLocked`` (with ``until``) on the try that locks it and on every try while locked.
        ``InvalidInput`` for what cannot be anyone's PIN (too short, spaces): not counted as a try.
        """
        check_secret(secret)
        key = user_id.strip()[:ACTOR_CHARS]
        user = self._staff.get(key)
        now = self._clock()
        with self._uow() as uow:
            state = uow.lockout.get(key).current(now)
        if state.locked(now):
            self._refuse_locked(key, state, now)
        right = self._verify(self._hashes.get(key) if user is not None else None, secret)
        with self._uow(write=True) as uow:
            now = self._clock()
            state = uow.lockout.get(key).current(now)
            if state.locked(now):  # locked by another try while this one was being checked
                uow.audit.add(at=now, actor=key, action=LOGIN_FAILED, data={"reason": "locked"})
                uow.commit()
                raise self._locked_error(state)
            if right and user is not None:
                uow.lockout.save(key, Lockout(), now)
                uow.audit.add(at=now, actor=key, action=LOGIN, data={"role": user.role.value})
                uow.commit()
                return StaffSession(user, now, now, self.policy, next(_session_ids))
            after = state.failed(now, self.policy)
            uow.lockout.save(key, after, now)
            uow.audit.add(
                at=now,
                actor=key,
                action=LOGIN_FAILED,
                data={"reason": "wrong_pin" if user is not None else "unknown_user", "failures": after.failures},
            )
            if after.locked(now):
                uow.audit.add(at=now, actor=key, action=LOCKED, data={"until": _iso(after.locked_until)})
            uow.commit()
        if after.locked(now):
            log.warning("staff account %r locked after %d wrong PINs", key, after.failures)
            raise self._locked_error(after)
        raise LoginFailed(tries_left=after.tries_left(self.policy))

    def _verify(self, stored: str | None, secret: str) -> bool:
        """Whether ``secret`` matches ``stored``; the dummy hash stands in for none (same cost)."""
        try:
            return _hasher.verify(stored or _DUMMY_HASH, secret) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def _refuse_locked(self, key: str, state: Lockout, now: datetime) -> None:
        with self._uow(write=True) as uow:
            uow.audit.add(at=now, actor=key, action=LOGIN_FAILED, data={"reason": "locked"})
            uow.commit()
        raise self._locked_error(state)

    def _locked_error(self, state: Lockout) -> AccountLocked:
        assert state.locked_until is not None
        local = state.locked_until.astimezone(self._tz)
        return AccountLocked(until=state.locked_until, shown=local.strftime("%H:%M"))

    def logout(self, session: StaffSession, *, reason: str = "user") -> None:
        """End ``session`` (``reason``: ``user`` signed out, ``idle`` timed out)."""
        now = self._clock()
        with self._uow(write=True) as uow:
            uow.audit.add(
                at=now,
                actor=session.user.id,
                action=LOGOUT,
                data={"reason": reason, "minutes": round((now - session.started_at).total_seconds() / 60, 1)},
            )
            uow.commit()

    # -- accounts (kiosk staff) ---------------------------------------------------------------------
    def accounts(self) -> list[AccountView]:
        now = self._clock()
        with self._uow() as uow:
            states = uow.lockout.all()
        views = []
        for u in self._staff.values():
            state = states.get(u.id, Lockout()).current(now)
            has_pin = u.id in self._hashes
            views.append(AccountView(u.id, u.role.value, u.name, u.team, has_pin, state.locked_until, state.failures))
        return views

    def unlock(self, admin: StaffUser, user_id: str) -> AccountView:
        """Clear ``user_id``'s wrong tries and lock; administrators only (``Forbidden`` otherwise)."""
        if admin.role is not Role.ADMIN or admin.id not in self._staff:
            raise Forbidden(user=admin.id, role=admin.role.value, action="unlock")
        user = self.user(user_id)
        now = self._clock()
        with self._uow(write=True) as uow:
            before = uow.lockout.get(user.id).current(now)
            uow.lockout.save(user.id, Lockout(), now)
            uow.audit.add(
                at=now,
                actor=admin.id,
                action=UNLOCKED,
                subject=user.id,
                data={"was_locked": before.locked(now), "failures": before.failures},
            )
            uow.commit()
        return AccountView(user.id, user.role.value, user.name, user.team, user.id in self._hashes, None, 0)

    def user(self, user_id: str) -> StaffUser:
        """The configured staff member ``user_id`` (``UnknownUser`` otherwise; not the system user)."""
        user = self._staff.get(user_id.strip())
        if user is None:
            raise UnknownUser(user=user_id)
        return user


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="seconds")
