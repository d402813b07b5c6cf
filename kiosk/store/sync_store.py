"""The store's half of sync: the outbox journal, applying a node's batch centrally, the local mirror.

A ticket travels as a *snapshot* (every field, keyed by its ``request_key``, which every ticket
has) plus the events written with it. Snapshots make both directions idempotent: applying one
twice, or an older one after a newer one, changes nothing (see ``_newer``).

Seat charts (kind ``chart``, keyed by office) and presence (kind ``presence``, keyed by person)
travel the same way, whole rows with their events; the last writer wins by time (a chart's
``updated_at``, a presence's ``since``), so they too can be applied twice or late without harm.

The voice box: a note (kind ``feedback``, keyed by its receipt) travels as its whole row, the
sealed name and contact and the PIN hash included (they stay sealed: the key is in no database),
the last step winning by ``updated_at``; what only ever grows is merged whatever the order (a purge
stays a purge, the latest reminder day counts). Satisfaction answers (``satisfaction``) are
inserted once, by the ticket they answer about or, without one, by what they say; the audit log
(``audit``) is appended to, each entry once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, defer

from kiosk.store.models import (
    AuditRow,
    CounterRow,
    CounterServiceRow,
    EventRow,
    FeedbackRow,
    OutboxRow,
    PresenceRow,
    SatisfactionRow,
    SeatChartRow,
    SyncInboxRow,
    SyncStateRow,
    TicketRow,
)

TICKET = "ticket"
CHART = "chart"
PRESENCE = "presence"
FEEDBACK = "feedback"
SATISFACTION = "satisfaction"
AUDIT = "audit"
_PRESENCE_FIELDS = ("state", "destination", "contact", "updated_by")
_FIELDS = (
    "number",
    "seq",
    "service_code",
    "priority",
    "priority_rank",
    "status",
    "business_day",
    "counter",
    "recall_count",
    "no_show_count",
)
_TIMES = ("issued_at", "queued_at", "called_at", "started_at", "completed_at")
# How far a ticket has come; a snapshot that is not further along than what a store has is stale.
_PROGRESS = {"waiting": 0, "held": 1, "called": 2, "serving": 3, "completed": 4, "expired": 4}
PULL_OVERLAP = 500
"""Event ids are handed out before commit, so a later pull re-reads this many ids before its cursor."""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def snapshot(row: TicketRow) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(row, f) for f in _FIELDS}
    out.update({f: _iso(getattr(row, f)) for f in _TIMES})
    out["request_key"] = row.request_key
    out["facility"] = row.facility
    out["first_called_at"] = _iso(row.first_called_at)
    return out


def _apply_fields(row: TicketRow, snap: dict[str, Any]) -> None:
    for f in _FIELDS:
        setattr(row, f, snap[f])
    # Snapshots journalled before the facility column (revision 0006) do not carry it.
    row.facility = snap.get("facility") or row.facility or ""
    if "first_called_at" in snap:
        row.first_called_at = _time(snap["first_called_at"])
    for f in _TIMES:
        setattr(row, f, _time(snap[f]))


def _newer(snap: dict[str, Any], row: TicketRow) -> bool:
    """Whether ``snap`` moves ``row`` forward: further in its life cycle, or the same step later."""
    if snap["no_show_count"] != row.no_show_count:
        # A no-show sends a called ticket back to the line: "waiting" again, but a later step.
        return bool(snap["no_show_count"] > row.no_show_count)
    mine, theirs = _PROGRESS.get(row.status, 0), _PROGRESS.get(str(snap["status"]), 0)
    if theirs != mine:
        return theirs > mine
    stamp = max((t for t in (_time(snap[f]) for f in _TIMES) if t is not None), default=None)
    ours = max((t for t in (getattr(row, f) for f in _TIMES) if t is not None), default=None)
    return (stamp is not None and (ours is None or stamp > ours)) or snap["recall_count"] > row.recall_count


def chart_snapshot(row: SeatChartRow, *, document: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "office_id": row.office_id,
        "version": row.version,
        "updated_at": _iso(row.updated_at),
        "updated_by": row.updated_by,
    }
    if document:
        out["document"] = row.document
    return out


def presence_snapshot(row: PresenceRow) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(row, f) for f in _PRESENCE_FIELDS}
    out.update(staff_id=row.staff_id, until=_iso(row.until), since=_iso(row.since))
    return out


def _apply_presence(row: PresenceRow, snap: dict[str, Any]) -> None:
    for f in _PRESENCE_FIELDS:
        setattr(row, f, snap[f])
    row.until, row.since = _time(snap["until"]), _when(snap["since"])


# -- the voice box -----------------------------------------------------------------------------
_NOTE_FIELDS = (
    "category",
    "text",
    "language",
    "status",
    "handling",
    "team",
    "answer",
    "delay_reason",
    "name_enc",
    "contact_enc",
    "consent",
    "pin_hash",
    "pin_failures",
    "request_key",
    "history",
    "notice_pending",
)
_NOTE_TIMES = ("received_at", "answered_at", "locked_until", "updated_at", "purged_at")
_NOTE_DATES = ("received_on", "due", "new_due", "reminded_on")
_SATISFACTION_FIELDS = ("business_day", "service_code", "counter", "resolved", "rating", "ticket_key")
CONFIDENTIAL = "misconduct"
"""A misconduct report's text is not copied to the nodes' stores (S12): only the audit team reads it."""


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def feedback_snapshot(row: FeedbackRow) -> dict[str, Any]:
    """The whole note as plain JSON; name and contact as stored, i.e. sealed."""
    out: dict[str, Any] = {f: getattr(row, f) for f in _NOTE_FIELDS}
    out["history"] = [list(h) for h in (row.history or [])]
    out.update({f: _iso(getattr(row, f)) for f in _NOTE_TIMES})
    out.update({f: None if getattr(row, f) is None else getattr(row, f).isoformat() for f in _NOTE_DATES})
    out["receipt"] = row.receipt
    out["facility"] = row.facility
    out["delayed_at"] = _iso(row.delayed_at)
    return out


def _note_values(snap: dict[str, Any]) -> dict[str, Any]:
    """A snapshot as column values."""
    values: dict[str, Any] = {f: snap[f] for f in _NOTE_FIELDS}
    values["history"] = [list(h) for h in (snap["history"] or [])]
    values.update({f: _time(snap[f]) for f in _NOTE_TIMES})
    values.update({f: _day(snap[f]) for f in _NOTE_DATES})
    values["receipt"] = snap["receipt"]
    # Absent from snapshots journalled before revision 0006.
    values["facility"] = snap.get("facility", "")
    values["delayed_at"] = _time(snap.get("delayed_at"))
    return values


def _same_note(row: FeedbackRow, values: dict[str, Any]) -> bool:
    """Whether ``row`` and ``values`` are one note (a receipt reused by another node would not be)."""
    return row.pin_hash == values["pin_hash"] and row.received_at == values["received_at"]


def _differs(row: FeedbackRow, values: dict[str, Any]) -> bool:
    """Whether ``values`` says anything ``row`` does not (an empty text is a node's copy of a
    misconduct report, see ``mirror_feedback``: it says nothing about the text)."""
    return any(getattr(row, f) != v for f, v in values.items() if f != "text" or v)


def _step(updated_at: datetime, history: list[Any] | None, status: str = "") -> tuple[bool, datetime, int]:
    """How far a note has come: answered is final (a later classify or assign made offline on a copy
    that had not seen the answer never reopens it), then its last step's time, then (two steps
    within one clock tick) how many."""
    return status == "answered", updated_at, len(history or [])


def _merge_note(row: FeedbackRow, values: dict[str, Any]) -> bool:
    """Bring ``row`` up to ``values`` (the same note); ``False`` if ``values`` is an older step that lost.

    The later step (``_step``) wins whole; at the same step the offered bookkeeping (PIN tries,
    a notice sent) is the later fact. Whatever the order: the text, never changed after submission,
    is kept; a purge stays a purge; the latest reminder day and lock-out count.
    """
    ours = _step(row.updated_at, row.history, row.status)
    theirs = _step(values["updated_at"], values["history"], values["status"])
    purged = [t for t in (row.purged_at, values["purged_at"]) if t is not None]
    reminded = max((d for d in (row.reminded_on, values["reminded_on"]) if d is not None), default=None)
    locked = max((t for t in (row.locked_until, values["locked_until"]) if t is not None), default=None)
    text = row.text or values["text"]
    delayed = min((t for t in (row.delayed_at, values["delayed_at"]) if t is not None), default=None)
    facility = row.facility or values["facility"]
    if theirs > ours:
        for f, v in values.items():
            setattr(row, f, v)
    elif theirs == ours:
        # The same step: a notice cleared on either side was sent (a stale copy never brings it back).
        row.pin_failures = values["pin_failures"]
        row.notice_pending = values["notice_pending"] if row.notice_pending else ""
    row.text, row.reminded_on, row.locked_until = text, reminded, locked
    row.delayed_at, row.facility = delayed, facility
    if purged:
        row.name_enc = row.contact_enc = None
        row.purged_at = min(purged)
    return theirs >= ours


def _satisfaction_snapshot(row: SatisfactionRow) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(row, f) for f in _SATISFACTION_FIELDS}
    out["at"] = _iso(row.at)
    out["facility"] = row.facility
    return out


def _digest(prefix: str, value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def satisfaction_key(snap: dict[str, Any]) -> str:
    """The visit answered about (its ticket's request key); for an answer without one, what it says."""
    return str(snap["ticket_key"]) if snap.get("ticket_key") else _digest("sat", snap)


def _audit_snapshot(row: AuditRow) -> dict[str, Any]:
    return {"at": _iso(row.at), "actor": row.actor, "action": row.action, "subject": row.subject, "data": row.data}


def _event_snapshot(e: EventRow) -> dict[str, Any]:
    return {"kind": e.kind, "at": _iso(e.at), "actor": e.actor, "counter": e.counter, "data": e.data}


def _side_key(e: EventRow) -> tuple[str, str] | None:
    """The chart (office) or person an event without a ticket belongs to, if it is one that syncs."""
    data = e.data or {}
    if e.kind.startswith("chart.") and data.get("office"):
        return CHART, str(data["office"])
    if e.kind.startswith("presence.") and data.get("staff"):
        return PRESENCE, str(data["staff"])
    if e.kind.startswith("feedback.") and data.get("receipt"):
        return FEEDBACK, str(data["receipt"])
    return None


# -- the journal: every ticket change on an offline node becomes an outbox row -------------------
def enable_journal(session: Session) -> None:
    """Make ``session`` write an outbox row for every ticket, seat chart, presence, note,
    satisfaction answer and audit entry it changes or adds.

    In the same transaction as the change. The work is proportional to the objects flushed: a
    ticket commit pays a few ``isinstance`` checks more per object for the other kinds.
    """
    changed: set[int] = set()
    new_events: list[EventRow] = []
    charts: dict[str, SeatChartRow] = {}  # kept (not re-read) until the commit writes them
    people: dict[str, PresenceRow] = {}
    notes: dict[str, FeedbackRow] = {}
    answers: list[SatisfactionRow] = []
    audit: list[AuditRow] = []
    side_events: list[EventRow] = []

    def note(obj: object) -> None:
        if isinstance(obj, TicketRow):
            if obj.id is not None:
                changed.add(obj.id)
        elif isinstance(obj, SeatChartRow):
            charts[obj.office_id] = obj
        elif isinstance(obj, PresenceRow):
            people[obj.staff_id] = obj
        elif isinstance(obj, FeedbackRow):
            notes[obj.receipt] = obj

    @event.listens_for(session, "after_flush")
    def collect(sess: Session, _ctx: Any) -> None:
        for obj in sess.new:
            if isinstance(obj, EventRow):
                if obj.ticket_id is not None:
                    new_events.append(obj)
                else:
                    side_events.append(obj)
            elif isinstance(obj, SatisfactionRow):
                answers.append(obj)
            elif isinstance(obj, AuditRow):
                audit.append(obj)
            else:
                note(obj)
        for obj in sess.dirty:
            if not isinstance(obj, FeedbackRow) or sess.is_modified(obj):  # a note saved unchanged is no change
                note(obj)

    @event.listens_for(session, "before_commit")
    def write(sess: Session) -> None:
        sess.flush()
        ids = sorted(changed)
        events: dict[int, list[dict[str, Any]]] = {}
        for e in new_events:
            events.setdefault(int(e.ticket_id or 0), []).append(_event_snapshot(e))
        side: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for e in side_events:
            key = _side_key(e)
            if key is not None:
                side.setdefault(key, []).append(_event_snapshot(e))
        chart_rows, person_rows = list(charts.values()), list(people.values())
        note_rows, answer_rows, audit_rows = list(notes.values()), list(answers), list(audit)
        forget(sess)
        now = datetime.now(UTC)
        out: list[OutboxRow] = []
        for ticket_id in ids:
            row = sess.get(TicketRow, ticket_id)
            if row is None or row.request_key is None:
                continue
            payload = {"ticket": snapshot(row), "events": events.get(ticket_id, [])}
            out.append(OutboxRow(kind=TICKET, key=row.request_key, payload=payload, created_at=now))
        for chart in chart_rows:
            payload = {"chart": chart_snapshot(chart), "events": side.get((CHART, chart.office_id), [])}
            out.append(OutboxRow(kind=CHART, key=chart.office_id, payload=payload, created_at=now))
        for person in person_rows:
            payload = {"presence": presence_snapshot(person), "events": side.get((PRESENCE, person.staff_id), [])}
            out.append(OutboxRow(kind=PRESENCE, key=person.staff_id, payload=payload, created_at=now))
        for note_row in note_rows:
            receipt = note_row.receipt
            payload = {"feedback": feedback_snapshot(note_row), "events": side.get((FEEDBACK, receipt), [])}
            out.append(OutboxRow(kind=FEEDBACK, key=receipt, payload=payload, created_at=now))
        for answer in answer_rows:
            snap = _satisfaction_snapshot(answer)
            out.append(
                OutboxRow(kind=SATISFACTION, key=satisfaction_key(snap), payload={"satisfaction": snap}, created_at=now)
            )
        for entry in audit_rows:
            snap = _audit_snapshot(entry)
            out.append(OutboxRow(kind=AUDIT, key=_digest("audit", snap), payload={"audit": snap}, created_at=now))
        _number(sess, out)
        sess.add_all(out)
        sess.flush()

    @event.listens_for(session, "after_rollback")
    def forget(_sess: Session) -> None:
        changed.clear()
        new_events.clear()
        charts.clear()
        people.clear()
        notes.clear()
        answers.clear()
        audit.clear()
        side_events.clear()


def pending(session: Session, limit: int) -> list[OutboxRow]:
    return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id).limit(limit)))


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxRow)) or 0)


