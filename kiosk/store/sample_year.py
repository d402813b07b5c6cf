"""A seeded, realistic year of one facility for the performance report (issue 8): tests and benchmarks.

    .venv/bin/python -m kiosk.store.sample_year --data-dir DIR [--tickets N] [--year 2025] [--seed 15]

The demo facility: services A/B/C, counters 1–4, open 09:00–18:00 (Seoul) on weekdays, a lunch
peak (12–13 h), ~10 % priority visitors who wait less, ~3 % no-shows (called, never came: expired
with ``no_show_count = 1``), service times by service. Alongside: voice-box notes (some answered
late, some delayed with a new date, a few still open) and survey answers for ~20 % of visits.

Rows go straight into the store's tables with Core ``INSERT``s in batches (``executemany``), not
through the services: a year is written in seconds, and the figures do not depend on the path.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

from kiosk.store.models import CounterRow, EventRow, FeedbackRow, SatisfactionRow, ServiceRow, TicketRow

SERVICES = {"A": 240.0, "B": 360.0, "C": 540.0}
"""Service code -> mean service time in seconds."""
SERVICE_WEIGHTS = [0.55, 0.3, 0.15]
COUNTERS = (1, 2, 3, 4)
REASONS = ("disabled", "elderly", "pregnant", "infant")
REASON_WEIGHTS = [0.3, 0.5, 0.1, 0.1]
CATEGORIES = ("praise", "proposal", "suggestion", "complaint", "misconduct")
CATEGORY_WEIGHTS = [0.25, 0.15, 0.2, 0.37, 0.03]
SEOUL = timedelta(hours=9)
"""Seoul is UTC+9 all year (no daylight saving)."""
# Arrival weight of each opening hour 09..17 (Seoul): a morning rush and the lunch peak.
HOUR_WEIGHTS = [1.0, 1.3, 1.2, 1.8, 1.5, 1.2, 1.1, 1.0, 0.7]
BATCH = 10_000
TEAMS = ("민원팀", "시설운영팀", "고객지원팀")
PEOPLE = ("kim-seoyeon", "lee-junho", "park-jimin", "choi-yuna", "jung-minsu", "han-soyoung", "oh-daehyun")
"""The demo seat chart's people, whose presence changes through the year."""
HAPPY = (0.5, 0.3, 0.1, 0.06, 0.04)
UNHAPPY = (0.05, 0.15, 0.3, 0.3, 0.2)
"""Rating weights (5 down to 1) of visitors whose question was resolved, and of the others."""


def business_days(year: int) -> list[date]:
    day, out = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def ensure_facility(engine: Engine) -> None:
    """The demo services and counters, when the store does not have them yet (a bare migrated store)."""
    with engine.begin() as conn:
        have = set(conn.execute(select(ServiceRow.code)).scalars())
        missing = [{"code": c, "name_ko": c, "name_en": c} for c in SERVICES if c not in have]
        if missing:
            conn.execute(insert(ServiceRow), missing)
        numbers = set(conn.execute(select(CounterRow.number)).scalars())
        extra = [{"number": n} for n in COUNTERS if n not in numbers]
        if extra:
            conn.execute(insert(CounterRow), extra)


