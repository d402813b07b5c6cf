"""The satisfaction question after a visit (S5, S15): "was your question resolved?" and 1–5.

One tap each, both skippable. Answers are kept per service and counter, never per person: no staff
name and nothing about the visitor is stored, only which visit was answered (so a visit counts once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.domain.calendar import business_day
from kiosk.domain.errors import InvalidInput
from kiosk.services.feedback_views import SatisfactionView
from kiosk.services.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class Visit:
    """A ticket just completed at a counter: what the counter-facing screen asks about."""

    ticket_key: str
    number: str
    service: str
    counter: int
    completed_at: datetime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SurveyService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime] = _utcnow,
        timezone: ZoneInfo | None = None,
        day_starts_at: time = time(4, 0),
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = timezone or ZoneInfo("Asia/Seoul")
        self._day_start = day_starts_at

    def record(
        self,
        service: str,
        counter: int | None,
        *,
        resolved: bool | None,
        rating: int | None,
        ticket_key: str | None = None,
    ) -> bool:
        """Store one answer; ``False`` if this visit was already answered (a double tap counts once)."""
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput(field="rating", value=rating)
        if resolved is None and rating is None:
            return False  # skipped: nothing to keep
        now = self._clock()
        day = business_day(now, self._tz, self._day_start)
        with self._uow(write=True) as uow:
            stored = uow.satisfaction.add(
                at=now,
                business_day=day.isoformat(),
                service_code=service.strip().upper(),
                counter=counter,
                resolved=resolved,
                rating=rating,
                ticket_key=ticket_key,
            )
            uow.commit()
        return stored

    def last_visit(self, counter: int, within: timedelta = timedelta(minutes=3)) -> Visit | None:
        """The ticket completed last at ``counter`` within ``within``, unless already answered about."""
        since = self._clock() - within
        with self._uow() as uow:
            found = uow.satisfaction.last_completed(counter, since)
            if found is None or uow.satisfaction.answered(found[0]):
                return None
        key, number, service, at = found
        return Visit(key, number, service, counter, at)

    def summary(self, since_day: str | None = None) -> list[SatisfactionView]:
        with self._uow() as uow:
            rows = uow.satisfaction.summary(since_day)
        return [SatisfactionView(*row) for row in rows]