def oldest_pending(session: Session) -> datetime | None:
    return session.scalar(select(func.min(OutboxRow.created_at)))


OUTBOX_MARK = "outbox_acked"
"""The highest local sequence the central database has acknowledged (``sync_state`` key)."""


def _number(session: Session, rows: list[OutboxRow]) -> None:
    """Give ``rows`` the next local sequences: never one the central database has already seen.

    SQLite hands a table without AUTOINCREMENT ``max(id) + 1``, i.e. ``1`` again once the outbox
    has been emptied, and the central inbox would take that change for a resend of the acknowledged
    change 1 and skip it. So the numbering continues from the acknowledged mark when the outbox is empty.
    """
    if not rows:
        return
    top = session.scalar(select(func.max(OutboxRow.id)))
    if top is None:
        top = int(get_state(session, OUTBOX_MARK, "0") or 0)
    for i, row in enumerate(rows, start=int(top) + 1):
        row.id = i


def acknowledge(session: Session, ids: Iterable[int]) -> None:
    """Forget the outbox rows ``ids`` (the central database committed them); keeps the mark."""
    done = list(ids)
    if not done:
        return
    session.execute(delete(OutboxRow).where(OutboxRow.id.in_(done)))
    mark = int(get_state(session, OUTBOX_MARK, "0") or 0)
    if max(done) > mark:
        set_state(session, OUTBOX_MARK, str(max(done)))


