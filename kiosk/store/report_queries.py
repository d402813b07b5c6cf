"""The service performance report's core figures (S15, S16), computed in the database.

Every figure is a SQL aggregate (``GROUP BY``, ``COUNT``, ``AVG``, percentiles), so a
facility-year of ~150,000 tickets never travels into Python: only one row per group comes back.

Percentiles are the continuous kind (linear interpolation between the two nearest ranks), the
same on both databases: PostgreSQL has ``percentile_cont``; SQLite has none, so there one window
query sorts the values once and carries each group's running count (a row's rank in its group);
only the few rows at the ranks around each percentile come back, and are blended as
``percentile_cont`` does (see ``_distribution_sqlite``).

Days are ISO business days (``YYYY-MM-DD``), both ends included. Times are UTC in the store;
"answered on" is the UTC date of ``answered_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Float,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from kiosk.store.models import EventRow, FeedbackRow, SatisfactionRow, TicketRow

Db = Session | Connection
"""A session or a connection: both execute Core statements."""

PRIORITY = "priority"
ORDINARY = "ordinary"
NO_SHOW_EVENT = "ticket.no_show"

T = TicketRow.__table__.c
F = FeedbackRow.__table__.c
S = SatisfactionRow.__table__.c
E = EventRow.__table__.c


def _dialect(db: Db) -> str:
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name


def _seconds(db: Db, later: Any, earlier: Any) -> ColumnElement[Any]:
    """``later - earlier`` in seconds (milliseconds kept), as a float."""
    if _dialect(db) == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)


def _ticket_class() -> ColumnElement[str]:
    return case((T.priority.is_not(None), literal(PRIORITY)), else_=literal(ORDINARY))


def _in_range(from_day: str, to_day: str) -> ColumnElement[bool]:
    return and_(T.business_day >= from_day, T.business_day <= to_day)


def _num(value: Any, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _distribution(
    db: Db,
    seconds: ColumnElement[Any],
    where: ColumnElement[bool],
    dimensions: Sequence[tuple[str, ColumnElement[Any]]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Count, median, p90 and max of ``seconds`` for each dimension's groups.

    PostgreSQL: one statement for all dimensions; the rows are tagged ``(dimension, key)``, stacked
    with ``UNION ALL`` and grouped once with ``percentile_cont``.
    """
    if _dialect(db) != "postgresql":
        return _distribution_sqlite(db, seconds, where, dimensions)
    parts = [
        select(literal(name).label("dim"), cast(key, _key_type()).label("k"), seconds.label("v")).where(where)
        for name, key in dimensions
    ]
    rows = union_all(*parts).subquery("rows")
    stmt = select(
        rows.c.dim,
        rows.c.k,
        func.count().label("n"),
        func.percentile_cont(0.5).within_group(rows.c.v).label("median"),
        func.percentile_cont(0.9).within_group(rows.c.v).label("p90"),
        func.max(rows.c.v).label("max"),
    ).group_by(rows.c.dim, rows.c.k)
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name, _ in dimensions}
    for dim, key, n, median, p90, maximum in db.execute(stmt):
        out[dim][key] = {
            "n": int(n),
            "median": _num(median),
            "p90": _num(p90),
            "max": _num(maximum),
        }
    return out


