"""Read models of the voice box; their ``to_json`` fields are the CLI's public contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


@dataclass(frozen=True)
class ReceiptView:
    """What the visitor takes away: the receipt number and the PIN that unlocks the answer."""

    receipt: str
    pin: str
    category: str
    status: str
    received_at: datetime
    due_date: date | None
    """``None`` until staff classify the note (simple: 7 days, needs review: 14)."""
    anonymous: bool

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["received_at"] = _iso(self.received_at)
        d["due_date"] = _iso(self.due_date)
        return d


@dataclass(frozen=True)
class StatusView:
    """What receipt + PIN show: where the note is, the answer, or why it is late and until when."""

    receipt: str
    category: str
    status: str
    received_on: date
    due_date: date | None
    answer: str
    answered_at: datetime | None
    delay_reason: str
    new_date: date | None

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        for key in ("received_on", "due_date", "answered_at", "new_date"):
            d[key] = _iso(getattr(self, key))
        return d


@dataclass(frozen=True)
class ItemView:
    """A note as staff see it in the inbox: contact and name masked (nobody's screen needs them)."""

    receipt: str
    category: str
    text: str
    status: str
    handling: str | None
    received_at: datetime
    received_on: date
    due_date: date | None
    deadline: date | None
    """The date the visitor waits for: the new date after a delay, else the due date."""
    team: str
    answer: str
    answered_at: datetime | None
    delay_reason: str
    new_date: date | None
    name: str
    contact: str
    consent: bool
    overdue: bool
    needs_reminder: bool
    """Due tomorrow or late, without a recorded reason and new date (S10)."""
    confidential: bool
    notice: str = ""
    """What became of the visitor's notice after this step: ``sent``, ``queued``, ``failed`` or ``""``."""
    history: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        for key in ("received_at", "received_on", "due_date", "deadline", "answered_at", "new_date"):
            d[key] = _iso(getattr(self, key))
        d["history"] = [list(h) for h in self.history]
        return d


@dataclass(frozen=True)
class RemindResult:
    alerts: list[ItemView]
    """Every open note due tomorrow or late without a recorded delay, soonest first."""
    new: list[str]
    """Receipts alerted for the first time today (the cron job's e-mail lists these)."""
    alert_sent: bool
    notices_sent: int
    notices_failed: int
    """Notices that cannot go out as they are (a refused address): staff are told in the audit log."""
    notices_queued: int = 0
    """Notices kept for the next run (the mail server or gateway was away, or none is configured)."""

    def to_json(self) -> dict[str, object]:
        return {
            "alerts": [a.to_json() for a in self.alerts],
            "new": list(self.new),
            "alert_sent": self.alert_sent,
            "notices_sent": self.notices_sent,
            "notices_failed": self.notices_failed,
            "notices_queued": self.notices_queued,
        }


@dataclass(frozen=True)
class SatisfactionView:
    service: str
    counter: int | None
    answers: int
    resolved: int
    unresolved: int
    mean_rating: float | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)