def has_mark(session: Session) -> bool:
    return session.get(SyncStateRow, OUTBOX_MARK) is not None


def set_mark(session: Session, seq: int) -> None:
    """Start the numbering after ``seq`` (a store journalled before the mark existed: the central
    database's highest sequence from this node), unless the mark is already higher."""
    if not has_mark(session) or seq > int(get_state(session, OUTBOX_MARK, "0") or 0):
        set_state(session, OUTBOX_MARK, str(seq))


def central_seq(session: Session, node_id: str) -> int:
    """The highest sequence the central database has applied from ``node_id`` (0: none)."""
    return int(session.scalar(select(func.max(SyncInboxRow.seq)).where(SyncInboxRow.node_id == node_id)) or 0)


def get_state(session: Session, key: str, default: str = "") -> str:
    row = session.get(SyncStateRow, key)
    return default if row is None else row.value


def set_state(session: Session, key: str, value: str) -> None:
    row = session.get(SyncStateRow, key)
    if row is None:
        session.add(SyncStateRow(key=key, value=value[:400]))
    else:
        row.value = value[:400]


# -- central: apply a node's batch ----------------------------------------------------------------
def apply_batch(session: Session, node_id: str, items: list[tuple[int, str, dict[str, Any]]]) -> tuple[int, int]:
    """Apply ``(local seq, kind, payload)`` items from ``node_id``; returns (applied, duplicates).

    Each item's idempotency key (node, seq) goes into ``sync_inbox`` with ``ON CONFLICT DO
    NOTHING`` in the same transaction as its effect, so a batch resent after a crash (or a cut
    connection) applies only what did not commit the first time.
    """
    now = datetime.now(UTC)
    if session.get_bind().dialect.name == "postgresql" and items:
        return _apply_batch_bulk(session, node_id, items, now)
    applied = duplicates = 0
    for seq, kind, payload in items:
        if session.get(SyncInboxRow, (node_id, seq)) is not None:
            duplicates += 1
            continue
        session.execute(insert(SyncInboxRow).values(node_id=node_id, seq=seq, applied_at=now))
        if kind == TICKET:
            _merge_ticket(session, payload, node_id)
        else:
            _merge_other(session, kind, payload, node_id)
        applied += 1
    return applied, duplicates


