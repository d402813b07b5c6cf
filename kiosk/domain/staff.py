"""Staff roles and what each may do with the voice box (S11, S12).

The services check every step against these rules, so hiding a button is never the only guard:
a counter clerk calling the service directly is refused the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.errors import Forbidden, UnknownUser


class Role(StrEnum):
    COUNTER = "counter"
    """Calls tickets; no access to the voice box."""
    LEAD = "lead"
    """Team lead: classifies, assigns and answers the notes of their team and unassigned ones."""
    ADMIN = "admin"
    """Configuration, seat charts; every note but misconduct reports; purges contacts."""
    AUDIT = "audit"
    """The audit team: the only readers of misconduct reports (S12)."""


class Action(StrEnum):
    READ = "read"
    CLASSIFY = "classify"
    ASSIGN = "assign"
    ANSWER = "answer"
    DELAY = "delay"
    REMIND = "remind"
    PURGE = "purge"
    REPORT = "report"
    """The audit log (who did what)."""
    PERFORMANCE = "performance"
    """The service performance report (S16: each team measures its own performance)."""


@dataclass(frozen=True)
class StaffUser:
    id: str
    role: Role
    name: str = ""
    team: str = ""


SYSTEM = StaffUser("system", Role.ADMIN, "system")
"""The scheduled job (``kiosk feedback remind`` from cron) when no person is named: it may remind
and nothing else, and never sees misconduct reports (the audit team is reminded on its console)."""


def find_user(staff: Iterable[StaffUser], user_id: str) -> StaffUser:
    """The configured staff member ``user_id`` (or the system user); ``UnknownUser`` otherwise."""
    wanted = user_id.strip()
    for user in staff:
        if user.id == wanted:
            return user
    if wanted == SYSTEM.id:
        return SYSTEM
    raise UnknownUser(user=user_id)


def may_see(user: StaffUser, *, confidential: bool, team: str) -> bool:
    """Whether ``user`` may read a note of this kind and team at all."""
    if user is SYSTEM:
        return not confidential
    if confidential:
        return user.role is Role.AUDIT
    if user.role in (Role.ADMIN, Role.AUDIT):
        return True
    if user.role is Role.LEAD:
        return not team or not user.team or team == user.team
    return False


_HANDLING = {Action.READ, Action.CLASSIFY, Action.ASSIGN, Action.ANSWER, Action.DELAY, Action.REMIND}
"""Handling a note: what team leads and the audit team do with the notes they may see."""


def check(user: StaffUser, action: Action, *, confidential: bool = False, team: str = "") -> None:
    """Raise ``Forbidden`` unless ``user`` may do ``action`` on a note (or, without one, at all)."""
    allowed = {
        Role.COUNTER: set(),
        Role.LEAD: _HANDLING | {Action.PERFORMANCE},
        Role.ADMIN: set(Action),
        Role.AUDIT: _HANDLING | {Action.REPORT, Action.PERFORMANCE},
    }[user.role]
    if user is SYSTEM:
        allowed = {Action.REMIND}
    if action not in allowed or not may_see(user, confidential=confidential, team=team):
        raise Forbidden(user=user.id, role=user.role.value, action=action.value)
