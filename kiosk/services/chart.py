"""Seat chart and presence use cases (S1, S3, S4): import, edit, who is in, who handles what.

The chart is stored as one document per office (``chart_file.chart_to_dict``) and checked by the
domain's rules on every change, whether it comes from a file or from the counter console: an edit
that would make the chart inconsistent is refused with the reason. Every change is an event.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.domain import events as ev
from kiosk.domain.errors import ChartInvalid, InvalidInput, NoChart, UnknownDesk, UnknownStaff
from kiosk.domain.presence import DutyCover, Presence, PresenceState, cover, presence
from kiosk.domain.routing import Routing, routing
from kiosk.domain.seat_chart import Desk, Duty, Match, Room, SeatChart, StaffMember, problems, search
from kiosk.services.chart_file import chart_to_dict
from kiosk.services.ports import UnitOfWork, UnitOfWorkFactory


def chart_from_document(doc: dict[str, Any]) -> SeatChart:
    """A stored chart back as a ``SeatChart`` (documents are checked before they are stored)."""
    office = doc["office"]
    return SeatChart(
        office_id=office["id"],
        name_ko=office["name_ko"],
        name_en=office["name_en"],
        width=int(office["width"]),
        height=int(office["height"]),
        rooms=tuple(Room(**r) for r in doc.get("rooms", [])),
        staff=tuple(StaffMember(**s) for s in doc.get("staff", [])),
        desks=tuple(Desk(**{**d, "duties": tuple(d.get("duties", []))}) for d in doc.get("desks", [])),
        duties=tuple(Duty(**{**d, "keywords": tuple(d.get("keywords", []))}) for d in doc.get("duties", [])),
        version=int(doc.get("version", 1)),
    )


@dataclass(frozen=True)
class ChartState:
    """What the seat-chart screens show: the chart, everyone's presence, and a marker to poll."""

    chart: SeatChart
    presence: dict[str, Presence]
    version: int

    def presence_of(self, staff_id: str) -> Presence:
        return self.presence.get(staff_id) or Presence(staff_id)

    def covers(self, service: str | None = None) -> list[DutyCover]:
        duties = self.chart.duties if service is None else tuple(self.chart.duties_for_service(service))
        return [cover(self.chart, d, self.presence) for d in duties]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ChartService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime] = _utcnow,
        services: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._services = services
        self._cache: tuple[tuple[str, int], SeatChart] | None = None
        """The last chart built, by (office, version): a document is parsed once per edit."""
        self.routing_ttl = 2.0
        """Seconds a routing is reused: every "call next" asks for it, presence changes rarely."""
        self._routing: tuple[float, Routing] | None = None
        self._routing_lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------
    def _load(self, uow: UnitOfWork, office_id: str | None = None) -> tuple[SeatChart, int]:
        found = uow.charts.get(office_id)
        if found is None:
            raise NoChart()
        doc, version = found
        key = (str(doc["office"]["id"]), version)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, chart_from_document(doc))
        return self._cache[1], version

    def chart(self, office_id: str | None = None) -> SeatChart | None:
        with self._uow() as uow:
            try:
                return self._load(uow, office_id)[0]
            except NoChart:
                return None

    def state(self) -> ChartState | None:
        """The chart edited last with everyone's presence, or ``None`` before any import."""
        with self._uow() as uow:
            try:
                chart, version = self._load(uow)
            except NoChart:
                return None
            return ChartState(chart, uow.presence.all(), version)

    def routing(self) -> Routing:
        """Who covers whom right now (S3), for the queue: reused for ``routing_ttl`` seconds.

        This process's own edits take effect at once; another counter's presence change is seen
        within ``routing_ttl`` seconds.
        """
        with self._routing_lock:
            cached = self._routing
            if cached is not None and time.monotonic() - cached[0] < self.routing_ttl:
                return cached[1]
        state = self.state()
        result = routing(None, {}) if state is None else routing(state.chart, state.presence)
        with self._routing_lock:
            self._routing = (time.monotonic(), result)
        return result

    def _changed(self) -> None:
        with self._routing_lock:
            self._routing = None

    def search(self, query: str) -> list[Match]:
        chart = self.chart()
        return [] if chart is None else search(chart, query)

    # -- changing ------------------------------------------------------------------------
    def _check(self, chart: SeatChart) -> None:
        found = problems(chart, None if self._services is None else list(self._services()))
        if found:
            raise ChartInvalid(problem=found[0].code, details=dict(found[0].params))

    def import_chart(self, chart: SeatChart, actor: str = "staff") -> int:
        """Store ``chart`` (replacing the office's previous one); returns its new version."""
        self._check(chart)
        now = self._clock()
        with self._uow(write=True) as uow:
            version = uow.charts.save(chart.office_id, chart_to_dict(chart), now, actor)
            uow.events.add(
                ev.CHART_IMPORTED,
                at=now,
                actor=actor,
                data={"office": chart.office_id, "version": version, "desks": len(chart.desks)},
            )
            uow.commit()
        self._changed()
        return version

    def _edit(
        self, actor: str, kind: str, data: dict[str, object], change: Callable[[SeatChart], SeatChart]
    ) -> SeatChart:
        now = self._clock()
        with self._uow(write=True) as uow:
            chart, _ = self._load(uow)
            changed = change(chart)
            self._check(changed)
            version = uow.charts.save(changed.office_id, chart_to_dict(changed), now, actor)
            uow.events.add(kind, at=now, actor=actor, data={**data, "office": changed.office_id, "version": version})
            uow.commit()
        self._changed()
        return changed

    def assign_desk(self, desk_id: str, staff_id: str | None, actor: str = "staff") -> SeatChart:
        """Seat ``staff_id`` at ``desk_id`` (``None`` empties the desk); they leave their old desk."""

        def change(chart: SeatChart) -> SeatChart:
            if chart.desk(desk_id) is None:
                raise UnknownDesk(desk=desk_id)
            if staff_id is not None and chart.person(staff_id) is None:
                raise UnknownStaff(staff=staff_id)
            return chart.assign(desk_id, staff_id)

        return self._edit(actor, ev.CHART_DESK_ASSIGNED, {"desk": desk_id, "staff": staff_id}, change)

    def set_duties(self, desk_id: str, duties: Iterable[str], actor: str = "staff") -> SeatChart:
        wanted = list(duties)

        def change(chart: SeatChart) -> SeatChart:
            if chart.desk(desk_id) is None:
                raise UnknownDesk(desk=desk_id)
            return chart.set_duties(desk_id, wanted)

        return self._edit(actor, ev.CHART_DUTIES_SET, {"desk": desk_id, "duties": wanted}, change)

    def set_presence(
        self,
        staff_id: str,
        state: PresenceState | str,
        *,
        destination: str = "",
        contact: str = "",
        until: datetime | None = None,
        actor: str = "staff",
    ) -> Presence:
        """Record where someone is (S4: away needs a destination, a contact number and a return time)."""
        now = self._clock()
        with self._uow(write=True) as uow:
            chart, _ = self._load(uow)
            person = chart.person(staff_id)
            if person is None:
                raise UnknownStaff(staff=staff_id)
            if not contact and str(state) == PresenceState.AWAY and person.phone:
                contact = person.phone  # the desk's number unless another is given
            p = presence(staff_id, state, destination=destination, contact=contact, until=until, now=now)
            uow.presence.set(p, actor)
            uow.events.add(
                ev.PRESENCE_CHANGED,
                at=now,
                actor=actor,
                data={
                    "staff": staff_id,
                    "state": p.state.value,
                    "destination": p.destination,
                    "until": None if p.until is None else p.until.isoformat(),
                },
            )
            uow.commit()
        self._changed()
        return p


__all__ = ["ChartService", "ChartState", "InvalidInput", "chart_from_document"]