def _apply_batch_bulk(
    session: Session, node_id: str, items: list[tuple[int, str, dict[str, Any]]], now: datetime
) -> tuple[int, int]:
    """PostgreSQL: a handful of statements per batch instead of several per item.

    Tickets the centre has never seen (the usual offline case: issued at this kiosk) are inserted
    together, with their events; a ticket the centre already has goes through ``_merge_ticket``.
    Seat charts and presence (a few per batch at most) are merged one by one, in the node's order.
    """
    inbox = [{"node_id": node_id, "seq": seq, "applied_at": now} for seq, _, _ in items]
    fresh = set(
        session.scalars(pg_insert(SyncInboxRow).values(inbox).on_conflict_do_nothing().returning(SyncInboxRow.seq))
    )
    todo = [item for item in items if item[0] in fresh]
    keys = [p["ticket"]["request_key"] for _, kind, p in todo if kind == TICKET]
    known = (
        set(session.scalars(select(TicketRow.request_key).where(TicketRow.request_key.in_(keys)))) if keys else set()
    )
    bulk: list[dict[str, Any]] = []
    slow: list[dict[str, Any]] = []
    for _, kind, payload in todo:
        if kind != TICKET:
            _merge_other(session, kind, payload, node_id)
            continue
        key = payload["ticket"]["request_key"]
        if key in known:
            slow.append(payload)
        else:
            known.add(key)
            bulk.append(payload)
    if bulk:
        values = []
        for payload in bulk:
            snap = payload["ticket"]
            row: dict[str, Any] = {f: snap[f] for f in _FIELDS}
            row.update({f: _time(snap[f]) for f in _TIMES})
            row["request_key"] = snap["request_key"]
            row["facility"] = snap.get("facility", "")
            row["first_called_at"] = _time(snap.get("first_called_at"))
            values.append(row)
        ids = {
            key: i
            for i, key in session.execute(insert(TicketRow).returning(TicketRow.id, TicketRow.request_key), values)
        }
        events = [
            {
                "at": _time(e["at"]) or now,
                "kind": e["kind"],
                "actor": e["actor"],
                "ticket_id": ids[payload["ticket"]["request_key"]],
                "counter": e.get("counter"),
                "data": dict(e.get("data") or {}, node=node_id),
            }
            for payload in bulk
            for e in payload.get("events", [])
        ]
        if events:
            session.execute(insert(EventRow), events)
    for payload in slow:
        _merge_ticket(session, payload, node_id)
    return len(todo), len(items) - len(todo)


