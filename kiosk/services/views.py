"""Read models returned by the use cases; their ``to_json`` fields are the CLI's public contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.domain.routing import Absence


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat(timespec="seconds")


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    service: str
    priority: str | None
    status: str
    position: int | None
    ahead: int | None
    wait_min: int | None
    wait_max: int | None
    issued_at: datetime
    counter: int | None = None
    called_at: datetime | None = None
    recall_count: int = 0
    no_show_count: int = 0

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["issued_at"] = _iso(self.issued_at)
        d["called_at"] = _iso(self.called_at)
        return d


@dataclass(frozen=True)
class AbsenceView:
    """A duty of a service whose person in charge is out, as the service screen tells visitors (S3).

    No contact number here: visitors are told who stands in and when the holder is back, not how
    to reach them (staff read that from the seat chart).
    """

    duty: str
    duty_ko: str
    duty_en: str
    holder_ko: str
    holder_en: str
    state: str
    """``away``, ``meeting`` or ``leave``."""
    back_at: datetime | None
    delegate_ko: str | None
    delegate_en: str | None
    delegate_counter: int | None
    """The counter where the delegate takes the duty's tickets now; ``None``: wait for the holder."""
    delegate_desk: str | None = None
    """The delegate's desk on the seat chart (a back-office colleague to ask, without a counter)."""

    @classmethod
    def of(cls, absence: Absence) -> AbsenceView:
        c = absence.cover
        holder, delegate = c.holder, c.delegate if c.delegate_present else None
        return cls(
            duty=c.duty.id,
            duty_ko=c.duty.name_ko,
            duty_en=c.duty.name_en,
            holder_ko="" if holder is None else holder.name_ko,
            holder_en="" if holder is None else holder.name_en,
            state="away" if c.holder_presence is None else c.holder_presence.state.value,
            back_at=c.return_at,
            delegate_ko=None if delegate is None else delegate.name_ko,
            delegate_en=None if delegate is None else delegate.name_en,
            delegate_counter=absence.delegate_counter,
            delegate_desk=absence.delegate_desk,
        )

    def duty_name(self, lang: str) -> str:
        return self.duty_ko if lang == "ko" else self.duty_en

    def holder(self, lang: str) -> str:
        return self.holder_ko if lang == "ko" else self.holder_en

    def delegate(self, lang: str) -> str | None:
        return self.delegate_ko if lang == "ko" else self.delegate_en

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["back_at"] = _iso(self.back_at)
        return d


@dataclass(frozen=True)
class ServiceView:
    code: str
    name_ko: str
    name_en: str
    help_ko: str
    help_en: str
    icon: str
    location_ko: str
    location_en: str
    waiting: int
    waiting_priority: int
    open_counters: list[int]
    """Open counters that call this service now: they handle it, or cover it for an absent
    colleague, and their person is in."""
    wait_min: int
    wait_max: int
    absent: list[AbsenceView] = field(default_factory=list)
    """The service's duties whose person in charge is out (S3), and who stands in."""
    back_at: datetime | None = None
    """Nobody in can handle the service: when its first absent holder is expected back (the wait
    range already counts from then)."""

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def help(self, lang: str) -> str:
        return self.help_ko if lang == "ko" else self.help_en

    def location(self, lang: str) -> str:
        return self.location_ko if lang == "ko" else self.location_en

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["absent"] = [a.to_json() for a in self.absent]
        d["back_at"] = _iso(self.back_at)
        return d


@dataclass(frozen=True)
class CounterView:
    number: int
    is_open: bool
    services: list[str]
    staff_ko: str
    staff_en: str
    current: TicketView | None

    def staff(self, lang: str) -> str:
        return self.staff_ko if lang == "ko" else self.staff_en

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["current"] = None if self.current is None else self.current.to_json()
        return d


@dataclass(frozen=True)
class CallView:
    """One call (or recall) shown on the calling board."""

    event_id: int
    number: str
    service: str
    counter: int
    priority: str | None
    at: datetime


@dataclass(frozen=True)
class BoardState:
    current: CallView | None
    history: list[CallView]
    waiting: dict[str, int] = field(default_factory=dict)
