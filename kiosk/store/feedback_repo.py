"""The voice box's tables: notes (``feedback``), satisfaction answers and the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.domain.feedback import Category, Feedback, Handling, Status
from kiosk.services.ports import FeedbackRecord, Private
from kiosk.store.audit_queries import staff_actions
from kiosk.store.models import AuditRow, FeedbackRow, SatisfactionRow, TicketRow

_PUBLIC = (
    "receipt",
    "text",
    "received_at",
    "received_on",
    "due",
    "team",
    "answer",
    "answered_at",
    "delay_reason",
    "new_due",
    "consent",
)
_PRIVATE = (
    "pin_hash",
    "name_enc",
    "contact_enc",
    "language",
    "pin_failures",
    "locked_until",
    "request_key",
    "reminded_on",
    "notice_pending",
    "purged_at",
    "updated_at",
)


def _record(row: FeedbackRow) -> FeedbackRecord:
    note = Feedback(
        category=Category(row.category),
        status=Status(row.status),
        handling=None if row.handling is None else Handling(row.handling),
        has_contact=row.contact_enc is not None,
        history=tuple((str(a), str(b)) for a, b in (row.history or [])),
        **{f: getattr(row, f) for f in _PUBLIC},
    )
    return FeedbackRecord(note, Private(**{f: getattr(row, f) for f in _PRIVATE}))


def _write(row: FeedbackRow, record: FeedbackRecord) -> None:
    note = record.feedback
    delaying = row.new_due is None and note.new_due is not None  # this save records the (first) delay
    for f in _PUBLIC:
        setattr(row, f, getattr(note, f))
    row.category, row.status = note.category.value, note.status.value
    row.handling = None if note.handling is None else note.handling.value
    row.history = [list(h) for h in note.history]
    for f in _PRIVATE:
        setattr(row, f, getattr(record.private, f))
    if delaying and row.delayed_at is None:
        row.delayed_at = record.private.updated_at  # the first delay: did the notice come by D-1?


class SqlFeedbackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: FeedbackRecord) -> None:
        row = FeedbackRow(facility=self.session.info.get("facility", ""))
        _write(row, record)
        self.session.add(row)
        self.session.flush()

    def get(self, receipt: str, *, for_update: bool = False) -> FeedbackRecord | None:
        query = select(FeedbackRow).where(FeedbackRow.receipt == receipt)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).first()
        return None if row is None else _record(row)

    def get_by_request_key(self, key: str) -> FeedbackRecord | None:
        row = self.session.scalars(select(FeedbackRow).where(FeedbackRow.request_key == key)).first()
        return None if row is None else _record(row)

    def exists(self, receipt: str) -> bool:
        return self.session.scalar(select(func.count()).where(FeedbackRow.receipt == receipt)) != 0

    def save(self, record: FeedbackRecord) -> None:
        row = self.session.get(FeedbackRow, record.feedback.receipt)
        if row is None:
            raise LookupError(record.feedback.receipt)
        _write(row, record)
        self.session.flush()

    def items(self, *, open_only: bool = True) -> list[FeedbackRecord]:
        query = select(FeedbackRow)
        if open_only:
            query = query.where(FeedbackRow.status != Status.ANSWERED.value)
        return [_record(r) for r in self.session.scalars(query.order_by(FeedbackRow.received_at))]

    def answered_before(self, at: datetime) -> list[FeedbackRecord]:
        held = (FeedbackRow.name_enc.is_not(None)) | (FeedbackRow.contact_enc.is_not(None))
        query = select(FeedbackRow).where(
            FeedbackRow.status == Status.ANSWERED.value, FeedbackRow.answered_at < at, held
        )
        return [_record(r) for r in self.session.scalars(query)]

    def pending_notices(self) -> list[FeedbackRecord]:
        return [_record(r) for r in self.session.scalars(select(FeedbackRow).where(FeedbackRow.notice_pending != ""))]


class SqlSatisfactionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

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
        if ticket_key is not None and self.answered(ticket_key):
            return False
        row = SatisfactionRow(
            at=at,
            business_day=business_day,
            service_code=service_code,
            counter=counter,
            resolved=resolved,
            rating=rating,
            ticket_key=ticket_key,
            facility=self.session.info.get("facility", ""),
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return False
        return True

    def answered(self, ticket_key: str) -> bool:
        return self.session.scalar(select(func.count()).where(SatisfactionRow.ticket_key == ticket_key)) != 0

    def last_completed(self, counter: int, since: datetime) -> tuple[str, str, str, datetime] | None:
        t = TicketRow
        query = (
            select(t.request_key, t.number, t.service_code, t.completed_at)
            .where(t.counter == counter, t.status == "completed", t.completed_at >= since, t.request_key.is_not(None))
            .order_by(t.completed_at.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        if row is None or row[0] is None or row[3] is None:
            return None
        return str(row[0]), str(row[1]), str(row[2]), row[3]

    def summary(self, since_day: str | None = None) -> list[tuple[str, int | None, int, int, int, float | None]]:
        s = SatisfactionRow
        query = select(
            s.service_code,
            s.counter,
            func.count(),
            func.sum(case((s.resolved.is_(True), 1), else_=0)),
            func.sum(case((s.resolved.is_(False), 1), else_=0)),
            func.avg(s.rating),
        ).group_by(s.service_code, s.counter)
        if since_day is not None:
            query = query.where(s.business_day >= since_day)
        return [
            (code, counter, int(n), int(yes or 0), int(no or 0), None if mean is None else float(mean))
            for code, counter, n, yes, no, mean in self.session.execute(query.order_by(s.service_code, s.counter))
        ]


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, *, at: datetime, actor: str, action: str, subject: str = "", data: Mapping[str, object] | None = None
    ) -> None:
        self.session.add(AuditRow(at=at, actor=actor, action=action, subject=subject, data=dict(data or {})))

    def entries(
        self, subject: str | None = None, limit: int = 200
    ) -> list[tuple[datetime, str, str, str, dict[str, Any]]]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if subject is not None:
            query = query.where(AuditRow.subject == subject)
        return [(r.at, r.actor, r.action, r.subject, dict(r.data)) for r in self.session.scalars(query)]

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
        return staff_actions(self.session, since=since, until=until, actor=actor, action=action, limit=limit)