def _merge_ticket(session: Session, payload: dict[str, Any], node_id: str) -> None:
    snap = payload["ticket"]
    stmt = select(TicketRow).where(TicketRow.request_key == snap["request_key"])
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).first()
    if row is None:
        row = TicketRow(request_key=snap["request_key"])
        _apply_fields(row, snap)
        session.add(row)
    elif _newer(snap, row):
        _apply_fields(row, snap)
    else:
        session.flush()
        session.add(
            EventRow(
                at=datetime.now(UTC),
                kind="sync.conflict",
                actor=f"sync:{node_id}",
                ticket_id=row.id,
                counter=snap.get("counter"),
                data={"kept": row.status, "offered": snap["status"], "number": row.number},
            )
        )
        return
    session.flush()
    _node_events(session, payload, node_id, row.id)
    session.flush()


def _merge_other(session: Session, kind: str, payload: dict[str, Any], node_id: str) -> None:
    if kind == CHART:
        _merge_chart(session, payload, node_id)
    elif kind == PRESENCE:
        _merge_presence(session, payload, node_id)
    elif kind == FEEDBACK:
        _merge_feedback(session, payload, node_id)
    elif kind == SATISFACTION:
        _insert_satisfaction(session, payload["satisfaction"])
    elif kind == AUDIT:
        _append_audit(session, payload["audit"])


def _merge_feedback(session: Session, payload: dict[str, Any], node_id: str) -> None:
    """A note new to the centre is inserted; one it has is merged (``_merge_note``), never replaced
    by a different note that happens to carry the same receipt."""
    values = _note_values(payload["feedback"])
    receipt = values["receipt"]
    if session.get_bind().dialect.name == "postgresql":
        stmt = pg_insert(FeedbackRow).values(**values).on_conflict_do_nothing().returning(FeedbackRow.receipt)
        inserted = session.execute(stmt).first() is not None
        row = (
            None
            if inserted
            else session.scalars(select(FeedbackRow).where(FeedbackRow.receipt == receipt).with_for_update()).first()
        )
    else:
        row = session.get(FeedbackRow, receipt)
        inserted = row is None
        if inserted:
            session.add(FeedbackRow(**values))
    if not inserted:
        if row is None or not _same_note(row, values):
            _conflict(session, node_id, {"receipt": receipt, "kept": "another note", "offered": values["status"]})
            return
        news = _differs(row, values)
        kept = row.history or []
        later = _step(values["updated_at"], values["history"], values["status"]) > _step(
            row.updated_at, kept, row.status
        )
        if later and values["history"][: len(kept)] != kept:
            # A later step made without an earlier one (two stores each took a step): on record.
            lost = [step for step in kept if step not in values["history"]]
            _conflict(session, node_id, {"receipt": receipt, "kept": values["status"], "replaced": lost})
        if not _merge_note(row, values):
            if row.status != values["status"] or row.history != values["history"]:
                _conflict(session, node_id, {"receipt": receipt, "kept": row.status, "offered": values["status"]})
            return
        if not news:
            return  # held already (a batch resent under other sequence numbers): its events too
    _node_events(session, payload, node_id)
    session.flush()


