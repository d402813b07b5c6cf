"""Read models returned by the use cases; their ``to_json`` fields are the CLI's public contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


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
    wait_min: int
    wait_max: int

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def help(self, lang: str) -> str:
        return self.help_ko if lang == "ko" else self.help_en

    def location(self, lang: str) -> str:
        return self.location_ko if lang == "ko" else self.location_en

    def to_json(self) -> dict[str, object]:
        return asdict(self)


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
