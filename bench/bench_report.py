"""The performance report's figures for one facility-year, on SQLite and PostgreSQL (issue 8: ≤ 2 s each).

    .venv/bin/python bench/bench_report.py [--tickets 150000] [--rounds 3]

A seeded year (``bench/report_year.py``) is written into the demo SQLite store in a temporary
folder and into a throw-away PostgreSQL database (created and dropped here, like the test
fixture), then every figure of ``kiosk.store.report_queries`` is computed for the whole year.
Prints the median of ``rounds`` runs per figure and in total, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine, create_engine, text

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config
from kiosk.domain.report import ReportQuery
from kiosk.domain.staff import Role, StaffUser
from kiosk.store import report_queries as rq
from kiosk.store.engine import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.sample_year import generate

ADMIN_URL = os.environ.get("KIOSK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
YEAR = 2025
FROM, TO = f"{YEAR}-01-01", f"{YEAR}-12-31"
FIGURES: dict[str, Callable[[Any, ReportQuery], Any]] = {
    "served": rq.visitors_served,
    "waiting": rq.waiting_times,
    "service time": rq.service_times,
    "no-shows": rq.no_shows,
    "priority first": rq.priority_first,
    "feedback": rq.feedback_figures,
    "satisfaction": rq.satisfaction_figures,
    "presence": rq.presence_coverage,
    "all figures": rq.report_figures,
}


def _time(engine: Engine, rounds: int, query: ReportQuery) -> tuple[dict[str, float], dict[str, Any]]:
    out: dict[str, float] = {}
    figures: dict[str, Any] = {}
    with engine.connect() as conn:
        rq.report_figures(conn, query)  # warm the cache: a report is asked of a running store
        for name, fn in FIGURES.items():
            samples = []
            for _ in range(rounds):
                start = time.perf_counter()
                result = fn(conn, query)
                samples.append(time.perf_counter() - start)
            out[name] = statistics.median(samples) * 1000
            if name == "all figures":
                figures = result
    return out, figures


def _query(app: App) -> ReportQuery:
    """The demo facility's query for the year: its hours, counters' teams and duties from its chart."""
    assert app.reports is not None
    return app.reports.query(date.fromisoformat(FROM), date.fromisoformat(TO))


def _sqlite(tickets: int, rounds: int) -> tuple[dict[str, float], dict[str, Any], float, ReportQuery, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}), sync_on_start=False)
        try:
            start = time.perf_counter()
            generate(app.engine, tickets=tickets, year=YEAR)
            seeded = time.perf_counter() - start
            with app.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            query = _query(app)
            timings, figures = _time(app.engine, rounds, query)
            # The whole service call, as the admin screen and `kiosk report` make it (audit row included).
            assert app.reports is not None
            admin = StaffUser("bench", Role.ADMIN)
            samples = []
            for _ in range(rounds):
                start = time.perf_counter()
                app.reports.report(admin, query.from_day, query.to_day)
                samples.append(time.perf_counter() - start)
            service_ms = statistics.median(samples) * 1000
        finally:
            app.close()
    return timings, figures, seeded, query, service_ms


def _postgres(tickets: int, rounds: int, query: ReportQuery) -> tuple[dict[str, float], dict[str, Any], float] | None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}".splitlines()[0])
        admin.dispose()
        return None
    engine = make_engine(ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        upgrade(engine)
        start = time.perf_counter()
        generate(engine, tickets=tickets, year=YEAR)
        seeded = time.perf_counter() - start
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        timings, figures = _time(engine, rounds, query)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return timings, figures, seeded


def _close(a: Any, b: Any) -> bool:
    """Equal, numbers within 0.01 (SQLite's time arithmetic keeps milliseconds, PostgreSQL's microseconds)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) <= 0.01
    return bool(a == b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    lite, lite_figures, lite_seed, query, service_ms = _sqlite(args.tickets, args.rounds)
    pg = _postgres(args.tickets, args.rounds, query)
    print(f"\n{args.tickets:,} tickets, {FROM}..{TO}; seeding took {lite_seed:.1f} s (SQLite)", end="")
    print(f", {pg[2]:.1f} s (PostgreSQL)" if pg else "")
    print("\n| figure | SQLite ms | PostgreSQL ms |\n|---|---:|---:|")
    for name, ms in lite.items():
        other = f"{pg[0][name]:.0f}" if pg else "—"
        print(f"| {name} | {ms:.0f} | {other} |")
    print(f"| report service call (SQLite, with audit row) | {service_ms:.0f} | — |")
    served, wait = lite_figures["served"], lite_figures["waiting"]
    print(
        f"\nserved {served['total']:,} ({served['by_class']}); wait median/p90/max "
        f"{wait['all']['all']['median']:.0f}/{wait['all']['all']['p90']:.0f}/{wait['all']['all']['max']:.0f} s; "
        f"no-shows {lite_figures['no_shows']['share']:.2%}; "
        f"feedback on time {lite_figures['feedback']['on_time_pct']} %, "
        f"overdue {lite_figures['feedback']['overdue_now']}; "
        f"priority first {lite_figures['priority_first']['share_pct']} %"
    )
    if pg:
        print(f"PostgreSQL figures equal SQLite's (within 0.01): {_close(pg[1], lite_figures)}")


if __name__ == "__main__":
    main()