def _insert_satisfaction(session: Session, snap: dict[str, Any]) -> None:
    """Once per visit (``ticket_key``), or for an answer without a ticket, once per identical answer."""
    values: dict[str, Any] = {f: snap[f] for f in _SATISFACTION_FIELDS}
    values["at"] = _when(snap["at"])
    values["facility"] = snap.get("facility", "")
    s = SatisfactionRow
    if values["ticket_key"] is not None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(pg_insert(s).values(**values).on_conflict_do_nothing())
            return
        if session.scalar(select(func.count()).where(s.ticket_key == values["ticket_key"])):
            return
    else:
        same = select(func.count()).where(
            s.ticket_key.is_(None),
            s.at == values["at"],
            s.service_code == values["service_code"],
            s.counter.is_(None) if values["counter"] is None else s.counter == values["counter"],
            s.resolved.is_(None) if values["resolved"] is None else s.resolved == values["resolved"],
            s.rating.is_(None) if values["rating"] is None else s.rating == values["rating"],
        )
        if session.scalar(same):
            return
    session.execute(insert(s).values(**values))


def _append_audit(session: Session, snap: dict[str, Any]) -> None:
    """Append-only; an entry the centre already holds (the same moment, person, action, subject and
    details: a batch resent under other sequence numbers) is not written twice."""
    at = _when(snap["at"])
    a = AuditRow
    held = session.scalars(
        select(a.data).where(
            a.at == at, a.actor == snap["actor"], a.action == snap["action"], a.subject == snap["subject"]
        )
    )
    data = dict(snap.get("data") or {})
    if any(dict(d or {}) == data for d in held):
        return
    session.execute(
        insert(a).values(at=at, actor=snap["actor"], action=snap["action"], subject=snap["subject"], data=data)
    )


def _node_events(session: Session, payload: dict[str, Any], node_id: str, ticket_id: int | None = None) -> None:
    """The events a node wrote with a change (of ``ticket_id``, or of the chart or presence), tagged with the node."""
    for e in payload.get("events", []):
        session.add(
            EventRow(
                at=_time(e["at"]) or datetime.now(UTC),
                kind=e["kind"],
                actor=e["actor"],
                ticket_id=ticket_id,
                counter=e.get("counter"),
                data=dict(e.get("data") or {}, node=node_id),
            )
        )


def _conflict(session: Session, node_id: str, data: dict[str, Any]) -> None:
    session.add(EventRow(at=datetime.now(UTC), kind="sync.conflict", actor=f"sync:{node_id}", data=data))


def _locked(session: Session, model: type[Any], key: Any, values: dict[str, Any]) -> Any:
    """The central row with ``values``' key (``key`` is its primary-key column), locked; ``None``
    when there was none and ``values`` has just been inserted as it.

    On PostgreSQL the insert is ``ON CONFLICT DO NOTHING``: two nodes sending the same new key at
    once do not fail each other's batch, the second merges into the first's row.
    """
    ident = values[key.key]
    if session.get_bind().dialect.name == "postgresql":
        inserted = session.execute(pg_insert(model).values(**values).on_conflict_do_nothing().returning(key)).first()
        if inserted is not None:
            return None
        return session.scalars(select(model).where(key == ident).with_for_update()).one()
    row = session.get(model, ident)
    if row is None:
        session.add(model(**values))
    return row


def _merge_chart(session: Session, payload: dict[str, Any], node_id: str) -> None:
    """Last writer wins by ``updated_at``; a replaced chart's version passes both sides' (screens refresh)."""
    snap = payload["chart"]
    at = _when(snap["updated_at"])
    values = {
        "office_id": snap["office_id"],
        "version": int(snap["version"]),
        "document": snap["document"],
        "updated_at": at,
        "updated_by": snap["updated_by"],
    }
    row: SeatChartRow | None = _locked(session, SeatChartRow, SeatChartRow.office_id, values)
    if row is not None:
        if at <= row.updated_at:
            if not _same_chart(row, snap):
                kept = {"office": row.office_id, "kept": _iso(row.updated_at), "offered": snap["updated_at"]}
                _conflict(session, node_id, kept)
            return
        row.version = max(row.version, int(snap["version"])) + 1
        row.document, row.updated_at, row.updated_by = snap["document"], at, snap["updated_by"]
    _node_events(session, payload, node_id)
    session.flush()


def _merge_presence(session: Session, payload: dict[str, Any], node_id: str) -> None:
    """Last writer wins by ``since`` (when the person's state was set)."""
    snap = payload["presence"]
    values = {f: snap[f] for f in _PRESENCE_FIELDS}
    values.update(staff_id=snap["staff_id"], until=_time(snap["until"]), since=_when(snap["since"]))
    row: PresenceRow | None = _locked(session, PresenceRow, PresenceRow.staff_id, values)
    if row is not None:
        if values["since"] <= row.since:
            if not _same_presence(row, snap):
                _conflict(session, node_id, {"staff": row.staff_id, "kept": row.state, "offered": snap["state"]})
            return
        _apply_presence(row, snap)
    _node_events(session, payload, node_id)
    session.flush()


