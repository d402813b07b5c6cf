"""What the use cases need from a store. ``kiosk.store`` implements these.

Keeping the protocols here (not in the store) lets services and tests depend on the shape of
storage, never on SQLAlchemy, and lets the sync layer (issue 4) supply another implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Literal, Protocol

from kiosk.domain.auth import Lockout
from kiosk.domain.facility import Counter, Service
from kiosk.domain.feedback import Feedback
from kiosk.domain.presence import Presence
from kiosk.domain.report import ReportQuery
from kiosk.domain.ticket import PriorityReason, Ticket


class TicketRepository(Protocol):
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
    ) -> Ticket: ...

    def get(self, ticket_id: int) -> Ticket | None: ...

    def get_by_number(self, business_day: str, number: str) -> Ticket | None: ...

    def get_by_request_key(self, request_key: str) -> Ticket | None: ...

    def lock_for_call(self, ticket_id: int, *, skip_locked: bool = True) -> Ticket | None:
        """The ticket, locked against other counters.

        ``None`` if another counter has it locked right now; with ``skip_locked=False`` wait for
        that counter to finish instead, then return the ticket as it left it.
        """
        ...

    def claim_next(self, service_codes: Iterable[str]) -> Ticket | Literal[False] | None:
        """The ticket the policy calls next for these services, locked for this transaction.

        ``False`` where the store cannot do it in one statement (SQLite: the caller then uses
        ``heads`` and the policy function; writers are serialised there anyway).
        """
        ...

    def save(self, ticket: Ticket) -> None: ...

    def next_sequence(self, prefix: str, business_day: str) -> int: ...

    def heads(self, service_codes: Iterable[str], exclude: Iterable[int] = ()) -> list[Ticket]:
        """The first waiting ticket of each (service, class) line: enough for the policy.

        Tickets in ``exclude`` (another counter is calling them) are passed over, so the line's
        next ticket stands in for its head.
        """
        ...

    def waiting(self, service_code: str | None = None) -> list[Ticket]: ...

    def count_ahead(self, ticket: Ticket) -> int: ...

    def waiting_counts(self) -> dict[str, dict[str, int]]:
        """``{service: {"priority": n, "ordinary": m}}`` for waiting tickets."""
        ...

    def active_at_counter(self, counter: int) -> Ticket | None: ...

    def held(self) -> list[Ticket]: ...

    def unserved_before(self, business_day: str) -> list[Ticket]:
        """Waiting or held tickets of earlier business days."""
        ...

    def status_counts(self, business_day: str) -> dict[str, int]: ...


class ServiceRepository(Protocol):
    def list(self) -> list[Service]: ...

    def get(self, code: str) -> Service | None: ...

    def upsert(self, service: Service, order: int) -> None: ...

    def deactivate_others(self, codes: Iterable[str]) -> None: ...

    def service_seconds(self, code: str, counter: int | None = None) -> float | None:
        """The service's time per visitor (mean over counters), or one counter's own figure."""
        ...

    def all_service_seconds(self) -> dict[str, float]: ...

    def set_service_seconds(self, code: str, counter: int, seconds: float) -> None: ...


class CounterRepository(Protocol):
    def list(self) -> list[Counter]: ...

    def get(self, number: int) -> Counter | None: ...

    def save(self, counter: Counter) -> None: ...

    def ensure(self, number: int, staff_ko: str, staff_en: str) -> None: ...


class EventLog(Protocol):
    def add(
        self,
        kind: str,
        *,
        at: datetime,
        actor: str,
        ticket_id: int | None = None,
        counter: int | None = None,
        data: Mapping[str, object] | None = None,
    ) -> None: ...

    def last_id(self) -> int: ...

    def recent_calls(self, limit: int) -> list[tuple[int, int, int, datetime]]:
        """``(event_id, ticket_id, counter, at)`` of the latest calls and recalls, newest first."""
        ...

    def for_ticket(self, ticket_id: int) -> list[tuple[str, datetime, str, dict[str, object]]]: ...

    def latest(self, kind: str) -> tuple[datetime, str, dict[str, object]] | None: ...


class ChartRepository(Protocol):
    def get(self, office_id: str | None = None) -> tuple[dict[str, Any], int] | None:
        """The office's chart document and version; without an id, the chart edited last."""
        ...

    def save(self, office_id: str, document: dict[str, Any], at: datetime, actor: str) -> int: ...


