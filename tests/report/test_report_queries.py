"""The report's core figures match a small case worked out by hand, on SQLite and PostgreSQL alike.

Eight tickets on one Monday (two priority), five voice-box notes and four survey answers; every
expected number below is computed in the comments, not by the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from kiosk.domain.report import Duty, ReportQuery
from kiosk.store.engine import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.models import CounterRow, EventRow, FeedbackRow, SatisfactionRow, ServiceRow, TicketRow
from kiosk.store.report_queries import report_figures

DAY = "2026-03-02"
OPEN = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 09:00 in Seoul

# (priority reason, service, wait s, service s, status, no-shows)
TICKETS: list[tuple[str | None, str, int | None, int | None, str, int]] = [
    ("disabled", "A", 60, 300, "completed", 0),
    ("elderly", "A", 120, 600, "completed", 0),
    (None, "A", 300, 240, "completed", 0),
    (None, "A", 600, 360, "completed", 0),
    (None, "B", 900, 120, "completed", 0),
    (None, "B", 1200, 480, "completed", 0),
    (None, "A", 1500, None, "expired", 2),  # called, never came (twice): the call is cleared, the first kept
    (None, "B", None, None, "waiting", 0),  # never called
]


def _at(day: str, hour: int = 3) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


# (category, received on, due, new due, answered on, status, delay recorded on)
FEEDBACK: list[tuple[str, str, str | None, str | None, str | None, str, str | None]] = [
    ("complaint", "2026-03-02", "2026-03-09", None, "2026-03-05", "answered", None),  # on time
    # on time (new due), delayed on D-2: the visitor was told in time
    ("complaint", "2026-03-03", "2026-03-09", "2026-03-16", "2026-03-14", "answered", "2026-03-07"),
    # late even after a delay recorded on the due day itself (not by D-1)
    ("proposal", "2026-03-04", "2026-03-16", "2026-03-18", "2026-03-20", "answered", "2026-03-16"),
    ("praise", "2026-03-05", None, None, None, "received", None),  # no deadline
    ("suggestion", "2026-03-06", "2026-03-09", None, None, "assigned", None),  # open, overdue
    ("complaint", "2026-02-20", "2026-02-27", None, None, "delayed", "2026-02-25"),  # before the range, overdue
    ("misconduct", "2026-03-09", "2026-03-16", None, None, "assigned", None),  # audit team only
]

# (service, counter, resolved, rating)
ANSWERS: list[tuple[str, int, bool | None, int | None]] = [
    ("A", 1, True, 5),
    ("A", 2, False, 2),
    ("B", 3, True, 4),
    ("B", 3, None, None),
]


def seed(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        if conn.execute(select(ServiceRow.code)).first() is None:
            conn.execute(
                insert(ServiceRow),
                [{"code": c, "name_ko": c, "name_en": c} for c in ("A", "B", "C")],
            )
        if conn.execute(select(CounterRow.number)).first() is None:
            conn.execute(insert(CounterRow), [{"number": n} for n in (1, 2, 3, 4)])
        rows: list[dict[str, Any]] = []
        for i, (reason, service, wait, serve, status, no_shows) in enumerate(TICKETS, start=1):
            queued = OPEN + timedelta(minutes=i)
            called = None if wait is None else queued + timedelta(seconds=wait)
            started = called if serve is not None else None
            completed = None if serve is None or started is None else started + timedelta(seconds=serve)
            rows.append(
                {
                    "number": f"{service}{i:03d}",
                    "seq": i,
                    "service_code": service,
                    "priority": reason,
                    "priority_rank": 0 if reason else 1,
                    "status": status,
                    "business_day": DAY,
                    "issued_at": queued,
                    "queued_at": queued,
                    "counter": None if called is None else 1 + i % 3,
                    "called_at": None if status == "expired" else called,
                    "first_called_at": called,
                    "started_at": started,
                    "completed_at": completed,
                    "no_show_count": no_shows,
                }
            )
        conn.execute(insert(TicketRow), rows)
        conn.execute(
            insert(FeedbackRow),
            [
                {
                    "receipt": f"R{i}",
                    "category": category,
                    "text": "…",
                    "received_at": _at(received),
                    "received_on": date.fromisoformat(received),
                    "status": status,
                    "due": None if due is None else date.fromisoformat(due),
                    "new_due": None if new_due is None else date.fromisoformat(new_due),
                    "answered_at": None if answered is None else _at(answered, 14),
                    "handling": "review" if category == "proposal" else ("simple" if due else None),
                    "delayed_at": None if delayed is None else _at(delayed),
                    "pin_hash": "x",
                    "updated_at": _at(received),
                }
                for i, (category, received, due, new_due, answered, status, delayed) in enumerate(FEEDBACK)
            ],
        )
        conn.execute(
            insert(SatisfactionRow),
            [
                {
                    "at": _at(DAY, 5),
                    "business_day": DAY,
                    "service_code": service,
                    "counter": counter,
                    "resolved": resolved,
                    "rating": rating,
                }
                for service, counter, resolved, rating in ANSWERS
            ],
        )


def check(figures: dict[str, Any]) -> None:
    served = figures["served"]
    assert served["total"] == 6
    assert served["by_class"] == {"priority": 2, "ordinary": 4}
    assert served["by_service"] == {"A": 4, "B": 2}

    wait = figures["waiting"]
    # All called: 60 120 300 600 900 1200 1500 -> median rank 4 = 600; p90 rank 6.4 = 1200 + .4*300.
    assert wait["all"]["all"] == {"n": 7, "median": 600, "p90": 1320, "max": 1500}
    # Priority 60 120: median 90, p90 rank 1.9 = 60 + .9*60 = 114.
    assert wait["class"]["priority"] == {"n": 2, "median": 90, "p90": 114, "max": 120}
    # Ordinary 300 600 900 1200 1500: median 900, p90 rank 4.6 = 1200 + .6*300 = 1380.
    assert wait["class"]["ordinary"]["median"] == 900
    assert wait["class"]["ordinary"]["p90"] == 1380
    # A: 60 120 300 600 1500 -> median 300, p90 = 600 + .6*900 = 1140; B: 900 1200 -> 1050, 1170.
    assert (wait["service"]["A"]["median"], wait["service"]["A"]["p90"], wait["service"]["A"]["max"]) == (
        300,
        1140,
        1500,
    )
    assert (wait["service"]["B"]["median"], wait["service"]["B"]["p90"], wait["service"]["B"]["max"]) == (
        1050,
        1170,
        1200,
    )

    service = figures["service_time"]
    # 120 240 300 360 480 600 -> (300 + 360) / 2; A: 240 300 360 600 -> 330; B: 120 480 -> 300.
    assert service["all"]["all"]["median"] == 330
    assert service["service"]["A"]["median"] == 330
    assert service["service"]["B"]["median"] == 300

    assert figures["no_shows"] == {
        "total": 1,
        "expired": 1,
        "by_class": {"priority": 0, "ordinary": 1},
        "issued": 8,
        "share": 0.125,
    }

    feedback = figures["feedback"]
    assert feedback["received"] == 5
    assert feedback["by_category"]["complaint"]["received"] == 2
    assert feedback["by_category"]["complaint"]["on_time_pct"] == 100.0
    assert feedback["by_category"]["proposal"]["on_time_pct"] == 0.0
    assert feedback["by_category"]["praise"]["on_time_pct"] is None
    # 4 notes with a deadline, 2 answered by it.
    assert (feedback["with_deadline"], feedback["answered_on_time"], feedback["on_time_pct"]) == (4, 2, 50.0)
    assert feedback["overdue_now"] == 2
    assert "misconduct" not in feedback["by_category"]  # counted for the audit team only
    # S9 within 7/14 days of receipt (answered on the local day: 14:00 UTC is 23:00 in Seoul).
    # Simple: 03-02 -> 03-05 (3 days, yes), 03-03 -> 03-14 (11, no), 03-06 open since 25 days (no).
    assert feedback["within"]["simple"] == {"days": 7, "n": 3, "answered_within": 1, "pct": 33.33}
    # Review: the proposal, 03-04 -> 03-20 = 16 days > 14.
    assert feedback["within"]["review"] == {"days": 14, "n": 1, "answered_within": 0, "pct": 0.0}
    # Delays: recorded 03-07 for a 03-09 deadline (by D-1), and 03-16 for 03-16 (not).
    assert feedback["delayed"] == {"n": 2, "noticed_by_d1": 1, "pct": 50.0}
    # Received 03:00 UTC, answered 14:00 UTC: 3 d 11 h, 11 d 11 h, 16 d 11 h (11 h = 0.4583 d).
    # Median 11.46; p90 at rank 2.8 = 11.4583 + 0.8 * 5 = 15.46; max 16.46.
    assert feedback["time_to_answer_days"] == {"n": 3, "median": 11.46, "p90": 15.46, "max": 16.46}

    # Priority visitors 1 and 2 (service A) were called at 00:02 and 00:04; the first ordinary
    # visitor of A who came after them was called at 00:08: both served first.
    first = figures["priority_first"]
    assert (first["priority"], first["first"], first["share_pct"]) == (2, 2, 100.0)
    assert (first["median_wait_priority"], first["median_wait_ordinary"]) == (90, 900)

    sat = figures["satisfaction"]
    # resolved: yes, no, yes (one blank) -> 2/3; ratings 5 2 4 -> 11/3.
    assert sat["all"]["all"] == {"answers": 4, "resolved_share": 0.6667, "mean_rating": 3.667}
    assert sat["service"]["A"] == {"answers": 2, "resolved_share": 0.5, "mean_rating": 3.5}
    assert sat["service"]["B"] == {"answers": 2, "resolved_share": 1.0, "mean_rating": 4.0}
    assert sat["counter"]["3"] == {"answers": 2, "resolved_share": 1.0, "mean_rating": 4.0}
    assert sat["week"] == {"2026-03-02": sat["all"]["all"]}  # 2 March 2026 is a Monday


def march(**kwargs: Any) -> ReportQuery:
    return ReportQuery(date(2026, 3, 1), date(2026, 3, 31), **kwargs)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield engine
    engine.dispose()


def test_figures_match_the_hand_computed_case_on_sqlite(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        check(report_figures(conn, march()))


@pytest.mark.postgres
def test_figures_match_the_hand_computed_case_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        seed(engine)
        with engine.connect() as conn:
            check(report_figures(conn, march()))
    finally:
        engine.dispose()


def test_a_range_without_the_day_reports_nothing_served(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        figures = report_figures(conn, ReportQuery(date(2026, 3, 3), date(2026, 3, 31)))
    assert figures["served"]["total"] == 0
    assert figures["waiting"]["all"] == {}
    assert figures["no_shows"]["share"] is None


def test_the_audit_team_counts_misconduct_reports(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        feedback = report_figures(conn, march(include_confidential=True))["feedback"]
    assert feedback["received"] == 6
    assert feedback["by_category"]["misconduct"]["received"] == 1
    assert feedback["overdue_now"] == 3  # due 03-16, still open on 03-31


def _line(engine: Engine, rows: list[tuple[int, str, int, int | None, str]], gone: tuple[int, ...] = ()) -> None:
    """Tickets of one day: (minute queued, service, priority rank, minute first called or None,
    facility); the ``gone`` ones (by index) did not come when called: the kiosk cleared their call."""
    with engine.begin() as conn:
        conn.execute(
            insert(TicketRow),
            [
                {
                    "number": f"{service}{100 + i}",
                    "seq": 100 + i,
                    "service_code": service,
                    "priority": "elderly" if rank == 0 else None,
                    "priority_rank": rank,
                    "status": "expired" if i in gone else ("called" if called is not None else "waiting"),
                    "business_day": "2026-03-04",
                    "issued_at": OPEN + timedelta(days=2, minutes=queued),
                    "queued_at": OPEN + timedelta(days=2, minutes=queued),
                    "called_at": None if called is None or i in gone else OPEN + timedelta(days=2, minutes=called),
                    "first_called_at": None if called is None else OPEN + timedelta(days=2, minutes=called),
                    "facility": facility,
                }
                for i, (queued, service, rank, called, facility) in enumerate(rows)
            ],
        )


def test_a_priority_visitor_passed_over_by_a_later_ordinary_one_is_counted(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    _line(
        sqlite_engine,
        [
            (10, "C", 0, 30, "east"),  # priority, called at 30...
            (12, "C", 1, 20, "east"),  # ...but this ordinary visitor, who came later, went at 20
            (14, "C", 0, 25, "east"),  # priority, called before the ordinary visitor of 15
            (15, "C", 1, 40, "east"),
            (16, "B", 1, 17, "east"),  # another service's line does not count against C's
            (5, "C", 1, 6, "west"),  # earlier ordinary visitor: not "after" anyone
            (16, "C", 1, 18, "west"),  # another facility's line: not against east's visitor of 14
            (20, "A", 0, 40, "east"),  # priority, called at 40...
            (21, "A", 1, 35, "east"),  # ...after this ordinary visitor, who then did not come
        ],
        gone=(7,),
    )
    with sqlite_engine.connect() as conn:
        day = ReportQuery(date(2026, 3, 4), date(2026, 3, 4))
        first = report_figures(conn, day)["priority_first"]
        # Ticket 1 was passed over; ticket 3 was not (only the visitor of minute 15 came after it,
        # at east); ticket 7 was (the call of the visitor who did not come still counts).
        assert (first["priority"], first["first"], first["share_pct"]) == (3, 1, 33.33)
        east = report_figures(conn, ReportQuery(date(2026, 3, 4), date(2026, 3, 4), facility="east"))
        west = report_figures(conn, ReportQuery(date(2026, 3, 4), date(2026, 3, 4), facility="west"))
        c_only = report_figures(conn, ReportQuery(date(2026, 3, 4), date(2026, 3, 4), service="C"))
    assert east["no_shows"]["issued"] == 7 and west["no_shows"]["issued"] == 2
    assert west["priority_first"]["priority"] == 0 and west["priority_first"]["share_pct"] is None
    assert c_only["no_shows"]["issued"] == 6
    assert c_only["waiting"]["service"].keys() == {"C"}


def _presence(engine: Engine, changes: list[tuple[str, str, str]]) -> None:
    """Presence changes: (staff, state, local time "YYYY-MM-DD HH:MM" in Seoul)."""
    with engine.begin() as conn:
        conn.execute(
            insert(EventRow),
            [
                {
                    "at": datetime.fromisoformat(at).replace(tzinfo=UTC) - timedelta(hours=9),
                    "kind": "presence.changed",
                    "actor": staff,
                    "data": {"staff": staff, "state": state},
                }
                for staff, state, at in changes
            ],
        )


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_presence_coverage_counts_open_hours_with_the_person_or_the_delegate(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}" if database == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    try:
        seed(engine)  # tickets on Monday 2 March only: the one open day, 09:00-18:00 (9 h)
        _presence(
            engine,
            [
                ("kim", "away", "2026-03-02 10:00"),  # kim away 10-12, lee away 11-13:
                ("lee", "meeting", "2026-03-02 11:00"),  # nobody for duty X from 11 to 12
                ("kim", "present", "2026-03-02 12:00"),
                ("lee", "present", "2026-03-02 13:00"),
                ("park", "leave", "2026-02-27 17:00"),  # park on leave since Friday, back at 10:30
                ("park", "present", "2026-03-02 10:30"),
                ("park", "away", "2026-03-02 17:30"),  # and out again for the last half hour
            ],
        )
        q = march(
            duties=(
                Duty("x", "가", "X", "kim", "lee"),
                Duty("y", "나", "Y", "park"),
                Duty("z", "다", "Z", "choi"),  # nobody ever recorded away: present all day
                Duty("w", "라", "W", "kim", "kim"),  # one's own delegate: counts once
            )
        )
        with engine.connect() as conn:
            presence = report_figures(conn, q)["presence"]
    finally:
        engine.dispose()
    assert (presence["open_days"], presence["open_hours"]) == (1, 9.0)
    by_id = {d["id"]: d for d in presence["duties"]}
    assert (by_id["x"]["covered_hours"], by_id["x"]["covered_pct"]) == (8.0, 88.89)
    assert (by_id["y"]["covered_hours"], by_id["y"]["covered_pct"]) == (7.0, 77.78)  # 10:30-17:30
    assert by_id["z"]["covered_pct"] == 100.0
    assert (by_id["w"]["covered_hours"], by_id["w"]["covered_pct"]) == (7.0, 77.78)  # kim away 10-12


def test_deadlines_are_judged_on_the_last_day_of_the_range_or_today(sqlite_engine: Engine) -> None:
    """On 9 March the notes due that day are not late yet, in every figure alike."""
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        to_ninth = report_figures(conn, ReportQuery(date(2026, 3, 1), date(2026, 3, 9)))["feedback"]
        today_ninth = report_figures(conn, march(today=date(2026, 3, 9)))["feedback"]
    for fb in (to_ninth, today_ninth):
        assert fb["overdue_now"] == 1  # only February's complaint (due 02-27)
    # Simple notes that are answered or whose 7 days are over by the 9th: 03-02 (answered in 3
    # days) and 03-03 (answered, in 11); 03-06's week is not over.
    for fb in (to_ninth, today_ninth):
        assert fb["within"]["simple"] == {"days": 7, "n": 2, "answered_within": 1, "pct": 50.0}
