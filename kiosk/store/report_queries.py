"""The service performance report's core figures (S15, S16), computed in the database.

Every figure is a SQL aggregate (``GROUP BY``, ``COUNT``, ``AVG``, percentiles), so a
facility-year of ~150,000 tickets never travels into Python: only one row per group comes back.

Percentiles are the continuous kind (linear interpolation between the two nearest ranks), the
same on both databases: PostgreSQL has ``percentile_cont``; SQLite has none, so there one window
query sorts the values once and carries each group's running count (a row's rank in its group);
only the few rows at the ranks around each percentile come back, and are blended as
``percentile_cont`` does (see ``_distribution_sqlite``).

Days are ISO business days (``YYYY-MM-DD``), both ends included. Times are UTC in the store;
"answered on" and open hours are the facility's local days and times (``utc_offset_minutes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    DateTime,
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
    true,
    union_all,
)
from sqlalchemy.orm import Session

from kiosk.domain.events import PRESENCE_CHANGED
from kiosk.domain.report import CONFIDENTIAL, REVIEW_DAYS, SIMPLE_DAYS, Duty, ReportQuery, share_pct
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


def _tickets_in(q: ReportQuery) -> ColumnElement[bool]:
    """The query's tickets: its business days, and its facility and service if it names them."""
    tests = [T.business_day >= q.from_day.isoformat(), T.business_day <= q.to_day.isoformat()]
    if q.facility is not None:
        tests.append(T.facility == q.facility)
    if q.service is not None:
        tests.append(T.service_code == q.service)
    return and_(*tests)


def _team(q: ReportQuery) -> ColumnElement[str]:
    """The team at a ticket's counter (from the seat chart), or "" when the chart names none."""
    if not q.counter_teams:
        return literal("")
    return case(*((T.counter == n, literal(team)) for n, team in sorted(q.counter_teams.items())), else_=literal(""))


