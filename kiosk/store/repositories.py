"""SQLAlchemy implementations of the repositories in ``kiosk.services.ports``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import and_, func, literal_column, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.domain import events as ev
from kiosk.domain.facility import Counter, Service
from kiosk.domain.presence import Presence, PresenceState
from kiosk.domain.ticket import ACTIVE_AT_COUNTER, PriorityReason, Ticket, TicketStatus
from kiosk.store.models import (
    CounterRow,
    CounterServiceRow,
    DaySequenceRow,
    EventRow,
    PresenceRow,
    SeatChartRow,
    ServiceRow,
    ServiceTimeRow,
    TicketRow,
)

_CALL_KINDS = (ev.TICKET_CALLED, ev.TICKET_ACCEPTED, ev.TICKET_RECALLED)


IS_WAITING = TicketRow.status == literal_column(f"'{TicketStatus.WAITING.value}'")
"""``status = 'waiting'`` with the value written into the SQL, not bound as a parameter.

psycopg prepares a statement run often and PostgreSQL may then switch to a generic plan, which
cannot prove that ``status = $1`` implies the partial index's ``status = 'waiting'``; without the
index the claim query sorts every waiting ticket on each call.
"""


def _ticket(row: TicketRow) -> Ticket:
    return Ticket(
        id=row.id,
        number=row.number,
        service_code=row.service_code,
        priority=None if row.priority is None else PriorityReason(row.priority),
        status=TicketStatus(row.status),
        issued_at=row.issued_at,
        queued_at=row.queued_at,
        business_day=row.business_day,
        counter=row.counter,
        called_at=row.called_at,
        started_at=row.started_at,
        completed_at=row.completed_at,
        first_called_at=row.first_called_at,
        recall_count=row.recall_count,
        no_show_count=row.no_show_count,
    )


class SqlTicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"
        self._rows: dict[int, TicketRow] = {}

    def _held(self, row: TicketRow) -> Ticket:
        """The ticket, its row kept for this unit of work.

        The session's identity map holds rows weakly: without this, ``save`` of a ticket read a
        moment ago would find its row gone and SELECT it again (one more round trip per change).
        """
        self._rows[row.id] = row
        return _ticket(row)

    def add(
        self,
        *,
        number: str,
        seq: int,
        service_code: str,
        priority: PriorityReason | None,
        business_day: str,
        issued_at: datetime,
        request_key: str | None,
    ) -> Ticket:
        row = TicketRow(
            number=number,
            seq=seq,
            service_code=service_code,
            priority=None if priority is None else priority.value,
            priority_rank=0 if priority is not None else 1,
            status=TicketStatus.WAITING.value,
            business_day=business_day,
            issued_at=issued_at,
            queued_at=issued_at,
            recall_count=0,
            no_show_count=0,
            request_key=request_key,
            facility=self.session.info.get("facility", ""),
        )
        self.session.add(row)
        self.session.flush()
        return self._held(row)

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(TicketRow, ticket_id)
        return None if row is None else self._held(row)

    def get_by_number(self, business_day: str, number: str) -> Ticket | None:
        row = self.session.scalars(
            select(TicketRow).where(TicketRow.business_day == business_day, TicketRow.number == number)
        ).first()
        return None if row is None else self._held(row)

    def get_by_request_key(self, request_key: str) -> Ticket | None:
        row = self.session.scalars(select(TicketRow).where(TicketRow.request_key == request_key)).first()
        return None if row is None else self._held(row)

    def lock_for_call(self, ticket_id: int, *, skip_locked: bool = True) -> Ticket | None:
        stmt = select(TicketRow).where(TicketRow.id == ticket_id).execution_options(populate_existing=True)
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=skip_locked)
        row = self.session.scalars(stmt).first()
        return None if row is None else self._held(row)

    def claim_next(self, service_codes: Iterable[str]) -> Ticket | Literal[False] | None:
        if not self._postgres:
            return False
        codes = list(service_codes)
        if not codes:
            return None
        # queue_key (kiosk/domain/priority.py) as ORDER BY; tests check both agree.
        stmt = (
            select(TicketRow)
            .where(IS_WAITING, TicketRow.service_code.in_(codes))
            .order_by(TicketRow.priority_rank, TicketRow.queued_at, TicketRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        row = self.session.scalars(stmt).first()
        return None if row is None else self._held(row)

    def save(self, ticket: Ticket) -> None:
        row = self.session.get(TicketRow, ticket.id)
        if row is None:
            raise LookupError(ticket.id)
        row.service_code = ticket.service_code
        row.status = ticket.status.value
        row.queued_at = ticket.queued_at
        row.counter = ticket.counter
        row.called_at = ticket.called_at
        row.first_called_at = ticket.first_called_at
        row.started_at = ticket.started_at
        row.completed_at = ticket.completed_at
        row.recall_count = ticket.recall_count
        row.no_show_count = ticket.no_show_count
        # No flush here: the commit (or the next query, by autoflush) sends the change together
        # with the ticket's events, one flush per use case instead of one per call.

    def next_sequence(self, prefix: str, business_day: str) -> int:
        if self._postgres:
            # Kiosks issuing at once: one atomic upsert, so two never read the same last number
            # (SQLite needs nothing more: writers hold the database lock from BEGIN IMMEDIATE).
            stmt = (
                pg_insert(DaySequenceRow)
                .values(prefix=prefix, business_day=business_day, last_seq=1)
                .on_conflict_do_update(
                    index_elements=[DaySequenceRow.prefix, DaySequenceRow.business_day],
                    set_={"last_seq": DaySequenceRow.last_seq + 1},
                )
                .returning(DaySequenceRow.last_seq)
            )
            return int(self.session.execute(stmt).scalar_one())
        row = self.session.get(DaySequenceRow, (prefix, business_day))
        if row is None:
            row = DaySequenceRow(prefix=prefix, business_day=business_day, last_seq=0)
            self.session.add(row)
        row.last_seq += 1
        self.session.flush()
        return row.last_seq

    def heads(self, service_codes: Iterable[str], exclude: Iterable[int] = ()) -> list[Ticket]:
        skipped = list(exclude)
        out: list[Ticket] = []
        for code in service_codes:
            for rank in (0, 1):
                stmt = select(TicketRow).where(
                    IS_WAITING,
                    TicketRow.service_code == code,
                    TicketRow.priority_rank == rank,
                )
                if skipped:
                    stmt = stmt.where(TicketRow.id.not_in(skipped))
                row = self.session.scalars(stmt.order_by(TicketRow.queued_at, TicketRow.id).limit(1)).first()
                if row is not None:
                    out.append(_ticket(row))
        return out

    def waiting(self, service_code: str | None = None) -> list[Ticket]:
        stmt = select(TicketRow).where(IS_WAITING)
        if service_code is not None:
            stmt = stmt.where(TicketRow.service_code == service_code)
        return [_ticket(r) for r in self.session.scalars(stmt)]

    def count_ahead(self, ticket: Ticket) -> int:
        rank = 0 if ticket.is_priority else 1
        stmt = select(func.count()).where(
            IS_WAITING,
            TicketRow.service_code == ticket.service_code,
            or_(
                TicketRow.priority_rank < rank,
                and_(
                    TicketRow.priority_rank == rank,
                    or_(
                        TicketRow.queued_at < ticket.queued_at,
                        and_(TicketRow.queued_at == ticket.queued_at, TicketRow.id < ticket.id),
                    ),
                ),
            ),
        )
        return int(self.session.scalar(stmt) or 0)

    def waiting_counts(self) -> dict[str, dict[str, int]]:
        stmt = (
            select(TicketRow.service_code, TicketRow.priority_rank, func.count())
            .where(IS_WAITING)
            .group_by(TicketRow.service_code, TicketRow.priority_rank)
        )
        out: dict[str, dict[str, int]] = {}
        for code, rank, n in self.session.execute(stmt):
            out.setdefault(code, {})["priority" if rank == 0 else "ordinary"] = int(n)
        return out

    def active_at_counter(self, counter: int) -> Ticket | None:
        row = self.session.scalars(
            select(TicketRow)
            .where(TicketRow.counter == counter, TicketRow.status.in_([s.value for s in ACTIVE_AT_COUNTER]))
            .order_by(TicketRow.id)
            .limit(1)
        ).first()
        return None if row is None else self._held(row)

    def held(self) -> list[Ticket]:
        rows = self.session.scalars(
            select(TicketRow).where(TicketRow.status == TicketStatus.HELD.value).order_by(TicketRow.queued_at)
        )
        return [_ticket(r) for r in rows]

    def unserved_before(self, business_day: str) -> list[Ticket]:
        rows = self.session.scalars(
            select(TicketRow).where(
                TicketRow.status.in_([TicketStatus.WAITING.value, TicketStatus.HELD.value]),
                TicketRow.business_day < business_day,
            )
        )
        return [_ticket(r) for r in rows]

    def status_counts(self, business_day: str) -> dict[str, int]:
        stmt = (
            select(TicketRow.status, func.count())
            .where(TicketRow.business_day == business_day)
            .group_by(TicketRow.status)
        )
        return {status: int(n) for status, n in self.session.execute(stmt)}


class SqlServiceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._times: dict[tuple[str, int], ServiceTimeRow] = {}  # read, then written: one SELECT

    @staticmethod
    def _service(row: ServiceRow) -> Service:
        return Service(
            code=row.code,
            name_ko=row.name_ko,
            name_en=row.name_en,
            help_ko=row.help_ko,
            help_en=row.help_en,
            icon=row.icon,
            location_ko=row.location_ko,
            location_en=row.location_en,
        )

    def list(self) -> list[Service]:
        rows = self.session.scalars(select(ServiceRow).where(ServiceRow.active).order_by(ServiceRow.sort_order))
        return [self._service(r) for r in rows]

    def get(self, code: str) -> Service | None:
        row = self.session.get(ServiceRow, code)
        return None if row is None or not row.active else self._service(row)

    def upsert(self, service: Service, order: int) -> None:
        row = self.session.get(ServiceRow, service.code)
        if row is None:
            row = ServiceRow(code=service.code)
            self.session.add(row)
        row.name_ko, row.name_en = service.name_ko, service.name_en
        row.help_ko, row.help_en = service.help_ko, service.help_en
        row.location_ko, row.location_en = service.location_ko, service.location_en
        row.icon, row.sort_order, row.active = service.icon, order, True
        self.session.flush()

    def deactivate_others(self, codes: Iterable[str]) -> None:
        self.session.execute(update(ServiceRow).where(ServiceRow.code.not_in(list(codes))).values(active=False))

    def service_seconds(self, code: str, counter: int | None = None) -> float | None:
        if counter is not None:
            row = self.session.get(ServiceTimeRow, (code, counter))
            if row is None:
                return None
            self._times[code, counter] = row
            return row.seconds
        stmt = select(func.avg(ServiceTimeRow.seconds)).where(ServiceTimeRow.service_code == code)
        mean = self.session.execute(stmt).scalar_one_or_none()
        return None if mean is None else float(mean)

    def all_service_seconds(self) -> dict[str, float]:
        rows = self.session.execute(
            select(ServiceTimeRow.service_code, func.avg(ServiceTimeRow.seconds)).group_by(ServiceTimeRow.service_code)
        )
        return {code: float(mean) for code, mean in rows if mean is not None}

    def set_service_seconds(self, code: str, counter: int, seconds: float) -> None:
        row = self._times.get((code, counter)) or self.session.get(ServiceTimeRow, (code, counter))
        if row is None:
            self.session.add(ServiceTimeRow(service_code=code, counter=counter, seconds=seconds))
        else:
            row.seconds = seconds


class SqlCounterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _services(self) -> dict[int, list[str]]:
        rows = self.session.execute(
            select(CounterServiceRow.counter, CounterServiceRow.service_code)
            .join(ServiceRow, ServiceRow.code == CounterServiceRow.service_code)
            .where(ServiceRow.active)
            .order_by(CounterServiceRow.counter, CounterServiceRow.position)
        )
        out: dict[int, list[str]] = {}
        for counter, code in rows:
            out.setdefault(counter, []).append(code)
        return out

    @staticmethod
    def _counter(row: CounterRow, services: list[str]) -> Counter:
        return Counter(
            number=row.number, is_open=row.is_open, services=services, staff_ko=row.staff_ko, staff_en=row.staff_en
        )

    def list(self) -> list[Counter]:
        services = self._services()
        rows = self.session.scalars(select(CounterRow).order_by(CounterRow.number))
        return [self._counter(r, services.get(r.number, [])) for r in rows]

    def get(self, number: int) -> Counter | None:
        # One query (a counter is read on every call): the row and its active services in order.
        services = (
            select(CounterServiceRow.service_code, CounterServiceRow.position)
            .join(ServiceRow, ServiceRow.code == CounterServiceRow.service_code)
            .where(ServiceRow.active, CounterServiceRow.counter == number)
            .subquery()
        )
        rows = self.session.execute(
            select(CounterRow, services.c.service_code)
            .outerjoin(services, true())
            .where(CounterRow.number == number)
            .order_by(services.c.position)
        ).all()
        if not rows:
            return None
        return self._counter(rows[0][0], [code for _, code in rows if code is not None])

    def save(self, counter: Counter) -> None:
        row = self.session.get(CounterRow, counter.number)
        if row is None:
            row = CounterRow(number=counter.number)
            self.session.add(row)
        row.is_open = counter.is_open
        row.staff_ko, row.staff_en = counter.staff_ko, counter.staff_en
        existing = {
            r.service_code: r
            for r in self.session.scalars(select(CounterServiceRow).where(CounterServiceRow.counter == counter.number))
        }
        for code, r in existing.items():
            if code not in counter.services:
                self.session.delete(r)
        for position, code in enumerate(counter.services):
            if code in existing:
                existing[code].position = position
            else:
                self.session.add(CounterServiceRow(counter=counter.number, service_code=code, position=position))
        self.session.flush()

    def ensure(self, number: int, staff_ko: str, staff_en: str) -> None:
        row = self.session.get(CounterRow, number)
        if row is None:
            row = CounterRow(number=number, is_open=False)
            self.session.add(row)
        row.staff_ko, row.staff_en = staff_ko, staff_en
        self.session.flush()


class SqlEventLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        kind: str,
        *,
        at: datetime,
        actor: str,
        ticket_id: int | None = None,
        counter: int | None = None,
        data: Mapping[str, object] | None = None,
    ) -> None:
        # Written at the next flush, with the ticket's change (ids still follow the order of adding).
        self.session.add(
            EventRow(at=at, kind=kind, actor=actor, ticket_id=ticket_id, counter=counter, data=dict(data or {}))
        )

    def last_id(self) -> int:
        return int(self.session.scalar(select(func.max(EventRow.id))) or 0)

    def recent_calls(self, limit: int) -> list[tuple[int, int, int, datetime]]:
        rows = self.session.execute(
            select(EventRow.id, EventRow.ticket_id, EventRow.counter, EventRow.at)
            .where(EventRow.kind.in_(_CALL_KINDS), EventRow.ticket_id.is_not(None), EventRow.counter.is_not(None))
            .order_by(EventRow.id.desc())
            .limit(limit)
        )
        return [(int(i), int(t or 0), int(c or 0), at) for i, t, c, at in rows]

    def for_ticket(self, ticket_id: int) -> list[tuple[str, datetime, str, dict[str, Any]]]:
        rows = self.session.scalars(select(EventRow).where(EventRow.ticket_id == ticket_id).order_by(EventRow.id))
        return [(r.kind, r.at, r.actor, dict(r.data or {})) for r in rows]

    def latest(self, kind: str) -> tuple[datetime, str, dict[str, Any]] | None:
        """``(at, actor, data)`` of the newest event of ``kind`` (uses ``ix_events_kind_id``)."""
        row = self.session.scalars(
            select(EventRow).where(EventRow.kind == kind).order_by(EventRow.id.desc()).limit(1)
        ).first()
        return None if row is None else (row.at, row.actor, dict(row.data or {}))


class SqlChartRepository:
    """Seat charts as documents (the services turn them into ``SeatChart``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, office_id: str | None = None) -> tuple[dict[str, Any], int] | None:
        """The office's chart and its version; without an id, the chart edited last."""
        if office_id is None:
            row = self.session.scalars(select(SeatChartRow).order_by(SeatChartRow.updated_at.desc()).limit(1)).first()
        else:
            row = self.session.get(SeatChartRow, office_id)
        return None if row is None else (dict(row.document), row.version)

    def save(self, office_id: str, document: dict[str, Any], at: datetime, actor: str) -> int:
        row = self.session.get(SeatChartRow, office_id)
        if row is None:
            row = SeatChartRow(office_id=office_id, version=0, document=document, updated_at=at, updated_by=actor)
            self.session.add(row)
        row.version += 1
        row.document = document
        row.updated_at, row.updated_by = at, actor
        self.session.flush()
        return row.version


class SqlPresenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> dict[str, Presence]:
        return {r.staff_id: _presence(r) for r in self.session.scalars(select(PresenceRow))}

    def get(self, staff_id: str) -> Presence | None:
        row = self.session.get(PresenceRow, staff_id)
        return None if row is None else _presence(row)

    def set(self, p: Presence, actor: str) -> None:
        row = self.session.get(PresenceRow, p.staff_id)
        if row is None:
            row = PresenceRow(staff_id=p.staff_id)
            self.session.add(row)
        row.state, row.destination, row.contact = p.state.value, p.destination, p.contact
        row.until, row.since, row.updated_by = p.until, p.since or datetime.now(UTC), actor


def _presence(row: PresenceRow) -> Presence:
    return Presence(
        staff_id=row.staff_id,
        state=PresenceState(row.state),
        destination=row.destination,
        contact=row.contact,
        until=row.until,
        since=row.since,
    )
