"""Central database and sync figures (issue 4), printed as a table for the README.

    .venv/bin/python bench/bench_sync.py

Needs the PostgreSQL server on 127.0.0.1:5432 (database ``test`` for administration); each part
runs on a throw-away database. Measures:

- 10,000 changes recorded offline (real tickets issued on a node whose centre is unreachable)
  pushed to the central database: total time;
- 20 counter processes calling concurrently against the central database (call next + complete,
  through the service layer), calls per second and double calls; beside it the same work as two
  bare psycopg statements per call (``FOR UPDATE SKIP LOCKED``);
- issuing a ticket online (node → central): median and p95 over 300 tickets.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.bootstrap import bootstrap
from kiosk.config import Config, CounterConfig, load_config

ADMIN = os.environ.get("KIOSK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COUNTERS = 20
SECONDS = 5.0


def new_database() -> str:
    name = f"kiosk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def node_config(data_dir: Path, central: str, node: str) -> Config:
    config = load_config(demo=True, data_dir=data_dir, env={})
    counters = tuple(CounterConfig(n, f"직원{n}", f"Staff {n}") for n in range(1, COUNTERS + 1))
    return replace(config, central_url=central, node_id=node, node_tag=node.upper(), counters=counters)


def bench_push(tmp: Path) -> tuple[float, int]:
    central = new_database()
    try:
        cfg = node_config(tmp / "push", central.replace("127.0.0.1:5432", "127.0.0.1:9"), "k1")
        offline = bootstrap(cfg)
        for i in range(10_000):
            offline.queue.issue_ticket("ABC"[i % 3], "elderly" if i % 9 == 0 else None)
        offline.close()
        node = bootstrap(replace(cfg, central_url=central), sync_on_start=False)
        assert node.sync is not None
        node.sync.prepare, prepare = None, node.sync.prepare  # schema first: not part of the push time
        assert prepare is not None
        prepare()
        pending = node.sync.status().pending
        t0 = time.perf_counter()
        node.sync.push()
        elapsed = time.perf_counter() - t0
        node.close()
        return elapsed, pending
    finally:
        drop_database(central)


def _wait_for_start(ready: Any, start: Any) -> float:
    """Every process is up and connected before the clock starts (start-up is not the benchmark)."""
    ready.put(1)
    while start.value == 0:
        time.sleep(0.001)
    while time.time() < start.value:
        time.sleep(0.0005)
    return float(start.value)


def _counter_worker(central: str, data_dir: str, counter: int, ready: Any, start: Any, out: Any) -> None:
    app = bootstrap(node_config(Path(data_dir), central, f"c{counter}"))
    q = app.queue
    q.counter(counter)  # the connection is open
    calls = 0
    end = _wait_for_start(ready, start) + SECONDS
    while time.time() < end:
        ticket = q.call_next(counter)
        if ticket is None:
            break
        q.complete(ticket.id)
        calls += 1
    out.put(calls)
    app.close()


def _bare_worker(central: str, counter: int, ready: Any, start: Any, out: Any) -> None:
    import psycopg

    conn = psycopg.connect(central.replace("postgresql+psycopg", "postgresql"), autocommit=False)
    calls = 0
    end = _wait_for_start(ready, start) + SECONDS
    while time.time() < end:
        with conn.transaction():
            row = conn.execute(
                "UPDATE tickets SET status = 'called', counter = %s, called_at = now() WHERE id = ("
                " SELECT id FROM tickets WHERE status = 'waiting' ORDER BY priority_rank, queued_at, id"
                " FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id",
                (counter,),
            ).fetchone()
        if row is None:
            break
        with conn.transaction():
            conn.execute("UPDATE tickets SET status = 'completed', completed_at = now() WHERE id = %s", (row[0],))
        calls += 1
    out.put(calls)
    conn.close()


def _fill(central: str, n: int, day: str) -> None:
    engine = create_engine(central)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tickets (number, seq, service_code, priority, priority_rank, status, business_day,"
                " issued_at, queued_at, recall_count, no_show_count, request_key)"
                " SELECT chr(65 + g % 3) || '-' || lpad(g::text, 5, '0'), g, chr(65 + g % 3),"
                " CASE WHEN g % 5 = 0 THEN 'elderly' END, CASE WHEN g % 5 = 0 THEN 0 ELSE 1 END, 'waiting',"
                " :day, now() - interval '1 hour' + g * interval '1 ms',"
                " now() - interval '1 hour' + g * interval '1 ms',"
                " 0, 0, md5(g::text) FROM generate_series(1, :n) AS g"
            ),
            {"n": n, "day": day},
        )
    engine.dispose()


def bench_counters(tmp: Path, bare: bool) -> tuple[float, int, int]:
    central = new_database()
    try:
        setup = bootstrap(node_config(tmp / f"setup{bare}", central, "setup"))
        for n in range(1, COUNTERS + 1):
            setup.queue.open_counter(n, ["A", "B", "C"], actor="bench")
        day = setup.queue.today()
        setup.close()
        _fill(central, 40_000, day)
        ctx = mp.get_context("spawn")
        out, ready, start = ctx.Queue(), ctx.Queue(), ctx.Value("d", 0.0)
        procs = [
            ctx.Process(target=_bare_worker, args=(central, n, ready, start, out))
            if bare
            else ctx.Process(target=_counter_worker, args=(central, str(tmp / f"c{n}"), n, ready, start, out))
            for n in range(1, COUNTERS + 1)
        ]
        for p in procs:
            p.start()
        for _ in procs:
            ready.get(timeout=300)
        start.value = time.time() + 0.5
        total = sum(out.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(30)
        engine = create_engine(central)
        with engine.connect() as conn:
            doubles = conn.execute(
                text("SELECT count(*) FROM (SELECT ticket_id FROM events WHERE kind = 'ticket.called'"
                     " GROUP BY ticket_id HAVING count(*) > 1) d")
            ).scalar_one()
            called = conn.execute(text("SELECT count(*) FROM tickets WHERE status <> 'waiting'")).scalar_one()
        engine.dispose()
        assert called == total, (called, total)
        return total / SECONDS, int(doubles), total
    finally:
        drop_database(central)


def bench_issue(tmp: Path, rounds: int = 300) -> tuple[float, float]:
    central = new_database()
    try:
        node = bootstrap(node_config(tmp / "issue", central, "k1"))
        times = []
        for i in range(rounds + 20):
            t0 = time.perf_counter()
            node.queue.issue_ticket("ABC"[i % 3])
            times.append((time.perf_counter() - t0) * 1000)
        node.close()
        times = sorted(times[20:])
        return statistics.median(times), times[int(0.95 * len(times)) - 1]
    finally:
        drop_database(central)


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        push_s, pushed = bench_push(tmp)
        ours, doubles, ours_total = bench_counters(tmp, bare=False)
        bare, _, bare_total = bench_counters(tmp, bare=True)
        median, p95 = bench_issue(tmp)
    print("| measure | target | result |")
    print("|---|---|---|")
    print(f"| push {pushed:,} offline changes to the central database | ≤ 5 s | {push_s:.2f} s |")
    print(
        f"| {COUNTERS} counters calling concurrently (call next + complete, service layer) | ≥ 300 calls/s, "
        f"0 double calls | {ours:.0f} calls/s ({ours_total} in {SECONDS:.0f} s), {doubles} double calls |"
    )
    print(f"| the same with two bare psycopg statements per call | — | {bare:.0f} calls/s ({bare_total}) |")
    print(
        f"| issue a ticket online (node → central, loopback) | median ≤ 20 ms "
        f"| median {median:.1f} ms, p95 {p95:.1f} ms |"
    )


if __name__ == "__main__":
    main()