def _same_chart(row: SeatChartRow, snap: dict[str, Any]) -> bool:
    """Whether ``row`` already holds the chart change ``snap`` (versions may differ between stores)."""
    return _same_head(row, snap) and row.document == snap["document"]


def _same_head(row: SeatChartRow, snap: dict[str, Any]) -> bool:
    """Whether ``row`` and ``snap`` are the same edit: same time, same author."""
    return (row.updated_at, row.updated_by) == (_time(snap["updated_at"]), snap["updated_by"])


def _same_presence(row: PresenceRow, snap: dict[str, Any]) -> bool:
    return (
        all(getattr(row, f) == snap[f] for f in _PRESENCE_FIELDS)
        and row.until == _time(snap["until"])
        and row.since == _time(snap["since"])
    )


# -- the mirror: what a node can still see (and call) when the central database is away ----------
def changed_since(session: Session, cursor: int) -> tuple[list[dict[str, Any]], int]:
    """Snapshots of the central tickets touched by events after ``cursor`` (with overlap), and the new cursor."""
    start = max(0, cursor - PULL_OVERLAP)
    top = int(session.scalar(select(func.max(EventRow.id))) or 0)
    ids = select(EventRow.ticket_id).where(EventRow.id > start, EventRow.ticket_id.is_not(None)).distinct()
    rows = session.scalars(select(TicketRow).where(TicketRow.id.in_(ids), TicketRow.request_key.is_not(None)))
    return [snapshot(r) for r in rows], top


def counters_snapshot(session: Session) -> list[dict[str, Any]]:
    handled: dict[int, list[tuple[str, int]]] = {}
    for link in session.scalars(select(CounterServiceRow)):
        handled.setdefault(link.counter, []).append((link.service_code, link.position))
    return [
        {"number": c.number, "is_open": c.is_open, "services": sorted(handled.get(c.number, []), key=lambda x: x[1])}
        for c in session.scalars(select(CounterRow))
    ]


def mirror(session: Session, snaps: list[dict[str, Any]], counters: list[dict[str, Any]]) -> int:
    """Bring the node's store up to the central state; local changes not yet pushed win. Returns rows changed."""
    waiting_keys = set(session.scalars(select(OutboxRow.key).where(OutboxRow.kind == TICKET)))
    changed = 0
    for snap in snaps:
        if snap["request_key"] in waiting_keys:
            continue
        row = session.scalars(select(TicketRow).where(TicketRow.request_key == snap["request_key"])).first()
        if row is None:
            same_number = (TicketRow.business_day == snap["business_day"]) & (TicketRow.number == snap["number"])
            clash = session.scalars(select(TicketRow).where(same_number)).first()
            if clash is not None:
                continue  # cannot happen with node-tagged offline numbers; never overwrite a different ticket
            row = TicketRow(request_key=snap["request_key"])
            session.add(row)
        elif snapshot(row) == snap:
            continue
        _apply_fields(row, snap)  # the central database is the truth while nothing local is pending
        changed += 1
    for c in counters:
        counter = session.get(CounterRow, c["number"])
        if counter is None:
            continue
        counter.is_open = bool(c["is_open"])
        session.execute(delete(CounterServiceRow).where(CounterServiceRow.counter == c["number"]))
        for code, position in c["services"]:
            session.add(CounterServiceRow(counter=c["number"], service_code=code, position=position))
    session.flush()
    return changed


def chart_heads(session: Session) -> dict[str, tuple[datetime, str]]:
    """Which edit of each office's chart a store holds: (updated_at, updated_by), without the documents."""
    rows = session.execute(select(SeatChartRow.office_id, SeatChartRow.updated_at, SeatChartRow.updated_by))
    return {office: (at, by) for office, at, by in rows}


def charts_snapshot(session: Session, have: dict[str, tuple[datetime, str]]) -> list[dict[str, Any]]:
    """Every central chart's head; the document only where it is not the edit ``have`` names (rarely any)."""
    rows = session.scalars(select(SeatChartRow).options(defer(SeatChartRow.document)))
    return [chart_snapshot(r, document=have.get(r.office_id) != (r.updated_at, r.updated_by)) for r in rows]


def people_snapshot(session: Session) -> list[dict[str, Any]]:
    """Every central presence row (one per person who ever left their desk: a small table)."""
    return [presence_snapshot(r) for r in session.scalars(select(PresenceRow))]


