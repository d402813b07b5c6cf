"""What a service performance report asks for (S15, S16): the range, the filters, the facility's hours.

Plain data and the checks on it; the figures themselves are SQL aggregates in the store
(``kiosk.store.report_queries``), so a facility-year never travels into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from kiosk.domain.errors import InvalidInput

MAX_DAYS = 3 * 366
"""The longest range one report covers (three years): longer asks are refused, not left to run."""

CATEGORIES = ("praise", "proposal", "suggestion", "complaint", "misconduct")
CONFIDENTIAL = "misconduct"
"""Misconduct reports are counted for the audit team only (S12), even as numbers."""

SIMPLE_DAYS = 7
REVIEW_DAYS = 14
"""S9: a simple note is answered within 7 days, one that needs review within 14."""


@dataclass(frozen=True)
class Duty:
    """A duty of the seat chart: who holds it and who stands in (presence coverage)."""

    id: str
    name_ko: str
    name_en: str
    staff: str | None
    delegate: str | None = None


@dataclass(frozen=True)
class ReportQuery:
    from_day: date
    to_day: date
    facility: str | None = None
    """One facility's rows (its id, ``[facility] id``), or every facility in the store."""
    service: str | None = None
    include_confidential: bool = False
    utc_offset_minutes: int = 540
    """The facility's offset from UTC: "answered on" and open hours are local days and times."""
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    counter_teams: dict[int, str] = field(default_factory=dict)
    """Counter -> the team of the person at its desk (from the seat chart): served by team."""
    duties: tuple[Duty, ...] = ()
    today: date | None = None
    """The facility's today: "overdue" and "not answered in time" count up to it, never beyond."""

    @property
    def as_of(self) -> date:
        """The day deadlines are judged on: the range's last day, or today if that is earlier."""
        return self.to_day if self.today is None else min(self.to_day, self.today)

    @property
    def open_seconds(self) -> int:
        return (self.closes.hour * 60 + self.closes.minute - self.opens.hour * 60 - self.opens.minute) * 60


def parse_range(from_text: str, to_text: str) -> tuple[date, date]:
    """Two ISO days, both included; refused (``InvalidInput``) when unreadable, reversed or too long."""
    try:
        start, end = date.fromisoformat(from_text.strip()), date.fromisoformat(to_text.strip())
    except ValueError:
        raise InvalidInput(field="range", reason="range_date", value=f"{from_text} {to_text}"[:40]) from None
    check_range(start, end)
    return start, end


def check_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput(field="range", reason="range_reversed", start=start.isoformat(), end=end.isoformat())
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(field="range", reason="range_too_long", limit=MAX_DAYS)


def share_pct(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent (two decimals), or ``None`` when there is nothing to count."""
    return round(100.0 * part / whole, 2) if whole else None
