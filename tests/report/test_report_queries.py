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

from kiosk.store.engine import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.models import CounterRow, FeedbackRow, SatisfactionRow, ServiceRow, TicketRow
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
    (None, "A", 1500, None, "expired", 1),  # called, never came
    (None, "B", None, None, "waiting", 0),  # never called
]


def _at(day: str, hour: int = 3) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


# (category, received on, due, new due, answered on, status)
FEEDBACK: list[tuple[str, str, str | None, str | None, str | None, str]] = [
    ("complaint", "2026-03-02", "2026-03-09", None, "2026-03-05", "answered"),  # on time
    ("complaint", "2026-03-03", "2026-03-09", "2026-03-16", "2026-03-14", "answered"),  # on time (new due)
    ("proposal", "2026-03-04", "2026-03-16", None, "2026-03-20", "answered"),  # late
    ("praise", "2026-03-05", None, None, None, "received"),  # no deadline
    ("suggestion", "2026-03-06", "2026-03-09", None, None, "assigned"),  # open, overdue
    ("complaint", "2026-02-20", "2026-02-27", None, None, "delayed"),  # before the range, still overdue
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
                    "called_at": called,
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
                    "pin_hash": "x",
                    "updated_at": _at(received),
                }
                for i, (category, received, due, new_due, answered, status) in enumerate(FEEDBACK)
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

    sat = figures["satisfaction"]
    # resolved: yes, no, yes (one blank) -> 2/3; ratings 5 2 4 -> 11/3.
    assert sat["all"]["all"] == {"answers": 4, "resolved_share": 0.6667, "mean_rating": 3.667}
    assert sat["service"]["A"] == {"answers": 2, "resolved_share": 0.5, "mean_rating": 3.5}
    assert sat["service"]["B"] == {"answers": 2, "resolved_share": 1.0, "mean_rating": 4.0}
    assert sat["counter"]["3"] == {"answers": 2, "resolved_share": 1.0, "mean_rating": 4.0}


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield engine
    engine.dispose()


def test_figures_match_the_hand_computed_case_on_sqlite(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        check(report_figures(conn, "2026-03-01", "2026-03-31"))


@pytest.mark.postgres
def test_figures_match_the_hand_computed_case_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        seed(engine)
        with engine.connect() as conn:
            check(report_figures(conn, "2026-03-01", "2026-03-31"))
    finally:
        engine.dispose()


def test_a_range_without_the_day_reports_nothing_served(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    with sqlite_engine.connect() as conn:
        figures = report_figures(conn, "2026-03-03", "2026-03-31")
    assert figures["served"]["total"] == 0
    assert figures["waiting"]["all"] == {}
    assert figures["no_shows"]["share"] is None
