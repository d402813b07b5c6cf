"""The audit trail as staff and auditors read it: the audit log merged with the staff actions the
event log already records (calls, recalls, transfers, counters opened, seat-chart and presence
changes), newest first, in one ``UNION ALL`` query filtered and limited in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from kiosk.domain import events as ev
from kiosk.store.models import AuditRow, EventRow, TicketRow

STAFF_EVENTS = (
    ev.TICKET_CALLED,
    ev.TICKET_ACCEPTED,
    ev.TICKET_RECALLED,
    ev.TICKET_STARTED,
    ev.TICKET_COMPLETED,
    ev.TICKET_NO_SHOW,
    ev.TICKET_TRANSFERRED,
    ev.TICKET_HELD,
    ev.TICKET_RESUMED,
    ev.COUNTER_OPENED,
    ev.COUNTER_CLOSED,
    ev.COUNTER_SERVICES,
    ev.CHART_IMPORTED,
    ev.CHART_DESK_ASSIGNED,
    ev.CHART_DUTIES_SET,
    ev.PRESENCE_CHANGED,
)
"""Event kinds that are a staff member's doing (issuing a ticket is the visitor's; expiry the clock's)."""

Entry = tuple[datetime, str, str, str, dict[str, Any]]


def staff_actions(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[Entry]:
    """(at, actor, action, subject, data), newest first. ``action`` matches a prefix ("ticket.")."""
    a, e, t = AuditRow.__table__.c, EventRow.__table__.c, TicketRow.__table__.c
    audit = select(
        a.at.label("at"), a.actor.label("actor"), a.action.label("action"), a.subject.label("subject"), a.data
    )
    subject = func.coalesce(
        t.number,
        e.data["office"].as_string(),
        e.data["staff"].as_string(),
        cast(e.counter, String),
        literal(""),
    )
    staff = (
        select(e.at.label("at"), e.actor.label("actor"), e.kind.label("action"), subject.label("subject"), e.data)
        .select_from(EventRow.__table__.outerjoin(TicketRow.__table__, e.ticket_id == t.id))
        .where(e.kind.in_(STAFF_EVENTS))
    )
    rows = union_all(audit, staff).subquery("trail")
    query = select(rows).order_by(rows.c.at.desc()).limit(limit)
    if since is not None:
        query = query.where(rows.c.at >= since)
    if until is not None:
        query = query.where(rows.c.at < until)
    if actor is not None:
        query = query.where(rows.c.actor == actor)
    if action is not None:
        query = query.where(rows.c.action.startswith(action, autoescape=True))
    return [(at, who, what, str(subj or ""), dict(data or {})) for at, who, what, subj, data in session.execute(query)]
