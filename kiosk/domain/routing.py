"""Where a visitor's ticket goes when the person in charge is away (S3).

The seat chart says who holds each duty and who stands in for them (the duty's delegate); presence
says who is in. From both this module derives, for the queue:

- the services each counter calls *besides its own*: a present delegate's counter takes the tickets
  of an absent colleague's duties, so the visitor "is handled by a colleague";
- the counters whose person is out, which do not count towards a wait estimate;
- for a service nobody present can handle, when its first absent holder is expected back, so the
  visitor "learns the wait" instead of an estimate that assumes a counter will serve them.

Plain data in, plain data out: the same rules serve the kiosk's service screen, the counter's
"call next" and the wait estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.presence import DutyCover, Presence, cover
from kiosk.domain.seat_chart import SeatChart
from kiosk.domain.wait import WaitEstimate


@dataclass(frozen=True)
class Absence:
    """A duty of a service whose holder is not in, and what happens meanwhile."""

    cover: DutyCover
    delegate_counter: int | None
    """The counter where the delegate calls the duty's tickets (``None``: no counter, or not in)."""
    delegate_desk: str | None = None
    """The delegate's desk, when they are in (a back-office delegate has a desk but no counter)."""


@dataclass(frozen=True)
class Routing:
    delegated: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Counter → services it takes for an absent colleague (not already its own)."""
    away_counters: frozenset[int] = frozenset()
    """Counters whose desk's person is not in."""
    absences: dict[str, tuple[Absence, ...]] = field(default_factory=dict)
    """Service → its duties whose holder is out."""
    staffed_counters: dict[int, str] = field(default_factory=dict)
    """Counter → the person seated at its desk (counters with a desk on the chart)."""

    def services_for(self, counter: int, own: list[str]) -> list[str]:
        """The services ``counter`` calls now: its own first, then those it covers for a colleague."""
        extra = [s for s in self.delegated.get(counter, ()) if s not in own]
        return [*own, *extra] if extra else own

    def counters_for(self, service: str, open_counters: dict[int, list[str]]) -> list[int]:
        """Open counters that will call ``service`` now: they handle it (or cover it) and their person is in."""
        return [
            n
            for n, own in open_counters.items()
            if n not in self.away_counters and service in self.services_for(n, own)
        ]

    def back_at(self, service: str) -> datetime | None:
        """When the first absent holder of ``service`` is expected back (``None``: not known, or nobody away)."""
        times = [a.cover.return_at for a in self.absences.get(service, ()) if a.cover.return_at is not None]
        return min(times) if times else None


NO_ROUTING = Routing()
"""No chart (or nobody away): every counter calls its own services."""


def routing(chart: SeatChart | None, presences: dict[str, Presence]) -> Routing:
    """The routing for ``chart`` with everyone's ``presences`` (no row: in the office)."""
    if chart is None:
        return NO_ROUTING

    def is_in(staff_id: str | None) -> bool:
        p = presences.get(staff_id or "")
        return p is None or p.in_office

    staffed = {d.counter: d.staff for d in chart.desks if d.counter is not None and d.staff}
    away = frozenset(n for n, s in staffed.items() if not is_in(s))
    own_services: dict[int, set[str]] = {}
    for desk in chart.desks:
        if desk.counter is not None:
            own_services[desk.counter] = {
                d.service for d in (chart.duty(x) for x in desk.duties) if d is not None and d.service
            }
    delegated: dict[int, list[str]] = {}
    absences: dict[str, list[Absence]] = {}
    for duty in chart.duties:
        c = cover(chart, duty, presences)
        if c.holder is None or c.holder_in:
            continue
        delegate_desk = chart.desk_of(c.delegate.id) if c.delegate is not None else None
        delegate_counter = delegate_desk.counter if delegate_desk is not None and c.delegate_present else None
        if duty.service:
            desk_id = delegate_desk.id if delegate_desk is not None and c.delegate_present else None
            absences.setdefault(duty.service, []).append(Absence(c, delegate_counter, desk_id))
            if delegate_counter is not None and duty.service not in own_services.get(delegate_counter, set()):
                services = delegated.setdefault(delegate_counter, [])
                if duty.service not in services:
                    services.append(duty.service)
    return Routing(
        delegated={k: tuple(v) for k, v in delegated.items()},
        away_counters=away,
        absences={k: tuple(v) for k, v in absences.items()},
        staffed_counters={k: v for k, v in staffed.items() if v},
    )


def wait_until_return(est: WaitEstimate, now: datetime, back_at: datetime | None) -> WaitEstimate:
    """The estimate for a service nobody in can handle: not before its holder is back.

    The queue ahead still has to be served after the return, so the range starts at the return
    and keeps its width (``estimate_wait`` for the visitors ahead, shifted).
    """
    if back_at is None:
        return est
    minutes = max(0, math.ceil((back_at - now).total_seconds() / 60))
    return WaitEstimate(ahead=est.ahead, minutes_min=est.minutes_min + minutes, minutes_max=est.minutes_max + minutes)