def visitors_served(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Completed tickets: total, by class (priority/ordinary), service, counter and team."""
    cls = _ticket_class().label("cls")
    team = _team(q).label("team")
    stmt = (
        select(cls, T.service_code, T.counter, team, func.count())
        .where(_tickets_in(q), T.status == "completed")
        .group_by(cls, T.service_code, T.counter, team)
    )
    by_class: dict[str, int] = {PRIORITY: 0, ORDINARY: 0}
    by_service: dict[str, int] = {}
    by_class_service: dict[str, dict[str, int]] = {}
    by_counter: dict[str, int] = {}
    by_team: dict[str, int] = {}
    for ticket_class, service, counter, team_name, n in db.execute(stmt):
        n = int(n)
        by_class[ticket_class] += n
        by_service[service] = by_service.get(service, 0) + n
        cell = by_class_service.setdefault(ticket_class, {})
        cell[service] = cell.get(service, 0) + n
        key = "" if counter is None else str(counter)
        by_counter[key] = by_counter.get(key, 0) + n
        if team_name:
            by_team[team_name] = by_team.get(team_name, 0) + n
    return {
        "total": sum(by_class.values()),
        "by_class": by_class,
        "by_service": dict(sorted(by_service.items())),
        "by_class_service": by_class_service,
        "by_counter": dict(sorted(by_counter.items(), key=lambda kv: (len(kv[0]), kv[0]))),
        "by_team": dict(sorted(by_team.items())),
    }


def waiting_times(db: Db, q: ReportQuery) -> dict[str, dict[str, dict[str, Any]]]:
    """Waiting time (ticket taken → first called, seconds) of every ticket called at least once:
    overall, by class, by service. A visitor who did not come when called waited as long."""
    return _distribution(
        db,
        _seconds(db, T.first_called_at, T.issued_at),
        and_(_tickets_in(q), T.first_called_at.is_not(None)),
        [("all", literal("all")), ("class", _ticket_class()), ("service", T.service_code)],
    )


def service_times(db: Db, q: ReportQuery) -> dict[str, dict[str, dict[str, Any]]]:
    """Service time (started → completed, seconds) of completed tickets: overall and by service."""
    return _distribution(
        db,
        _seconds(db, T.completed_at, T.started_at),
        and_(
            _tickets_in(q),
            T.status == "completed",
            T.started_at.is_not(None),
            T.completed_at.is_not(None),
        ),
        [("all", literal("all")), ("service", T.service_code)],
    )


def no_shows(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Tickets called and not answered at least once (``no_show_count > 0``, or expired after a no-show event)."""
    no_show_event = exists().where(E.ticket_id == T.id, E.kind == NO_SHOW_EVENT)
    is_no_show = or_(T.no_show_count > 0, and_(T.status == "expired", no_show_event))
    cls = _ticket_class().label("cls")
    stmt = (
        select(cls, func.count(), func.sum(case((T.status == "expired", 1), else_=0)))
        .where(_tickets_in(q), is_no_show)
        .group_by(cls)
    )
    by_class: dict[str, int] = {PRIORITY: 0, ORDINARY: 0}
    expired = 0
    for ticket_class, n, gone in db.execute(stmt):
        by_class[ticket_class] = int(n)
        expired += int(gone or 0)
    issued = db.execute(select(func.count()).where(_tickets_in(q))).scalar_one()
    total = sum(by_class.values())
    return {
        "total": total,
        "expired": expired,
        "by_class": by_class,
        "issued": int(issued),
        "share": _num(total / issued, 4) if issued else None,
    }


def priority_first(db: Db, q: ReportQuery) -> dict[str, Any]:
    """S6's promise checked: the called priority visitors who were called before every ordinary
    visitor of their service who took a ticket after them that day, at the same facility. Call
    times are first calls (a no-show or a hold clears the current one). Priority visitors never
    called (they left) are not counted: the store does not know when they left.

    One window pass: walking each day's line of a service from the last arrival backwards, the
    running minimum of the ordinary visitors' call times is "the first call of anyone ordinary who
    came later"; a priority visitor called after it was passed over.
    """
    later_ordinary = (
        func.min(case((T.priority_rank != 0, T.first_called_at), else_=None))
        .over(
            partition_by=(T.facility, T.business_day, T.service_code),
            order_by=(T.issued_at.desc(), T.id.desc()),
            rows=(None, -1),
        )
        .label("later")
    )
    line = (
        select(T.priority_rank, T.first_called_at.label("called_at"), later_ordinary)
        .where(_tickets_in(q))
        .subquery("line")
    )
    first = case(
        (or_(line.c.later.is_(None), line.c.called_at <= line.c.later), 1),
        else_=0,
    )
    stmt = select(func.count(), func.sum(first)).where(line.c.priority_rank == 0, line.c.called_at.is_not(None))
    n, ok = db.execute(stmt).one()
    n, ok = int(n or 0), int(ok or 0)
    return {"priority": n, "first": ok, "share_pct": share_pct(ok, n)}


def _local_day(db: Db, q: ReportQuery, column: Any) -> ColumnElement[Any]:
    """The facility's calendar day of a UTC time (its fixed offset, ``utc_offset_minutes``)."""
    minutes = q.utc_offset_minutes
    if _dialect(db) == "postgresql":
        return cast(func.timezone("UTC", column) + timedelta(minutes=minutes), Date)
    return func.date(column, f"{minutes:+d} minutes")


def _day_number(db: Db, value: Any) -> ColumnElement[Any]:
    """A day as a number of days, so that two days subtract (dates are ISO text on SQLite)."""
    if _dialect(db) == "postgresql":
        return cast(func.extract("epoch", cast(value, Date)), Float) / 86400.0
    return func.julianday(value)


def _notes_in(q: ReportQuery, *, received: bool = True) -> ColumnElement[bool]:
    tests: list[ColumnElement[bool]] = []
    if received:
        tests += [F.received_on >= q.from_day, F.received_on <= q.to_day]
    if q.facility is not None:
        tests.append(F.facility == q.facility)
    if not q.include_confidential:
        tests.append(F.category != CONFIDENTIAL)
    return and_(true(), *tests)


def feedback_figures(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Notes received (by category and team), answered by their deadline and within 7/14 days,
    overdue as of ``to_day``, delays announced by D-1, and how long an answer took."""
    deadline = func.coalesce(F.new_due, F.due)
    answered_on = _local_day(db, q, F.answered_at)
    # SQLite keeps dates as ISO text, so its date() compares with them as strings.
    on_time = case((and_(F.answered_at.is_not(None), answered_on <= deadline), 1), else_=0)
    with_deadline = case((deadline.is_not(None), 1), else_=0)
    stmt = (
        select(F.category, F.team, func.count(), func.sum(with_deadline), func.sum(on_time))
        .where(_notes_in(q))
        .group_by(F.category, F.team)
    )
    by_category: dict[str, dict[str, Any]] = {}
    by_team: dict[str, dict[str, Any]] = {}
    for category, team, n, n_due, n_on_time in db.execute(stmt):
        n, n_due, n_on_time = int(n), int(n_due or 0), int(n_on_time or 0)
        for table, key in ((by_category, category), (by_team, team or "")):
            cell = table.setdefault(key, {"received": 0, "with_deadline": 0, "answered_on_time": 0})
            cell["received"] += n
            cell["with_deadline"] += n_due
            cell["answered_on_time"] += n_on_time
    for table in (by_category, by_team):
        for cell in table.values():
            cell["on_time_pct"] = share_pct(cell["answered_on_time"], cell["with_deadline"])
    total = sum(c["received"] for c in by_category.values())
    due_total = sum(c["with_deadline"] for c in by_category.values())
    on_time_total = sum(c["answered_on_time"] for c in by_category.values())
    overdue = db.execute(
        select(func.count()).where(
            _notes_in(q, received=False),
            F.status != "answered",
            F.received_on <= q.as_of,
            deadline.is_not(None),
            deadline < q.as_of,
        )
    ).scalar_one()
    return {
        "received": total,
        "by_category": dict(sorted(by_category.items())),
        "with_deadline": due_total,
        "answered_on_time": on_time_total,
        "on_time_pct": share_pct(on_time_total, due_total),
        "overdue_now": int(overdue),
        "within": _within(db, q, answered_on),
        "delayed": _delayed(db, q),
        "time_to_answer_days": _time_to_answer(db, q),
        "by_team": dict(sorted(by_team.items())),
    }


def _within(db: Db, q: ReportQuery, answered_on: ColumnElement[Any]) -> dict[str, dict[str, Any]]:
    """S9: simple notes answered within 7 days of receipt, notes needing review within 14.

    A note counts once its period is over (its last day before ``as_of``) or it is answered: one
    received yesterday and not answered yet has not failed. Unclassified notes count as simple.
    """
    review = F.handling == "review"
    kind = case((review, literal("review")), else_=literal("simple")).label("kind")
    days = case((review, REVIEW_DAYS), else_=SIMPLE_DAYS)
    elapsed = _day_number(db, answered_on) - _day_number(db, F.received_on)
    ended = or_(
        F.answered_at.is_not(None),
        and_(review, F.received_on < q.as_of - timedelta(days=REVIEW_DAYS)),
        and_(or_(F.handling.is_(None), ~review), F.received_on < q.as_of - timedelta(days=SIMPLE_DAYS)),
    )
    in_time = case((and_(F.answered_at.is_not(None), elapsed <= days), 1), else_=0)
    stmt = select(kind, func.count(), func.sum(in_time)).where(_notes_in(q), F.due.is_not(None), ended).group_by(kind)
    out: dict[str, dict[str, Any]] = {
        "simple": {"days": SIMPLE_DAYS, "n": 0, "answered_within": 0, "pct": None},
        "review": {"days": REVIEW_DAYS, "n": 0, "answered_within": 0, "pct": None},
    }
    for name, n, ok in db.execute(stmt):
        out[name] |= {"n": int(n), "answered_within": int(ok or 0), "pct": share_pct(int(ok or 0), int(n))}
    return out


def _delayed(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Notes delayed (S10) and how many of those delays, with their reason and new date, were
    recorded by D-1 of the original deadline (the visitor is told before the promise is broken)."""
    told = case((_local_day(db, q, F.delayed_at) < F.due, 1), else_=0)
    n, ok = db.execute(
        select(func.count(), func.sum(told)).where(_notes_in(q), F.delayed_at.is_not(None), F.due.is_not(None))
    ).one()
    n, ok = int(n or 0), int(ok or 0)
    return {"n": n, "noticed_by_d1": ok, "pct": share_pct(ok, n)}


def _time_to_answer(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Received → answered, in days: count, median, 90th percentile, longest."""
    seconds = _seconds(db, F.answered_at, F.received_at)
    dist = _distribution(db, seconds, and_(_notes_in(q), F.answered_at.is_not(None)), [("all", literal("all"))])
    cell = dist["all"].get("all")
    if cell is None:
        return {"n": 0, "median": None, "p90": None, "max": None}
    return {"n": cell["n"], **{k: _num(cell[k] / 86400.0, 2) for k in ("median", "p90", "max")}}


def _week(db: Db) -> ColumnElement[Any]:
    """The Monday of a business day's week, as ISO text."""
    if _dialect(db) == "postgresql":
        return func.to_char(func.date_trunc("week", cast(S.business_day, Date)), "YYYY-MM-DD")
    return func.date(S.business_day, "-6 days", "weekday 1")


def satisfaction_figures(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Survey answers: count, "resolved" share and mean rating, overall, by service, counter and week."""
    resolved = case((S.resolved.is_(None), None), (S.resolved.is_(True), 1.0), else_=0.0)
    tests = [S.business_day >= q.from_day.isoformat(), S.business_day <= q.to_day.isoformat()]
    if q.facility is not None:
        tests.append(S.facility == q.facility)
    if q.service is not None:
        tests.append(S.service_code == q.service)
    dims: list[tuple[str, ColumnElement[Any]]] = [
        ("all", literal("all")),
        ("service", S.service_code),
        ("counter", cast(S.counter, _key_type())),
        ("week", _week(db)),
    ]
    parts = [
        select(
            literal(name).label("dim"),
            cast(key, _key_type()).label("k"),
            resolved.label("res"),
            S.rating.label("rating"),
        ).where(*tests)
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
    out["week"] = dict(sorted(out["week"].items()))
    out["counter"] = dict(sorted(out["counter"].items(), key=lambda kv: (len(kv[0]), kv[0])))
    return out


def open_days(db: Db, q: ReportQuery) -> list[date]:
    """The days the facility was open in the range: the business days on which it issued a ticket."""
    tests = [T.business_day >= q.from_day.isoformat(), T.business_day <= q.to_day.isoformat()]
    if q.facility is not None:
        tests.append(T.facility == q.facility)
    return [date.fromisoformat(d) for d in db.scalars(select(T.business_day).where(*tests).distinct())]


def presence_coverage(db: Db, q: ReportQuery) -> dict[str, Any]:
    """S3/S4: the share of open hours each duty had its person or its delegate present.

    The opening hours of every open day become "open"/"close" markers, merged in time order with
    the presence changes of the two people; window functions carry each one's last known state
    (nobody recorded yet counts as present, the chart's default) and the time to the next row, and
    the covered open seconds are summed in the database.
    """
    days = sorted(open_days(db, q))
    open_seconds = len(days) * q.open_seconds
    result: dict[str, Any] = {
        "open_days": len(days),
        "open_hours": round(open_seconds / 3600.0, 2),
        "duties": [],
    }
    if not days:
        result["duties"] = [_duty_row(d, 0.0, None) for d in q.duties]
        return result
    offset = timedelta(minutes=q.utc_offset_minutes)
    first = datetime.combine(days[0], q.opens, tzinfo=UTC) - offset
    last = datetime.combine(days[-1], q.closes, tzinfo=UTC) - offset
    for duty in q.duties:
        people = list(dict.fromkeys(p for p in (duty.staff, duty.delegate) if p))  # one's own delegate: once
        covered = _covered_seconds(db, q, people, first, last) if people else 0.0
        result["duties"].append(_duty_row(duty, covered / 3600.0, _pct(covered, open_seconds)))
    return result


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def _duty_row(duty: Duty, hours: float, pct: float | None) -> dict[str, Any]:
    return {
        "id": duty.id,
        "name_ko": duty.name_ko,
        "name_en": duty.name_en,
        "staff": duty.staff,
        "delegate": duty.delegate,
        "covered_hours": round(hours, 2),
        "covered_pct": pct,
    }


def _open_mark(db: Db, q: ReportQuery, day: Any, at: time) -> ColumnElement[Any]:
    """The UTC moment of local time ``at`` on business day ``day`` (ISO text)."""
    minutes = at.hour * 60 + at.minute - q.utc_offset_minutes
    if _dialect(db) == "postgresql":
        return func.timezone("UTC", cast(day, DateTime) + timedelta(minutes=minutes))
    # The store's own text form of a time (microseconds, six digits), so that it sorts with them.
    return func.strftime("%Y-%m-%d %H:%M:%f", day, f"{minutes:+d} minutes").concat("000")


def _covered_seconds(db: Db, q: ReportQuery, people: list[str], first: datetime, last: datetime) -> float:
    staff = E.data["staff"].as_string()
    state = E.data["state"].as_string()
    events = select(
        E.at.label("t"),
        literal(0).label("mark"),
        case(*((staff == p, literal(i)) for i, p in enumerate(people)), else_=literal(-1)).label("who"),
        case((state == "present", 1), else_=0).label("avail"),
    ).where(E.kind == PRESENCE_CHANGED, staff.in_(people), E.at <= last)
    tests = [T.business_day >= q.from_day.isoformat(), T.business_day <= q.to_day.isoformat()]
    if q.facility is not None:
        tests.append(T.facility == q.facility)
    days = select(T.business_day.label("d")).where(*tests).distinct().subquery("days")
    marks = [
        select(_open_mark(db, q, days.c.d, at).label("t"), literal(m), literal(-1), literal(0))
        for at, m in ((q.opens, 1), (q.closes, -1))
    ]
    rows = union_all(events, *marks).subquery("rows")
    order = (rows.c.t, rows.c.mark)
    level1: list[Any] = [rows.c.t, rows.c.mark, rows.c.who, rows.c.avail]
    level1.append(func.sum(rows.c.mark).over(order_by=order, rows=(None, 0)).label("inside"))
    for i in range(len(people)):
        group = func.sum(case((rows.c.who == i, 1), else_=0)).over(order_by=order, rows=(None, 0))
        level1.append(group.label(f"g{i}"))
    level1.append(func.lead(rows.c.t).over(order_by=order).label("next_t"))
    a = select(*level1).subquery("a")
    level2: list[Any] = [a.c.t, a.c.next_t, a.c.inside]
    for i in range(len(people)):
        # The person's state as of this row: the event that opened its group (none yet: present).
        state_now = func.max(case((a.c.who == i, a.c.avail), else_=None)).over(partition_by=a.c[f"g{i}"])
        level2.append(func.coalesce(state_now, 1).label(f"p{i}"))
    b = select(*level2).subquery("b")
    anyone = or_(*(b.c[f"p{i}"] == 1 for i in range(len(people))))
    seconds = _seconds(db, b.c.next_t, b.c.t)
    total = db.execute(
        select(func.sum(seconds)).where(b.c.inside > 0, anyone, b.c.next_t.is_not(None), b.c.t >= first)
    ).scalar_one()
    return float(total or 0.0)


def facilities(db: Db) -> list[str]:
    """The facility ids with tickets in the store."""
    return sorted(db.scalars(select(T.facility).distinct()))


def report_figures(db: Db, q: ReportQuery) -> dict[str, Any]:
    """Every figure of the report for ``q``."""
    waiting = waiting_times(db, q)
    first = priority_first(db, q)
    first["median_wait_priority"] = waiting["class"].get(PRIORITY, {}).get("median")
    first["median_wait_ordinary"] = waiting["class"].get(ORDINARY, {}).get("median")
    return {
        "from": q.from_day.isoformat(),
        "to": q.to_day.isoformat(),
        "served": visitors_served(db, q),
        "waiting": waiting,
        "service_time": service_times(db, q),
        "no_shows": no_shows(db, q),
        "priority_first": first,
        "feedback": feedback_figures(db, q),
        "satisfaction": satisfaction_figures(db, q),
        "presence": presence_coverage(db, q),
    }
