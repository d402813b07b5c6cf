"""Queue use cases: issue, call, recall, no-show, start, complete, transfer, hold; counters.

Each method is one transaction (one unit of work): either all of it is written, with its
events, or none of it. Errors are ``KioskError`` subclasses that the UI and CLI translate.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from kiosk.domain import events as ev
from kiosk.domain.calendar import business_day
from kiosk.domain.errors import (
    AlreadyTaken,
    CounterBusy,
    CounterClosed,
    InvalidInput,
    ServiceNotHandled,
    StoreReadOnly,
    StoreUnavailable,
    TicketNotFound,
    TicketStateError,
    UnknownCounter,
    UnknownService,
)
from kiosk.domain.facility import Counter, Service
from kiosk.domain.priority import call_order, next_ticket
from kiosk.domain.routing import NO_ROUTING, Routing, wait_until_return
from kiosk.domain.ticket import PriorityReason, Ticket, TicketStatus, format_number
from kiosk.domain.wait import estimate_wait, smoothed_service_time
from kiosk.services.ports import UnitOfWork, UnitOfWorkFactory
from kiosk.services.views import AbsenceView, BoardState, CallView, CounterView, ServiceView, TicketView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueSettings:
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Seoul"))
    day_starts_at: time = time(4, 0)
    no_show_after_recalls: int = 2
    default_service_seconds: float = 300.0
    number_tag: str = ""
    """Set on a node's offline store: its ticket numbers carry the node's tag (``A-K1-001``)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class QueueService:
    """The queue's API for kiosks, counters, the calling board and scripts."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: QueueSettings | None = None,
        clock: Callable[[], datetime] = _utcnow,
        routing: Callable[[], Routing] | None = None,
    ) -> None:
        self._uow = uow
        self.settings = settings or QueueSettings()
        self._clock = clock
        self._swept_day: str | None = None
        self._routing_source = routing
        """Who is in and who covers whom (S3), from the seat chart and presence; ``None``: no chart."""

    def _routing(self) -> Routing:
        """The current routing, read before a use case opens its transaction.

        The queue never stops because of the seat chart: if it cannot be read, every counter
        calls its own services (as before any chart existed) and the failure is logged.
        """
        if self._routing_source is None:
            return NO_ROUTING
        try:
            return self._routing_source()
        except StoreUnavailable as exc:  # the centre dropped out: the node fails over, nothing is wrong here
            log.warning("routing unavailable (%s); counters call their own services", exc)
            return NO_ROUTING
        except Exception:
            log.exception("routing unavailable; counters call their own services")
            return NO_ROUTING

    def _sweep(self) -> None:
        """Once per business day and process: expire tickets left waiting from earlier days."""
        day = self.today()
        if self._swept_day == day:
            return
        with self._uow() as uow:
            stale = bool(uow.tickets.unserved_before(day))
        if not stale:
            self._swept_day = day
            return
        now = self._clock()
        # The previous data, read-only after a failed upgrade, is left exactly as it was.
        with contextlib.suppress(StoreReadOnly), self._uow(write=True) as uow:
            for ticket in uow.tickets.unserved_before(day):
                ticket.expire_unserved(now)
                self._record(uow, ticket, "system", now)
            uow.commit()
        self._swept_day = day

    # -- helpers -------------------------------------------------------------------------
    def today(self) -> str:
        return business_day(self._clock(), self.settings.timezone, self.settings.day_starts_at).isoformat()

    def _service(self, uow: UnitOfWork, code: str) -> Service:
        service = uow.services.get(code.strip().upper()) if code else None
        if service is None:
            raise UnknownService(service=code)
        return service

    def _counter(self, uow: UnitOfWork, number: int) -> Counter:
        counter = uow.counters.get(number)
        if counter is None:
            raise UnknownCounter(counter=number)
        return counter

    def _ticket(self, uow: UnitOfWork, ref: int | str) -> Ticket:
        """A ticket by id, or by its number (``A-003``) on today's business day."""
        text = str(ref).strip().upper()
        ticket = uow.tickets.get(int(text)) if text.isdigit() else uow.tickets.get_by_number(self.today(), text)
        if ticket is None:
            raise TicketNotFound(ticket=str(ref))
        return ticket

    @staticmethod
    def _open(counters: Iterable[Counter]) -> dict[int, list[str]]:
        return {c.number: c.services for c in counters if c.is_open}

    def _view(self, uow: UnitOfWork, ticket: Ticket, routing: Routing = NO_ROUTING) -> TicketView:
        position = ahead = wait_min = wait_max = None
        if ticket.status == TicketStatus.WAITING:
            ahead = uow.tickets.count_ahead(ticket)
            position = ahead + 1
            serving = routing.counters_for(ticket.service_code, self._open(uow.counters.list()))
            est = estimate_wait(
                ahead,
                len(serving),
                uow.services.service_seconds(ticket.service_code) or self.settings.default_service_seconds,
            )
            if not serving:
                est = wait_until_return(est, self._clock(), routing.back_at(ticket.service_code))
            wait_min, wait_max = est.minutes_min, est.minutes_max
        return TicketView(
            id=ticket.id,
            number=ticket.number,
            service=ticket.service_code,
            priority=None if ticket.priority is None else ticket.priority.value,
            status=ticket.status.value,
            position=position,
            ahead=ahead,
            wait_min=wait_min,
            wait_max=wait_max,
            issued_at=ticket.issued_at,
            counter=ticket.counter,
            called_at=ticket.called_at,
            recall_count=ticket.recall_count,
            no_show_count=ticket.no_show_count,
        )

    def _record(self, uow: UnitOfWork, ticket: Ticket, actor: str, now: datetime) -> None:
        for kind, data in ticket.events:
            counter = data.get("counter")
            uow.events.add(
                kind,
                at=now,
                actor=actor,
                ticket_id=ticket.id,
                counter=counter if isinstance(counter, int) else None,
                data=data,
            )
        ticket.events.clear()
        uow.tickets.save(ticket)

    def _change(self, ref: int | str, actor: str, action: Callable[[UnitOfWork, Ticket, datetime], None]) -> TicketView:
        now = self._clock()
        routing = self._routing()
        with self._uow(write=True) as uow:
            ticket = self._ticket(uow, ref)
            action(uow, ticket, now)
            self._record(uow, ticket, actor, now)
            view = self._view(uow, ticket, routing)
            uow.commit()
        return view

    # -- facility ------------------------------------------------------------------------
    def configure(self, services: Iterable[Service], counters: Iterable[tuple[int, str, str]]) -> None:
        """Bring the store's services and counters in line with the configuration.

        Services no longer configured are hidden from the kiosk but kept, so that old tickets
        and reports keep their names.
        """
        services = list(services)
        counters = list(counters)

        def unchanged(uow: UnitOfWork) -> bool:
            return uow.services.list() == services and all(
                (c := uow.counters.get(number)) is not None and (c.staff_ko, c.staff_en) == (ko, en)
                for number, ko, en in counters
            )

        with self._uow() as uow:
            if unchanged(uow):
                return  # the usual start: no write lock, no fsync
        with self._uow(write=True) as uow:
            # Nodes switched on together against a new central database: one writes, the others
            # wait for it and then find nothing left to do.
            uow.lock("facility")
            if unchanged(uow):
                return
            for order, service in enumerate(services):
                uow.services.upsert(service, order)
            uow.services.deactivate_others([s.code for s in services])
            for number, staff_ko, staff_en in counters:
                uow.counters.ensure(number, staff_ko, staff_en)
            uow.commit()

    def services(self) -> list[ServiceView]:
        """Each service with its queue, the counters calling it now, the wait, and who is away (S3)."""
        self._sweep()
        routing = self._routing()
        now = self._clock()
        with self._uow() as uow:
            counts = uow.tickets.waiting_counts()
            open_now = self._open(uow.counters.list())
            seconds = uow.services.all_service_seconds()
            out = []
            for s in uow.services.list():
                c = counts.get(s.code, {})
                waiting = c.get("priority", 0) + c.get("ordinary", 0)
                open_counters = routing.counters_for(s.code, open_now)
                est = estimate_wait(
                    waiting, len(open_counters), seconds.get(s.code) or self.settings.default_service_seconds
                )
                back_at = None
                if not open_counters and open_now:
                    back_at = routing.back_at(s.code)
                    est = wait_until_return(est, now, back_at)
                out.append(
                    ServiceView(
                        code=s.code,
                        name_ko=s.name_ko,
                        name_en=s.name_en,
                        help_ko=s.help_ko,
                        help_en=s.help_en,
                        icon=s.icon,
                        location_ko=s.location_ko,
                        location_en=s.location_en,
                        waiting=waiting,
                        waiting_priority=c.get("priority", 0),
                        open_counters=open_counters,
                        wait_min=est.minutes_min,
                        wait_max=est.minutes_max,
                        absent=[AbsenceView.of(a) for a in routing.absences.get(s.code, ())],
                        back_at=back_at,
                    )
                )
            return out

    def counters(self) -> list[CounterView]:
        with self._uow() as uow:
            return [self._counter_view(uow, c) for c in uow.counters.list()]

    def counter(self, number: int) -> CounterView:
        with self._uow() as uow:
            return self._counter_view(uow, self._counter(uow, number))

    def _counter_view(self, uow: UnitOfWork, c: Counter) -> CounterView:
        active = uow.tickets.active_at_counter(c.number)
        return CounterView(
            number=c.number,
            is_open=c.is_open,
            services=list(c.services),
            staff_ko=c.staff_ko,
            staff_en=c.staff_en,
            current=None if active is None else self._view(uow, active),
        )

    def open_counter(self, number: int, services: Iterable[str] | None = None, actor: str = "staff") -> CounterView:
        now = self._clock()
        with self._uow(write=True) as uow:
            counter = self._counter(uow, number)
            if services is not None:
                counter.services = self._service_codes(uow, services)
            elif not counter.services:
                counter.services = [s.code for s in uow.services.list()]
            counter.is_open = True
            uow.counters.save(counter)
            uow.events.add(ev.COUNTER_OPENED, at=now, actor=actor, counter=number, data={"services": counter.services})
            view = self._counter_view(uow, counter)
            uow.commit()
        return view

    def _service_codes(self, uow: UnitOfWork, codes: Iterable[str]) -> list[str]:
        result: list[str] = []
        for code in codes:
            service = self._service(uow, code)
            if service.code not in result:
                result.append(service.code)
        if not result:
            raise InvalidInput(field="services")
        return result

    def set_counter_services(self, number: int, services: Iterable[str], actor: str = "staff") -> CounterView:
        now = self._clock()
        with self._uow(write=True) as uow:
            counter = self._counter(uow, number)
            counter.services = self._service_codes(uow, services)
            uow.counters.save(counter)
            uow.events.add(
                ev.COUNTER_SERVICES, at=now, actor=actor, counter=number, data={"services": counter.services}
            )
            view = self._counter_view(uow, counter)
            uow.commit()
        return view

    def close_counter(self, number: int, actor: str = "staff") -> CounterView:
        now = self._clock()
        with self._uow(write=True) as uow:
            counter = self._counter(uow, number)
            active = uow.tickets.active_at_counter(number)
            if active is not None:
                raise CounterBusy(counter=number, number=active.number)
            counter.is_open = False
            uow.counters.save(counter)
            uow.events.add(ev.COUNTER_CLOSED, at=now, actor=actor, counter=number)
            view = self._counter_view(uow, counter)
            uow.commit()
        return view

    # -- tickets -------------------------------------------------------------------------
    def issue_ticket(
        self,
        service_code: str,
        priority: PriorityReason | str | None = None,
        *,
        request_key: str | None = None,
        actor: str = "kiosk",
    ) -> TicketView:
        """Issue a ticket. A repeated ``request_key`` (a double tap) returns the same ticket."""
        self._sweep()
        reason: PriorityReason | None
        try:
            reason = None if priority in (None, "", "none", "ordinary") else PriorityReason(str(priority))
        except ValueError:
            raise InvalidInput(field="priority", value=str(priority)) from None
        now = self._clock()
        day = self.today()
        routing = self._routing()
        with self._uow(write=True) as uow:
            if request_key:
                existing = uow.tickets.get_by_request_key(request_key)
                if existing is not None:
                    return self._view(uow, existing, routing)
            service = self._service(uow, service_code)
            seq = uow.tickets.next_sequence(service.code, day)
            ticket = uow.tickets.add(
                number=format_number(service.code, seq, self.settings.number_tag),
                seq=seq,
                service_code=service.code,
                priority=reason,
                business_day=day,
                issued_at=now,
                request_key=request_key or uuid.uuid4().hex,  # every ticket has one: sync keys on it
            )
            uow.events.add(
                ev.TICKET_ISSUED,
                at=now,
                actor=actor,
                ticket_id=ticket.id,
                data={
                    "service": service.code,
                    "priority": None if reason is None else reason.value,
                    "number": ticket.number,
                },
            )
            view = self._view(uow, ticket, routing)
            uow.commit()
        return view

    def call_next(
        self, counter_number: int, actor: str | None = None, *, finish_current: bool = False
    ) -> TicketView | None:
        """Call the next visitor for this counter by the priority policy, or ``None``.

        With ``finish_current`` the visitor being served at the counter is completed first, in the
        same transaction (the console's "complete and call next": one tap, one round of locks). If
        nobody is waiting the current visitor is still completed.
        """
        self._sweep()
        now = self._clock()
        who = actor or f"counter:{counter_number}"
        routing = self._routing()
        with self._uow(write=True) as uow:
            counter = self._open_counter(uow, counter_number)
            active = uow.tickets.active_at_counter(counter_number)
            if active is not None:
                if not finish_current:
                    raise CounterBusy(counter=counter_number, number=active.number)
                self._finish(uow, active, now)
                self._record(uow, active, who, now)
            view = self._claim(uow, counter, routing.services_for(counter.number, counter.services), now, who)
            uow.commit()
        return view

    def _claim(
        self, uow: UnitOfWork, counter: Counter, services: list[str], now: datetime, actor: str
    ) -> TicketView | None:
        """Call the next ticket of ``services`` (the counter's own, and any it covers for a colleague)."""
        claimed = uow.tickets.claim_next(services)
        if claimed is not False:
            # One statement on PostgreSQL: the policy's order (class, queue time, id) as ORDER BY,
            # the first row no other counter holds, locked (FOR UPDATE SKIP LOCKED).
            if claimed is None:
                return None
            claimed.call(counter.number, now)
            self._record(uow, claimed, actor, now)
            return self._view(uow, claimed)
        skipped: set[int] = set()
        while True:
            # A head another counter is calling right now (PostgreSQL, SKIP LOCKED) is passed
            # over for the next ticket of its line, never for the whole line.
            chosen = next_ticket(uow.tickets.heads(services, skipped), services)
            if chosen is None:
                return None
            locked = uow.tickets.lock_for_call(chosen.id)
            if locked is None or locked.status != TicketStatus.WAITING:
                skipped.add(chosen.id)
                continue
            locked.call(counter.number, now)
            self._record(uow, locked, actor, now)
            return self._view(uow, locked)

    def _open_counter(self, uow: UnitOfWork, number: int) -> Counter:
        counter = self._counter(uow, number)
        if not counter.is_open:
            raise CounterClosed(counter=number)
        return counter

    def _ready_counter(self, uow: UnitOfWork, number: int) -> Counter:
        """Open and free: nobody called or being served there."""
        counter = self._open_counter(uow, number)
        active = uow.tickets.active_at_counter(number)
        if active is not None:
            raise CounterBusy(counter=number, number=active.number)
        return counter

    def priority_alerts(self, counter_number: int) -> list[TicketView]:
        """Waiting priority visitors this counter could take (S6: the first to accept takes them)."""
        self._sweep()
        routing = self._routing()
        with self._uow() as uow:
            counter = uow.counters.get(counter_number)
            if counter is None or not counter.is_open:
                return []
            services = routing.services_for(counter.number, counter.services)
            return [self._view(uow, t, routing) for t in call_order(uow.tickets.waiting(), services) if t.is_priority]

    def accept_priority(self, ticket_ref: int | str, counter_number: int, actor: str | None = None) -> TicketView:
        """Take a priority visitor at this counter; fails if another counter took them first."""
        now = self._clock()
        routing = self._routing()
        with self._uow(write=True) as uow:
            counter = self._ready_counter(uow, counter_number)
            ticket = self._ticket(uow, ticket_ref)
            # Wait for a counter accepting at the same moment, so the loser is told which counter won.
            locked = uow.tickets.lock_for_call(ticket.id, skip_locked=False) or ticket
            if locked.status != TicketStatus.WAITING:
                if locked.counter is not None:
                    raise AlreadyTaken(number=locked.number, counter=locked.counter)
                # held or expired: no counter took the visitor, so "taken by counter 0" would be wrong
                raise TicketStateError(number=locked.number, status=locked.status.value, action="accept")
            if locked.service_code not in routing.services_for(counter.number, counter.services):
                raise ServiceNotHandled(counter=counter_number, service=locked.service_code)
            locked.call(counter_number, now)
            locked.events[-1] = (ev.TICKET_ACCEPTED, {"counter": counter_number})
            self._record(uow, locked, actor or f"counter:{counter_number}", now)
            view = self._view(uow, locked)
            uow.commit()
        return view

    def recall(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(ticket_ref, actor, lambda uow, t, now: t.recall())

    def start(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(ticket_ref, actor, lambda uow, t, now: t.start(now))

    def no_show(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(
            ticket_ref, actor, lambda uow, t, now: t.mark_no_show(now, self.settings.no_show_after_recalls)
        )

    def complete(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(ticket_ref, actor, self._finish)

    @staticmethod
    def _finish(uow: UnitOfWork, t: Ticket, now: datetime) -> None:
        """Complete ``t`` and fold its service time into its counter's figure."""
        t.complete(now)
        begun = t.started_at or t.called_at
        if begun is not None and t.counter is not None:
            # Each counter smooths its own figure (its own row: no lock shared between counters).
            seconds = max(0.0, (now - begun).total_seconds())
            previous = uow.services.service_seconds(t.service_code, t.counter)
            uow.services.set_service_seconds(t.service_code, t.counter, smoothed_service_time(previous, seconds))

    def transfer(self, ticket_ref: int | str, service_code: str, actor: str = "staff") -> TicketView:
        def action(uow: UnitOfWork, t: Ticket, now: datetime) -> None:
            t.transfer(self._service(uow, service_code).code)

        return self._change(ticket_ref, actor, action)

    def hold(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(ticket_ref, actor, lambda uow, t, now: t.hold())

    def resume(self, ticket_ref: int | str, actor: str = "staff") -> TicketView:
        return self._change(ticket_ref, actor, lambda uow, t, now: t.resume())

    # -- reading -------------------------------------------------------------------------
    def ticket(self, ticket_ref: int | str) -> TicketView:
        routing = self._routing()
        with self._uow() as uow:
            return self._view(uow, self._ticket(uow, ticket_ref), routing)

    def queue(self, service_code: str | None = None) -> list[TicketView]:
        """Waiting tickets in the order they will be called (per service, priority first)."""
        self._sweep()
        routing = self._routing()
        now = self._clock()
        with self._uow() as uow:
            code = None if service_code is None else self._service(uow, service_code).code
            waiting = uow.tickets.waiting(code)
            ordered = call_order(waiting)
            open_now = self._open(uow.counters.list())
            seconds = uow.services.all_service_seconds()
            ahead_by_service: dict[str, int] = {}
            views = []
            for t in ordered:
                ahead = ahead_by_service.get(t.service_code, 0)
                ahead_by_service[t.service_code] = ahead + 1
                serving = routing.counters_for(t.service_code, open_now)
                est = estimate_wait(
                    ahead, len(serving), seconds.get(t.service_code) or self.settings.default_service_seconds
                )
                if not serving:
                    est = wait_until_return(est, now, routing.back_at(t.service_code))
                views.append(
                    TicketView(
                        id=t.id,
                        number=t.number,
                        service=t.service_code,
                        priority=None if t.priority is None else t.priority.value,
                        status=t.status.value,
                        position=ahead + 1,
                        ahead=ahead,
                        wait_min=est.minutes_min,
                        wait_max=est.minutes_max,
                        issued_at=t.issued_at,
                        recall_count=t.recall_count,
                        no_show_count=t.no_show_count,
                    )
                )
            return views

    def held(self) -> list[TicketView]:
        with self._uow() as uow:
            return [self._view(uow, t) for t in uow.tickets.held()]

    def board(self, history: int = 5) -> BoardState:
        """What the calling board shows: the latest call large, the previous ones beside it."""
        with self._uow() as uow:
            calls: list[CallView] = []
            seen: set[int] = set()
            for event_id, ticket_id, counter, at in uow.events.recent_calls(history * 4 + 1):
                if ticket_id in seen:
                    continue
                seen.add(ticket_id)
                t = uow.tickets.get(ticket_id)
                if t is None:
                    continue
                calls.append(
                    CallView(
                        event_id=event_id,
                        number=t.number,
                        service=t.service_code,
                        counter=counter,
                        priority=None if t.priority is None else t.priority.value,
                        at=at,
                    )
                )
                if len(calls) > history:
                    break
            counts = uow.tickets.waiting_counts()
            waiting = {s.code: sum(counts.get(s.code, {}).values()) for s in uow.services.list()}
            return BoardState(current=calls[0] if calls else None, history=calls[1:], waiting=waiting)

    def today_counts(self) -> dict[str, int]:
        """Today's tickets by status, plus ``issued`` (all of them)."""
        with self._uow() as uow:
            counts = uow.tickets.status_counts(self.today())
        result = {s.value: counts.get(s.value, 0) for s in TicketStatus}
        result["issued"] = sum(counts.values())
        return result

    def report_printer(self, node: str, status: Mapping[str, object]) -> None:
        """Record a kiosk printer's new state, so every counter console can show the fault."""
        with self._uow(write=True) as uow:
            uow.events.add(ev.PRINTER_STATUS, at=self._clock(), actor=node, data={"node": node, **status})
            uow.commit()

    def printer_status(self) -> dict[str, object] | None:
        """The last state a kiosk reported for its printer (``ok``, ``reason``, ``node``, ``at``), or ``None``."""
        with self._uow() as uow:
            found = uow.events.latest(ev.PRINTER_STATUS)
        if found is None:
            return None
        at, _actor, data = found
        return {**data, "at": at.isoformat(timespec="seconds")}

    def change_marker(self) -> int:
        """Grows with every recorded change; screens poll it to refresh only when needed."""
        with self._uow() as uow:
            return uow.events.last_id()

    def history(self, ticket_ref: int | str) -> list[tuple[str, datetime, str, dict[str, object]]]:
        with self._uow() as uow:
            return uow.events.for_ticket(self._ticket(uow, ticket_ref).id)


__all__ = ["QueueService", "QueueSettings", "TicketStateError"]