class PresenceRepository(Protocol):
    def all(self) -> dict[str, Presence]: ...

    def get(self, staff_id: str) -> Presence | None: ...

    def set(self, p: Presence, actor: str) -> None: ...


@dataclass
class Private:
    """What the store keeps of a note beside the note itself: sealed, hashed, or bookkeeping."""

    pin_hash: str
    name_enc: str | None = None
    contact_enc: str | None = None
    language: str = "ko"
    pin_failures: int = 0
    locked_until: datetime | None = None
    request_key: str | None = None
    reminded_on: date | None = None
    notice_pending: str = ""
    purged_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class FeedbackRecord:
    feedback: Feedback
    private: Private = field(default_factory=lambda: Private(pin_hash=""))


class FeedbackRepository(Protocol):
    def add(self, record: FeedbackRecord) -> None: ...

    def get(self, receipt: str, *, for_update: bool = False) -> FeedbackRecord | None: ...

    def get_by_request_key(self, key: str) -> FeedbackRecord | None: ...

    def exists(self, receipt: str) -> bool: ...

    def save(self, record: FeedbackRecord) -> None: ...

    def items(self, *, open_only: bool = True) -> list[FeedbackRecord]: ...

    def answered_before(self, at: datetime) -> list[FeedbackRecord]:
        """Answered notes (answer given before ``at``) that still hold a name or contact."""
        ...

    def pending_notices(self) -> list[FeedbackRecord]: ...


class SatisfactionRepository(Protocol):
    def add(
        self,
        *,
        at: datetime,
        business_day: str,
        service_code: str,
        counter: int | None,
        resolved: bool | None,
        rating: int | None,
        ticket_key: str | None,
    ) -> bool:
        """``False`` if this ticket was already answered about (nothing is written)."""
        ...

    def answered(self, ticket_key: str) -> bool: ...

    def last_completed(self, counter: int, since: datetime) -> tuple[str, str, str, datetime] | None:
        """``(ticket request key, number, service, completed at)`` of the counter's last completed ticket."""
        ...

    def summary(self, since_day: str | None = None) -> list[tuple[str, int | None, int, int, int, float | None]]:
        """``(service, counter, answers, resolved yes, resolved no, mean rating)`` per service and counter."""
        ...


class AuditLog(Protocol):
    def add(
        self, *, at: datetime, actor: str, action: str, subject: str = "", data: Mapping[str, object] | None = None
    ) -> None: ...

    def entries(
        self, subject: str | None = None, limit: int = 200
    ) -> list[tuple[datetime, str, str, str, dict[str, object]]]:
        """``(at, actor, action, subject, data)``, newest first."""
        ...

    def search(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 500,
    ) -> list[tuple[datetime, str, str, str, dict[str, Any]]]:
        """The audit log and the staff actions of the event log together, newest first."""
        ...


class LockoutRepository(Protocol):
    """Staff accounts' wrong PINs in a row and lock times, kept in this node's store."""

    def get(self, user_id: str) -> Lockout:
        """The account's state as stored (an empty ``Lockout`` if it never failed)."""
        ...

    def save(self, user_id: str, state: Lockout, at: datetime) -> None: ...

    def all(self) -> dict[str, Lockout]: ...


class ReportStore(Protocol):
    """The performance report's figures, computed where the rows are (SQL aggregates)."""

    def figures(self, query: ReportQuery) -> dict[str, Any]: ...

    def facilities(self) -> list[str]:
        """The facility ids that have rows in the store (the report's facility filter)."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without ``commit()`` rolls everything back.

    Store faults (locked, full, unreachable) surface as ``StoreUnavailable``.
    """

    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def services(self) -> ServiceRepository: ...

    @property
    def counters(self) -> CounterRepository: ...

    @property
    def events(self) -> EventLog: ...

    @property
    def charts(self) -> ChartRepository: ...

    @property
    def presence(self) -> PresenceRepository: ...

    @property
    def feedback(self) -> FeedbackRepository: ...

    @property
    def satisfaction(self) -> SatisfactionRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def lockout(self) -> LockoutRepository: ...

    def lock(self, name: str) -> None:
        """Hold a store-wide lock called ``name`` until this transaction ends.

        For work that two nodes must not do at once (setting up a facility on a new central
        database); SQLite writers are serialised anyway.
        """
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