def _tickets(rng: random.Random, days: list[date], total: int, facility: str) -> Iterator[tuple[dict[str, Any], bool]]:
    """Ticket rows, and whether the visitor answered the survey."""
    per_day = total / len(days)
    made = 0
    for index, day in enumerate(days):
        # Spread the rest evenly over the days left, with ±15 % day-to-day noise.
        target = (
            round((total - made) / (len(days) - index) * rng.uniform(0.85, 1.15))
            if index < len(days) - 1
            else total - made
        )
        target = max(0, min(target, total - made, round(per_day * 2)))
        opening = datetime(day.year, day.month, day.day, tzinfo=UTC) - SEOUL + timedelta(hours=9)
        seqs = dict.fromkeys(SERVICES, 0)
        hours = rng.choices(range(9), HOUR_WEIGHTS, k=target)
        arrivals = sorted(hour * 3600 + rng.uniform(0, 3600) for hour in hours)
        day_rows: list[tuple[dict[str, Any], bool]] = []
        for offset in arrivals:
            service = rng.choices(tuple(SERVICES), SERVICE_WEIGHTS)[0]
            seqs[service] += 1
            priority = rng.random() < 0.10
            hour = int(offset // 3600)
            queued = opening + timedelta(seconds=offset)
            # Busier hours wait longer; priority visitors go to the head of the line.
            mean_wait = 120.0 if priority else 420.0 * HOUR_WEIGHTS[hour]
            called = queued + timedelta(seconds=rng.expovariate(1 / mean_wait))
            counter = rng.choice(COUNTERS)
            no_show = rng.random() < 0.03
            row: dict[str, Any] = {
                "number": f"{service}{seqs[service]:03d}",
                "seq": seqs[service],
                "service_code": service,
                "priority": rng.choices(REASONS, REASON_WEIGHTS)[0] if priority else None,
                "priority_rank": 0 if priority else 1,
                "business_day": day.isoformat(),
                "issued_at": queued,
                "queued_at": queued,
                "counter": counter,
                "called_at": called,
                "recall_count": 1 if no_show else 0,
                "facility": facility,
            }
            row["first_called_at"] = called
            if no_show:
                # Called, recalled, not there: back to the line, called again, gone (the kiosk's
                # no-show rule: the second no-show expires the ticket and clears its call).
                row |= {
                    "status": "expired",
                    "called_at": None,
                    "started_at": None,
                    "completed_at": called + timedelta(minutes=rng.uniform(4, 15)),
                    "no_show_count": 2,
                }
            else:
                started = called + timedelta(seconds=rng.uniform(10, 60))
                serve = max(30.0, rng.lognormvariate(0, 0.5) * SERVICES[service] / 1.13)
                row |= {
                    "status": "completed",
                    "started_at": started,
                    "completed_at": started + timedelta(seconds=serve),
                    "no_show_count": 0,
                }
            made += 1
            day_rows.append((row, not no_show and rng.random() < 0.2))
        _priority_first(rng, [r for r, _ in day_rows])
        yield from day_rows


def _priority_first(rng: random.Random, rows: list[dict[str, Any]]) -> None:
    """The kiosk calls priority visitors first (S6): a priority visitor's call comes before that
    of any ordinary visitor of the service who arrived later, except for a rare few (0.3 %, a
    transfer or a visitor who stepped out) that the report must catch."""
    later: dict[str, datetime] = {}
    for row in sorted(rows, key=lambda r: r["issued_at"], reverse=True):
        service, first = row["service_code"], row["first_called_at"]
        first_later = later.get(service)
        if row["priority_rank"] == 0:
            if first_later is not None and first > first_later and rng.random() > 0.003:
                called = max(
                    row["issued_at"] + timedelta(seconds=5), first_later - timedelta(seconds=rng.uniform(1, 30))
                )
                shift = called - first
                for key in ("first_called_at", "called_at", "started_at", "completed_at"):
                    if row[key] is not None:
                        row[key] += shift
        elif first_later is None or first < first_later:
            later[service] = first


def _answer(rng: random.Random, ticket: dict[str, Any]) -> dict[str, Any]:
    resolved = rng.random() < 0.85
    return {
        "facility": ticket["facility"],
        "at": ticket["completed_at"] + timedelta(seconds=20),
        "business_day": ticket["business_day"],
        "service_code": ticket["service_code"],
        "counter": ticket["counter"],
        "resolved": None if rng.random() < 0.05 else resolved,
        "rating": rng.choices(
            (5, 4, 3, 2, 1), (0.5, 0.3, 0.1, 0.06, 0.04) if resolved else (0.05, 0.15, 0.3, 0.3, 0.2)
        )[0],
    }


def _feedback(rng: random.Random, days: list[date], facility: str) -> Iterator[dict[str, Any]]:
    last = days[-1]
    n = 0
    for day in days:
        for _ in range(rng.choices((0, 1, 2, 3), (0.3, 0.35, 0.25, 0.1))[0]):
            n += 1
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            received = datetime(day.year, day.month, day.day, 2, tzinfo=UTC) + timedelta(minutes=rng.randrange(480))
            due = None if category == "praise" else day + timedelta(days=14 if category == "proposal" else 7)
            new_due = None
            delayed = None
            status, answered = "received", None
            fate = rng.random()
            if due is not None:
                if fate < 0.80:
                    answered = received + timedelta(days=rng.uniform(0.5, (due - day).days))
                elif fate < 0.90:
                    answered = received + timedelta(days=(due - day).days + rng.uniform(1, 10))
                else:
                    new_due = due + timedelta(days=7)
                    # Most delays are recorded (and told to the visitor) by D-1; some only on the day.
                    told = (due - day).days - (1 if rng.random() < 0.85 else 0) - rng.randrange(3)
                    delayed = received + timedelta(days=max(0, told), hours=rng.uniform(0, 5))
                    answered = received + timedelta(days=(new_due - day).days - rng.uniform(0, 3))
                if answered.date() > last:
                    answered = None
                    status = "delayed" if new_due else "assigned"
                else:
                    status = "answered"
            yield {
                "receipt": f"{day:%Y%m%d}-{n:05d}",
                "category": category,
                "text": "…",
                "received_at": received,
                "received_on": day,
                "status": status,
                "handling": None if due is None else ("review" if category == "proposal" else "simple"),
                "due": due,
                "new_due": new_due,
                "answered_at": answered,
                "delay_reason": "자료 확인 중" if new_due else "",
                "delayed_at": delayed,
                "team": "" if due is None else rng.choice(TEAMS),
                "facility": facility,
                "pin_hash": "x",
                "updated_at": answered or received,
                "history": [],
            }


def _presence(rng: random.Random, days: list[date]) -> Iterator[dict[str, Any]]:
    """Presence changes of the demo office's people (``seat_chart/service-center.toml``): a day
    of leave now and then, site visits and meetings, each back to "present" afterwards."""
    for day in days:
        opening = datetime(day.year, day.month, day.day, tzinfo=UTC) - SEOUL + timedelta(hours=9)
        for person in PEOPLE:
            roll = rng.random()
            if roll < 0.04:
                spells = [(-3600.0, 10 * 3600.0, "leave")]  # from before opening to after closing
            elif roll < 0.40:
                start = rng.uniform(0, 8 * 3600)
                spells = [(start, start + rng.uniform(1800, 7200), rng.choice(("away", "meeting")))]
            else:
                spells = []
            for start, end, state in spells:
                for at, now in ((start, state), (end, "present")):
                    yield {
                        "at": opening + timedelta(seconds=at),
                        "kind": "presence.changed",
                        "actor": person,
                        "data": {"staff": person, "state": now},
                    }


def _batched(rows: list[dict[str, Any]], engine: Engine, table: Any) -> None:
    for start in range(0, len(rows), BATCH):
        with engine.begin() as conn:
            conn.execute(insert(table), rows[start : start + BATCH])


def generate(
    engine: Engine,
    *,
    tickets: int = 150_000,
    year: int = 2025,
    seed: int = 15,
    facility: str = "hanbit",
    days: list[date] | None = None,
) -> dict[str, int]:
    """Write a year (or ``days``) of ``tickets`` tickets, notes, survey answers and presence changes
    into a migrated store; returns the counts."""
    rng = random.Random(seed)
    ensure_facility(engine)
    days = business_days(year) if days is None else days
    ticket_rows: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    for row, answered in _tickets(rng, days, tickets, facility):
        ticket_rows.append(row)
        if answered:
            answers.append(_answer(rng, row))
    notes = list(_feedback(rng, days, facility))
    changes = list(_presence(rng, days))
    _batched(ticket_rows, engine, TicketRow.__table__)
    _batched(answers, engine, SatisfactionRow.__table__)
    _batched(notes, engine, FeedbackRow.__table__)
    _batched(changes, engine, EventRow.__table__)
    return {"tickets": len(ticket_rows), "answers": len(answers), "notes": len(notes), "presence": len(changes)}


def seed_recent(engine: Engine, today: date, *, weeks: int = 12, facility: str = "hanbit") -> dict[str, int]:
    """The demo's history: the ``weeks`` before ``today`` (about 600 visitors a weekday), written once,
    so the report screen has something to show; nothing when the store already has an earlier day."""
    with engine.connect() as conn:
        earlier = conn.execute(select(TicketRow.id).where(TicketRow.business_day < today.isoformat()).limit(1)).first()
    if earlier is not None:
        return {}
    days = [today - timedelta(days=n) for n in range(weeks * 7, 0, -1)]
    days = [d for d in days if d.weekday() < 5]
    return generate(engine, tickets=600 * len(days), facility=facility, days=days)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="the demo store's folder (created)")
    parser.add_argument("--tickets", type=int, default=150_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)

    from kiosk.bootstrap import bootstrap
    from kiosk.config import load_config

    app = bootstrap(load_config(demo=True, data_dir=args.data_dir, env={}), sync_on_start=False)
    try:
        counts = generate(app.engine, tickets=args.tickets, year=args.year, seed=args.seed)
    finally:
        app.close()
    print(counts)


if __name__ == "__main__":
    main()