def _distribution_sqlite(
    db: Db,
    seconds: ColumnElement[Any],
    where: ColumnElement[bool],
    dimensions: Sequence[tuple[str, ColumnElement[Any]]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """SQLite's ``_distribution``: no ``percentile_cont``, so ranks from one window pass.

    1. One ``GROUP BY`` over every combination of keys counts each group (no time arithmetic).
    2. One sort of the values (``ORDER BY v``) carries a running count per group
       (``SUM(k = key) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING)``): a row's rank in its group.
       Sorting once for every group and dimension keeps a facility-year well under a second; a
       ``PARTITION BY`` per dimension would sort the whole year once per dimension.
    3. Only the rows at the ranks around each percentile (and the last rank, the max) come back,
       a few per group; they are blended linearly, exactly as ``percentile_cont`` does.
    """
    keys = [cast(key, _key_type()).label(f"k{i}") for i, (_, key) in enumerate(dimensions)]
    counted = select(*keys, func.count()).where(where).group_by(*keys)
    sizes: dict[tuple[int, str], int] = {}
    for row in db.execute(counted):
        for i, key in enumerate(row[:-1]):
            sizes[(i, key)] = sizes.get((i, key), 0) + int(row[-1])
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name, _ in dimensions}
    if not sizes:
        return out
    order = sorted(sizes)
    base = select(*keys, seconds.label("v")).where(where).cte("base").prefix_with("MATERIALIZED")
    base_keys = [base.c[f"k{i}"] for i in range(len(dimensions))]
    running = [
        func.sum(case((base_keys[i] == key, 1), else_=0)).over(order_by=base.c.v, rows=(None, 0)).label(f"r{j}")
        for j, (i, key) in enumerate(order)
    ]
    ranked = select(*base_keys, base.c.v, *running).subquery("ranked")
    # Per group: rank -> weights for (median, p90, max).
    wanted: list[dict[int, list[float]]] = []
    tests: list[ColumnElement[bool]] = []
    for j, (i, key) in enumerate(order):
        n = sizes[(i, key)]
        weights: dict[int, list[float]] = {}
        for slot, p in enumerate((0.5, 0.9)):
            position = 1 + p * (n - 1)
            low = int(position)
            frac = position - low
            weights.setdefault(low, [0.0, 0.0, 0.0])[slot] += 1 - frac
            if frac > 0:
                weights.setdefault(low + 1, [0.0, 0.0, 0.0])[slot] += frac
        weights.setdefault(n, [0.0, 0.0, 0.0])[2] = 1.0
        wanted.append(weights)
        tests.append(and_(ranked.c[f"k{i}"] == key, ranked.c[f"r{j}"].in_(sorted(weights))))
    values = [[0.0, 0.0, 0.0] for _ in order]
    picked = select(
        ranked.c.v,
        *(ranked.c[f"r{j}"] for j in range(len(order))),
        *(ranked.c[f"k{i}"] for i in range(len(dimensions))),
    ).where(or_(*tests))
    for row in db.execute(picked):
        v = float(row[0])
        ranks = [int(rank) for rank in row[1 : 1 + len(order)]]
        cell = row[1 + len(order) :]
        for j, (i, key) in enumerate(order):
            weight = wanted[j].get(ranks[j]) if cell[i] == key else None
            if weight is not None:
                for slot in range(3):
                    values[j][slot] += v * weight[slot]
    for j, (i, key) in enumerate(order):
        median, p90, maximum = values[j]
        out[dimensions[i][0]][key] = {
            "n": sizes[(i, key)],
            "median": _num(median),
            "p90": _num(p90),
            "max": _num(maximum),
        }
    return out


def _key_type() -> String:
    return String(16)


def visitors_served(db: Db, from_day: str, to_day: str) -> dict[str, Any]:
    """Completed tickets: total, by ticket class (priority/ordinary) and by service."""
    cls = _ticket_class().label("cls")
    stmt = (
        select(cls, T.service_code, func.count())
        .where(_in_range(from_day, to_day), T.status == "completed")
        .group_by(cls, T.service_code)
    )
    by_class: dict[str, int] = {PRIORITY: 0, ORDINARY: 0}
    by_service: dict[str, int] = {}
    by_class_service: dict[str, dict[str, int]] = {}
    for ticket_class, service, n in db.execute(stmt):
        by_class[ticket_class] += n
        by_service[service] = by_service.get(service, 0) + n
        by_class_service.setdefault(ticket_class, {})[service] = n
    return {
        "total": sum(by_class.values()),
        "by_class": by_class,
        "by_service": dict(sorted(by_service.items())),
        "by_class_service": by_class_service,
    }


def waiting_times(db: Db, from_day: str, to_day: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Waiting time (queued → called, seconds) of every called ticket: overall, by class, by service."""
    return _distribution(
        db,
        _seconds(db, T.called_at, T.queued_at),
        and_(_in_range(from_day, to_day), T.called_at.is_not(None)),
        [("all", literal("all")), ("class", _ticket_class()), ("service", T.service_code)],
    )


def service_times(db: Db, from_day: str, to_day: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Service time (started → completed, seconds) of completed tickets: overall and by service."""
    return _distribution(
        db,
        _seconds(db, T.completed_at, T.started_at),
        and_(
            _in_range(from_day, to_day),
            T.status == "completed",
            T.started_at.is_not(None),
            T.completed_at.is_not(None),
        ),
        [("all", literal("all")), ("service", T.service_code)],
    )


def no_shows(db: Db, from_day: str, to_day: str) -> dict[str, Any]:
    """Tickets called and not answered at least once (``no_show_count > 0``, or expired after a no-show event)."""
    no_show_event = exists().where(E.ticket_id == T.id, E.kind == NO_SHOW_EVENT)
    is_no_show = or_(T.no_show_count > 0, and_(T.status == "expired", no_show_event))
    cls = _ticket_class().label("cls")
    stmt = (
        select(cls, func.count(), func.sum(case((T.status == "expired", 1), else_=0)))
        .where(_in_range(from_day, to_day), is_no_show)
        .group_by(cls)
    )
    by_class: dict[str, int] = {PRIORITY: 0, ORDINARY: 0}
    expired = 0
    for ticket_class, n, gone in db.execute(stmt):
        by_class[ticket_class] = int(n)
        expired += int(gone or 0)
    issued = db.execute(select(func.count()).where(_in_range(from_day, to_day))).scalar_one()
    total = sum(by_class.values())
    return {
        "total": total,
        "expired": expired,
        "by_class": by_class,
        "issued": int(issued),
        "share": _num(total / issued, 4) if issued else None,
    }


def _answered_on(db: Db) -> ColumnElement[Any]:
    if _dialect(db) == "postgresql":
        return cast(func.timezone("UTC", F.answered_at), Date)
    return func.date(F.answered_at)


def feedback_figures(db: Db, from_day: str, to_day: str) -> dict[str, Any]:
    """Notes received by category, answered within their deadline (%), and overdue as of ``to_day``."""
    start, end = date.fromisoformat(from_day), date.fromisoformat(to_day)
    deadline = func.coalesce(F.new_due, F.due)
    # SQLite keeps dates as ISO text, so its date() compares with them as strings.
    on_time_test = _answered_on(db) <= deadline
    on_time = case((and_(F.answered_at.is_not(None), on_time_test), 1), else_=0)
    with_deadline = case((deadline.is_not(None), 1), else_=0)
    stmt = (
        select(F.category, func.count(), func.sum(with_deadline), func.sum(on_time))
        .where(F.received_on >= start, F.received_on <= end)
        .group_by(F.category)
    )
    by_category: dict[str, dict[str, Any]] = {}
    total = due_total = on_time_total = 0
    for category, n, n_due, n_on_time in db.execute(stmt):
        n_due, n_on_time = int(n_due or 0), int(n_on_time or 0)
        by_category[category] = {
            "received": int(n),
            "with_deadline": n_due,
            "answered_on_time": n_on_time,
            "on_time_pct": _num(100.0 * n_on_time / n_due, 2) if n_due else None,
        }
        total += int(n)
        due_total += n_due
        on_time_total += n_on_time
    overdue = db.execute(
        select(func.count()).where(
            F.status != "answered",
            F.received_on <= end,
            deadline.is_not(None),
            deadline < end,
        )
    ).scalar_one()
    return {
        "received": total,
        "by_category": dict(sorted(by_category.items())),
        "with_deadline": due_total,
        "answered_on_time": on_time_total,
        "on_time_pct": _num(100.0 * on_time_total / due_total, 2) if due_total else None,
        "overdue_now": int(overdue),
    }


def satisfaction_figures(db: Db, from_day: str, to_day: str) -> dict[str, Any]:
    """Survey answers: count, "resolved" share and mean rating, overall, by service and by counter."""
    resolved = case((S.resolved.is_(None), None), (S.resolved.is_(True), 1.0), else_=0.0)
    in_range = and_(S.business_day >= from_day, S.business_day <= to_day)
    dims: list[tuple[str, ColumnElement[Any]]] = [
        ("all", literal("all")),
        ("service", S.service_code),
        ("counter", cast(S.counter, _key_type())),
    ]
    parts = [
        select(
            literal(name).label("dim"),
            cast(key, _key_type()).label("k"),
            resolved.label("res"),
            S.rating.label("rating"),
        ).where(in_range)
        for name, key in dims
    ]
    rows = union_all(*parts).subquery("answers")
    stmt = select(
        rows.c.dim,
        rows.c.k,
        func.count(),
        func.avg(rows.c.res),
        func.avg(cast(rows.c.rating, Float)),
    ).group_by(rows.c.dim, rows.c.k)
    out: dict[str, Any] = {name: {} for name, _ in dims}
    for dim, key, n, share, rating in db.execute(stmt):
        out[dim][key if key is not None else "none"] = {
            "answers": int(n),
            "resolved_share": _num(share, 4),
            "mean_rating": _num(rating, 3),
        }
    return out


def report_figures(db: Db, from_day: str, to_day: str) -> dict[str, Any]:
    """All core figures of the report for ``from_day``..``to_day`` (both included)."""
    return {
        "from": from_day,
        "to": to_day,
        "served": visitors_served(db, from_day, to_day),
        "waiting": waiting_times(db, from_day, to_day),
        "service_time": service_times(db, from_day, to_day),
        "no_shows": no_shows(db, from_day, to_day),
        "feedback": feedback_figures(db, from_day, to_day),
        "satisfaction": satisfaction_figures(db, from_day, to_day),
    }
