"""Tables of the local (SQLite) and central (PostgreSQL) store. Changes go through Alembic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (naive) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ServiceRow(Base):
    __tablename__ = "services"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name_ko: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    help_ko: Mapped[str] = mapped_column(String(200), default="")
    help_en: Mapped[str] = mapped_column(String(200), default="")
    icon: Mapped[str] = mapped_column(String(40), default="general")
    location_ko: Mapped[str] = mapped_column(String(100), default="")
    location_en: Mapped[str] = mapped_column(String(100), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceTimeRow(Base):
    """Each counter's smoothed time per visitor for a service; a service's figure is their mean.

    One row per counter, not one per service: on the central database twenty counters completing
    at once would otherwise queue on a single row's lock (every complete updated it), which held
    concurrent calling to ~25 calls/s.
    """

    __tablename__ = "service_times"

    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seconds: Mapped[float] = mapped_column(Float)


class CounterRow(Base):
    __tablename__ = "counters"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_ko: Mapped[str] = mapped_column(String(100), default="")
    staff_en: Mapped[str] = mapped_column(String(100), default="")


class CounterServiceRow(Base):
    __tablename__ = "counter_services"

    counter: Mapped[int] = mapped_column(ForeignKey("counters.number", ondelete="CASCADE"), primary_key=True)
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DaySequenceRow(Base):
    """The last number given per service prefix and business day: numbers are never reused."""

    __tablename__ = "day_sequences"

    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    business_day: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("business_day", "number", name="uq_tickets_day_number"),
        Index("ix_tickets_line", "status", "service_code", "priority_rank", "queued_at", "id"),
        Index("ix_tickets_counter", "counter", "status"),
        # The calling order of everyone waiting (PostgreSQL's one-statement call next scans it).
        Index(
            "ix_tickets_waiting_order",
            "priority_rank",
            "queued_at",
            "id",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"))
    priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    priority_rank: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(12))
    business_day: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    counter: Mapped[int | None] = mapped_column(ForeignKey("counters.number"), nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    no_show_count: Mapped[int] = mapped_column(Integer, default=0)
    request_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    facility: Mapped[str] = mapped_column(String(16), default="", server_default="")
    """The facility that issued it (``[facility] id``): the report's facility filter."""
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    """The first call in its line, kept through a no-show or a hold: the report's waiting time."""


class EventRow(Base):
    """Every state change: who, when, what. Reports and sync replay these."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True, index=True)
    counter: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SeatChartRow(Base):
    """An office's seat chart (S1) as one document: edited whole, versioned, synced whole."""

    __tablename__ = "seat_charts"

    office_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Grows by one with every edit (import, desk, duties): screens refresh when it changes."""
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class PresenceRow(Base):
    """Whether a person is at their desk (S3, S4); no row means present."""

    __tablename__ = "presence"

    staff_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    destination: Mapped[str] = mapped_column(String(100), default="")
    contact: Mapped[str] = mapped_column(String(30), default="")
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class FeedbackRow(Base):
    """A note in the customer voice box (S8–S13).

    Name and contact are stored only encrypted (``*_enc``, key from the configuration, never in a
    database) and cleared after the retention period; the PIN only as a keyed hash.
    """

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_open", "status", "due"),)

    receipt: Mapped[str] = mapped_column(String(24), primary_key=True)
    category: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="ko")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    handling: Mapped[str | None] = mapped_column(String(8), nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    team: Mapped[str] = mapped_column(String(60), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delay_reason: Mapped[str] = mapped_column(Text, default="")
    new_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    name_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_hash: Mapped[str] = mapped_column(String(64))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    request_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reminded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_pending: Mapped[str] = mapped_column(String(10), default="")
    """``answer`` or ``delay``: the visitor is to be told and has not been yet (retried by remind)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    """When the first delay (reason + new date) was recorded: the report checks it came by D-1."""
    facility: Mapped[str] = mapped_column(String(16), default="", server_default="")


class SatisfactionRow(Base):
    """One visitor's answer to "was your question resolved?" and a 1–5 rating (S5, S15).

    Kept per service and counter, never per person: no staff name, no visitor data.
    """

    __tablename__ = "satisfaction"
    __table_args__ = (Index("ix_satisfaction_day", "business_day", "service_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    business_day: Mapped[str] = mapped_column(String(10))
    service_code: Mapped[str] = mapped_column(String(4))
    counter: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    ticket_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    facility: Mapped[str] = mapped_column(String(16), default="", server_default="")
    """The ticket answered about (its request key): one answer per visit, whatever is tapped twice."""


class AuditRow(Base):
    """Append-only: what a staff member opened or did with a note (S12), and other staff actions."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxRow(Base):
    """A change made on this node that the central database has not acknowledged yet.

    Written in the same transaction as the change itself, so a change is never made without its
    outbox row (or the other way round). ``id`` is the node's local sequence: with the node id it
    is the idempotency key the central database deduplicates on.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncStateRow(Base):
    """Small key/value facts about this node's sync: the pull cursor, the last success, the last error."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(400), default="")


class SyncInboxRow(Base):
    """On the central database: every (node, local sequence) already applied, so a resent batch is a no-op."""

    __tablename__ = "sync_inbox"

    node_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffLockoutRow(Base):
    """This node's count of a staff account's wrong PINs in a row, and until when it is locked.

    Kept per node (not synced): sign-in works offline from the configuration's hashes, and a lock
    survives a restart of the program. Rows may name ids that are not staff (someone guessing).
    """

    __tablename__ = "staff_lockout"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
