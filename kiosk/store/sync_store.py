"""The store's half of sync: the outbox journal, applying a node's batch centrally, the local mirror.

A ticket travels as a *snapshot* (every field, keyed by its ``request_key``, which every ticket
has) plus the events written with it. Snapshots make both directions idempotent: applying one
twice, or an older one after a newer one, changes nothing (see ``_newer``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.store.models import (
    CounterRow,
    CounterServiceRow,
    EventRow,
    OutboxRow,
    SyncInboxRow,
    SyncStateRow,
    TicketRow,
)

TICKET = "ticket"
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


def snapshot(row: TicketRow) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(row, f) for f in _FIELDS}
    out.update({f: _iso(getattr(row, f)) for f in _TIMES})
    out["request_key"] = row.request_key
    return out


def _apply_fields(row: TicketRow, snap: dict[str, Any]) -> None:
    for f in _FIELDS:
        setattr(row, f, snap[f])
    for f in _TIMES:
        setattr(row, f, _time(snap[f]))


def _newer(snap: dict[str, Any], row: TicketRow) -> bool:
    """Whether ``snap`` moves ``row`` forward: further in its life cycle, or the same step later."""
    mine, theirs = _PROGRESS.get(row.status, 0), _PROGRESS.get(str(snap["status"]), 0)
    if theirs != mine:
        return theirs > mine
    stamp = max((t for t in (_time(snap[f]) for f in _TIMES) if t is not None), default=None)
    ours = max((t for t in (getattr(row, f) for f in _TIMES) if t is not None), default=None)
    return (stamp is not None and (ours is None or stamp > ours)) or snap["recall_count"] > row.recall_count


# -- the journal: every ticket change on an offline node becomes an outbox row -------------------
def enable_journal(session: Session) -> None:
    """Make ``session`` write an outbox row for every ticket it changes, in the same transaction."""
    changed: set[int] = set()
    new_events: list[EventRow] = []

    @event.listens_for(session, "after_flush")
    def collect(sess: Session, _ctx: Any) -> None:
        for obj in (*sess.new, *sess.dirty):
            if isinstance(obj, TicketRow) and obj.id is not None:
                changed.add(obj.id)
            elif isinstance(obj, EventRow) and obj.ticket_id is not None and obj in sess.new:
                new_events.append(obj)

    @event.listens_for(session, "before_commit")
    def write(sess: Session) -> None:
        sess.flush()
        ids = sorted(changed)
        events: dict[int, list[dict[str, Any]]] = {}
        for e in new_events:
            events.setdefault(int(e.ticket_id or 0), []).append(
                {"kind": e.kind, "at": _iso(e.at), "actor": e.actor, "counter": e.counter, "data": e.data}
            )
        changed.clear()
        new_events.clear()
        now = datetime.now(UTC)
        for ticket_id in ids:
            row = sess.get(TicketRow, ticket_id)
            if row is None or row.request_key is None:
                continue
            payload = {"ticket": snapshot(row), "events": events.get(ticket_id, [])}
            sess.add(OutboxRow(kind=TICKET, key=row.request_key, payload=payload, created_at=now))
        sess.flush()

    @event.listens_for(session, "after_rollback")
    def forget(_sess: Session) -> None:
        changed.clear()
        new_events.clear()


def pending(session: Session, limit: int) -> list[OutboxRow]:
    return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id).limit(limit)))


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxRow)) or 0)


def oldest_pending(session: Session) -> datetime | None:
    return session.scalar(select(func.min(OutboxRow.created_at)))


def acknowledge(session: Session, ids: Iterable[int]) -> None:
    session.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(ids))))


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
        applied += 1
    return applied, duplicates


def _apply_batch_bulk(
    session: Session, node_id: str, items: list[tuple[int, str, dict[str, Any]]], now: datetime
) -> tuple[int, int]:
    """PostgreSQL: a handful of statements per batch instead of several per item.

    Tickets the centre has never seen (the usual offline case: issued at this kiosk) are inserted
    together, with their events; a ticket the centre already has goes through ``_merge_ticket``.
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
    for e in payload.get("events", []):
        session.add(
            EventRow(
                at=_time(e["at"]) or datetime.now(UTC),
                kind=e["kind"],
                actor=e["actor"],
                ticket_id=row.id,
                counter=e.get("counter"),
                data=dict(e.get("data") or {}, node=node_id),
            )
        )
    session.flush()


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
    waiting_keys = set(session.scalars(select(OutboxRow.key)))
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
