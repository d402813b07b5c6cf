"""The service performance report (S15, S16): the one API the admin screen and ``kiosk report`` call.

The figures are computed by the store (SQL aggregates, ``ReportStore``); this service checks who
asks, fills the query from the configuration and the seat chart (open hours, counter -> team,
duties and their delegates), picks the source (the central database for the corporation-wide view,
this node's store when it is unreachable or there is none), adds the names the screens and the
exports print, and writes the request to the audit log (an export is a staff action, issue 9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.errors import InvalidInput, StoreUnavailable
from kiosk.domain.report import Duty, ReportQuery, check_range
from kiosk.domain.seat_chart import SeatChart
from kiosk.domain.staff import Action, Role, StaffUser, check, find_user
from kiosk.services.ports import ReportStore, UnitOfWorkFactory

REPORTED = "report.run"
"""The audit log's action for a report seen or exported."""


@dataclass(frozen=True)
class ReportSettings:
    timezone: ZoneInfo
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    facility_id: str = ""
    facility_ko: str = ""
    facility_en: str = ""
    services: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Service code -> (Korean, English) name, for labels."""


@dataclass(frozen=True)
class ReportSource:
    """Where figures come from: ``central`` (every node's rows) or ``local`` (this node's store)."""

    name: str
    store: ReportStore
    uow: UnitOfWorkFactory


class ReportService:
    def __init__(
        self,
        sources: Sequence[ReportSource],
        settings: ReportSettings,
        clock: Callable[[], datetime],
        chart: Callable[[], SeatChart | None] = lambda: None,
        staff: Sequence[StaffUser] = (),
    ) -> None:
        self._sources = list(sources)
        self._staff = tuple(staff)
        self.settings = settings
        self._clock = clock
        self._chart = chart

    def user(self, user_id: str) -> StaffUser:
        """The configured staff member ``user_id`` (``UnknownUser`` if there is none)."""
        return find_user(self._staff, user_id)

    def staff(self) -> list[StaffUser]:
        """Who may be picked as the signed-in reader (team leads, admins and the audit team)."""
        return [u for u in self._staff if u.role in (Role.LEAD, Role.ADMIN, Role.AUDIT)]

    def query(
        self,
        from_day: date,
        to_day: date,
        *,
        facility: str | None = None,
        service: str | None = None,
        confidential: bool = False,
    ) -> ReportQuery:
        """The query for a range: the facility's hours and offset, and what the seat chart says."""
        check_range(from_day, to_day)
        offset = self.settings.timezone.utcoffset(datetime.combine(to_day, time(12)))
        chart = self._chart()
        teams: dict[int, str] = {}
        duties: list[Duty] = []
        if chart is not None:
            for desk in chart.desks:
                person = chart.person(desk.staff)
                if desk.counter is not None and person is not None:
                    teams[desk.counter] = person.team_ko
            for d in chart.duties:
                holder = chart.holder_of(d.id)
                duties.append(Duty(d.id, d.name_ko, d.name_en, None if holder is None else holder.id, d.delegate))
        return ReportQuery(
            from_day=from_day,
            to_day=to_day,
            facility=facility or None,
            service=service or None,
            include_confidential=confidential,
            utc_offset_minutes=int(offset.total_seconds() // 60) if offset is not None else 0,
            opens=self.settings.opens,
            closes=self.settings.closes,
            counter_teams=teams,
            duties=tuple(duties),
            today=self._clock().astimezone(self.settings.timezone).date(),
        )

    def report(
        self,
        user: StaffUser,
        from_day: date,
        to_day: date,
        *,
        facility: str | None = None,
        service: str | None = None,
        export: str = "",
    ) -> dict[str, Any]:
        """Every figure for ``from_day``..``to_day`` (both included), for a team lead, an admin or the audit team.

        Misconduct reports are counted for the audit team only (S12). ``export`` names the format
        when the report leaves the screen (csv, json, pdf, html): it goes to the audit log.
        """
        check(user, Action.PERFORMANCE)
        query = self.query(from_day, to_day, facility=facility, service=service, confidential=user.role is Role.AUDIT)
        if query.service is not None and self.settings.services and query.service not in self.settings.services:
            raise InvalidInput(
                field="service",
                reason="report_service_unknown",
                service=query.service,
                known=", ".join(self.settings.services),
            )
        last: StoreUnavailable | None = None
        for source in self._sources:
            try:
                facilities = source.store.facilities()
                if query.facility is not None and query.facility not in facilities:
                    raise InvalidInput(
                        field="facility",
                        reason="report_facility_unknown",
                        facility=query.facility,
                        known=", ".join(f for f in facilities if f) or "-",
                    )
                figures = source.store.figures(query)
                self._audit(source, user, query, export)
            except StoreUnavailable as exc:
                last = exc
                continue
            return self._dress(figures, facilities, query, source.name)
        raise last or StoreUnavailable(reason="no report source")

    def _audit(self, source: ReportSource, user: StaffUser, query: ReportQuery, export: str) -> None:
        with source.uow(write=True) as uow:
            uow.audit.add(
                at=self._clock(),
                actor=user.id,
                action=REPORTED,
                data={
                    "from": query.from_day.isoformat(),
                    "to": query.to_day.isoformat(),
                    "facility": query.facility,
                    "service": query.service,
                    "export": export,
                },
            )
            uow.commit()

    def _dress(self, figures: dict[str, Any], facilities: list[str], query: ReportQuery, source: str) -> dict[str, Any]:
        s = self.settings
        return {
            "from": query.from_day.isoformat(),
            "to": query.to_day.isoformat(),
            "facility": query.facility,
            "service": query.service,
            "source": source,
            "facilities": facilities,
            "generated_at": self._clock().astimezone(s.timezone).isoformat(timespec="seconds"),
            "facility_name": {"ko": s.facility_ko, "en": s.facility_en},
            "services": {code: {"ko": ko, "en": en} for code, (ko, en) in s.services.items()},
            "confidential_included": query.include_confidential,
            **{k: v for k, v in figures.items() if k not in ("from", "to")},
        }


__all__ = ["REPORTED", "ReportService", "ReportSettings", "ReportSource"]