def mirror_charts(session: Session, charts: list[dict[str, Any]], people: list[dict[str, Any]]) -> int:
    """Bring the node's seat charts and presence up to the central ones; local changes not yet pushed win.

    Writes only what differs (returns how many rows). A chart whose content changes here always
    gets a higher version than before, so a screen (or ``ChartService``'s cache) polling this store
    notices, even when the central version number is not higher than this store's.
    """
    if not charts and not people:
        return 0
    pending = {
        (kind, key)
        for kind, key in session.execute(
            select(OutboxRow.kind, OutboxRow.key).where(OutboxRow.kind.in_((CHART, PRESENCE)))
        )
    }
    changed = 0
    local_charts = {r.office_id: r for r in session.scalars(select(SeatChartRow))} if charts else {}
    for snap in charts:
        office, version = snap["office_id"], int(snap["version"])
        if (CHART, office) in pending:
            continue
        chart = local_charts.get(office)
        if chart is not None and _same_head(chart, snap):
            if version > chart.version:  # the same edit, numbered by the centre: follow its number
                chart.version = version
                changed += 1
            continue
        if "document" not in snap:
            continue  # edited here since the pull looked (and already pushed): the next pull decides
        if chart is None:
            chart = SeatChartRow(office_id=office, version=version)
            session.add(chart)
        else:
            chart.version = version if version > chart.version else chart.version + 1
        chart.document, chart.updated_at, chart.updated_by = (
            snap["document"],
            _when(snap["updated_at"]),
            snap["updated_by"],
        )
        changed += 1
    local_people = {r.staff_id: r for r in session.scalars(select(PresenceRow))} if people else {}
    for snap in people:
        if (PRESENCE, snap["staff_id"]) in pending:
            continue
        person = local_people.get(snap["staff_id"])
        if person is None:
            person = PresenceRow(staff_id=snap["staff_id"])
            session.add(person)
        elif _same_presence(person, snap):
            continue
        _apply_presence(person, snap)
        changed += 1
    session.flush()
    return changed


# -- the voice box's mirror: a node answers a status check for a note made at another kiosk ---------
def feedback_changed_since(
    session: Session, cursor: int, audit_cursor: int, purged_since: datetime | None
) -> tuple[list[dict[str, Any]], int, datetime | None]:
    """Snapshots of the central notes that changed since the cursors, the new audit cursor and purge mark.

    A step leaves an event (``cursor``: the event id the ticket pull uses), a notice sent only an
    audit entry (``audit_cursor``), a purge only ``purged_at`` (``purged_since``); each is re-read
    with an overlap, as ids and times are handed out before commit.
    """
    start = max(0, cursor - PULL_OVERLAP)
    receipts: set[str] = set()
    steps = select(EventRow.data).where(
        EventRow.id > start, EventRow.ticket_id.is_(None), EventRow.kind.like("feedback.%")
    )
    for data in session.scalars(steps):
        if isinstance(data, dict) and data.get("receipt"):
            receipts.add(str(data["receipt"]))
    audit_top = int(session.scalar(select(func.max(AuditRow.id))) or 0)
    seen = select(AuditRow.subject).where(AuditRow.id > max(0, audit_cursor - PULL_OVERLAP), AuditRow.subject != "")
    receipts.update(str(r) for r in session.scalars(seen.distinct()))
    rows: dict[str, FeedbackRow] = {}
    wanted = sorted(receipts)
    for i in range(0, len(wanted), 1000):
        for row in session.scalars(select(FeedbackRow).where(FeedbackRow.receipt.in_(wanted[i : i + 1000]))):
            rows[row.receipt] = row
    purged = select(FeedbackRow).where(FeedbackRow.purged_at.is_not(None))
    if purged_since is not None:
        purged = purged.where(FeedbackRow.purged_at >= purged_since)
    mark = purged_since
    for row in session.scalars(purged):
        rows[row.receipt] = row
        assert row.purged_at is not None
        mark = row.purged_at if mark is None else max(mark, row.purged_at)
    return [feedback_snapshot(r) for r in rows.values()], audit_top, mark


def mirror_feedback(session: Session, snaps: list[dict[str, Any]]) -> int:
    """Bring the node's notes up to the central ones; notes with unsent local changes win. Returns rows changed.

    The central row is the truth (it has merged every node's steps). A misconduct report's text
    stays at the centre: the node keeps what a receipt holder's status check needs (S12).
    """
    if not snaps:
        return 0
    pending = set(session.scalars(select(OutboxRow.key).where(OutboxRow.kind == FEEDBACK)))
    changed = 0
    for snap in snaps:
        if snap["receipt"] in pending:
            continue
        values = _note_values(snap)
        if values["category"] == CONFIDENTIAL:
            values["text"] = ""
        row = session.get(FeedbackRow, values["receipt"])
        if row is None:
            key = values["request_key"]
            if key is not None and session.scalar(select(func.count()).where(FeedbackRow.request_key == key)):
                continue  # never overwrite a different note
            session.add(FeedbackRow(**values))
        elif not _same_note(row, values) or not (_differs(row, values) or row.text != values["text"]):
            continue
        else:
            for f, v in values.items():
                setattr(row, f, v)
        changed += 1
    session.flush()
    return changed
