"""The audit trail (issue 9): who did what, when — for admins and the audit team.

One list from two append-only sources: the audit log (logins, notes opened and answered, reports
exported, accounts unlocked, configuration changes) and the event log's staff actions (calls,
recalls, transfers, counters opened and closed, seat chart and presence changes). Both are synced to
the central database, so the central trail covers every kiosk and counter. Handling of misconduct
reports stays visible to the audit team only (S12). Reading the trail is itself recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.staff import Action, Role, StaffUser, check
from kiosk.services.ports import UnitOfWorkFactory

READ = "audit.read"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "data": self.data,
        }


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime], timezone: ZoneInfo) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = timezone

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self._tz).astimezone(UTC)

    def trail(
        self,
        user: StaffUser,
        *,
        since: date | None = None,
        until: date | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 500,
        export: str = "",
    ) -> list[AuditEntry]:
        """Entries from ``since`` to ``until`` (local days, both included), newest first."""
        check(user, Action.REPORT)
        with self._uow(write=True) as uow:
            rows = uow.audit.search(
                since=None if since is None else self._start(since),
                until=None if until is None else self._start(until + timedelta(days=1)),
                actor=actor or None,
                action=action or None,
                limit=max(1, min(limit, 100_000)),
            )
            if user.role is not Role.AUDIT:
                # Who handled a misconduct report is itself confidential (S12): audit team only.
                subjects = {s for _, _, what, s, _ in rows if what.startswith("feedback.") and s}
                hidden = {s for s in subjects if (r := uow.feedback.get(s)) is not None and r.feedback.confidential}
                rows = [r for r in rows if r[3] not in hidden]
            uow.audit.add(
                at=self._clock(),
                actor=user.id,
                action=READ,
                data={
                    "since": None if since is None else since.isoformat(),
                    "until": None if until is None else until.isoformat(),
                    "actor": actor,
                    "action": action,
                    "rows": len(rows),
                    "export": export,
                },
            )
            uow.commit()
        return [AuditEntry(*r) for r in rows]


__all__ = ["READ", "AuditEntry", "AuditService"]
