"""Crash safety (issue 9): the app killed with SIGKILL at random moments during bursts of ticket
issues, calls, completions and voice-box notes keeps every record it acknowledged, exactly once,
and its queue consistent, on its own SQLite store and as a node of a central PostgreSQL database.

The worker (``crash_worker.py``) prints a record only after the call returned, i.e. once the
visitor saw the ticket or receipt, or the counter saw the call. After every kill the store is
checked before the next process (already started and warm) opens it; a request the kill cut short
is replayed by the next process with the same request key, as a visitor tapping again would.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from tests.core.conftest import postgres_url  # noqa: F401  (a fresh central database per test)

WORKER = Path(__file__).with_name("crash_worker.py")
ACTIVE = "('called', 'serving')"


@dataclass
class Ledger:
    """What the killed processes acknowledged, and what was in flight when they died."""

    tickets: dict[str, tuple[int, str]] = field(default_factory=dict)
    """request key -> (id, number) shown to the visitor"""
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """request key -> (receipt, PIN) shown to the visitor"""
    called: dict[int, int] = field(default_factory=dict)
    """ticket id -> the counter it was called to"""
    completed: set[int] = field(default_factory=set)
    kills: int = 0
    cut_mid_request: int = 0
    retried: int = 0
    replay: list[str] = field(default_factory=list)
    """The request the last process was killed in (``KIND:KEY``): the next one (after the last kill, the
    test) replays it."""

    def read(self, output: str) -> list[str]:
        """Record one process's acknowledgements; returns the request it was killed in (to replay)."""
        pending: tuple[str, str] | None = None
        lines = output.split("\n")[:-1]  # a line the kill cut in half was not seen: not acknowledged
        for line in lines:
            word = line.split()
            if not word or word[0] in ("ready", "up"):
                continue
            if word[0] == "pending":
                pending = (word[1], word[2])
            elif word[0] == "ticket":
                ticket_id, number, key = int(word[1]), word[2], word[3]
                assert self.tickets.setdefault(key, (ticket_id, number)) == (ticket_id, number), key
                pending = None
            elif word[0] == "note":
                receipt, pin, key = word[1], word[2], word[3]
                assert self.notes.setdefault(key, (receipt, pin)) == (receipt, pin), key
                pending = None
            elif word[0] == "called":
                self.called[int(word[1])] = int(word[3])
            elif word[0] == "completed":
                self.completed.add(int(word[1]))
        if pending is None:
            return []
        self.cut_mid_request += 1
        return [f"{pending[0]}:{pending[1]}"]


def queue_problems(conn: Connection, *, local: bool) -> list[str]:
    """Every way the queue could be inconsistent, as rows found (empty: consistent)."""
    checks = {
        "a number given twice on one day": (
            "SELECT business_day, number FROM tickets GROUP BY business_day, number HAVING count(*) > 1"
        ),
        "two visitors called to one counter": (
            f"SELECT counter FROM tickets WHERE status IN {ACTIVE} GROUP BY counter HAVING count(*) > 1"
        ),
        "a called visitor without a counter": (
            f"SELECT id FROM tickets WHERE status IN {ACTIVE} AND (counter IS NULL OR called_at IS NULL)"
        ),
        "a waiting visitor held by a counter": (
            "SELECT id FROM tickets WHERE status = 'waiting' AND counter IS NOT NULL"
        ),
        "a waiting visitor moved in the line": (
            "SELECT id FROM tickets WHERE status = 'waiting' AND no_show_count = 0 AND queued_at <> issued_at"
        ),
        "a completed visit without its time": (
            "SELECT id FROM tickets WHERE status = 'completed' AND completed_at IS NULL"
        ),
    }
    if local:  # the node's own store keeps its events and numbering; the centre's come from every node
        checks["a ticket without exactly one 'issued' record"] = (
            "SELECT t.id FROM tickets t LEFT JOIN events e ON e.ticket_id = t.id AND e.kind = 'ticket.issued' "
            "GROUP BY t.id HAVING count(e.id) <> 1"
        )
        checks["a skipped or repeated number"] = (
            "SELECT t.service_code, t.business_day FROM tickets t JOIN day_sequences d "
            "ON d.prefix = t.service_code AND d.business_day = t.business_day "
            "GROUP BY t.service_code, t.business_day, d.last_seq "
            "HAVING count(*) <> d.last_seq OR max(t.seq) <> d.last_seq OR count(DISTINCT t.seq) <> count(*)"
        )
    problems = []
    for what, sql in checks.items():
        rows = conn.execute(text(sql)).fetchall()
        if rows:
            problems.append(f"{what}: {rows[:5]}")
    return problems


def acknowledged_problems(conn: Connection, ledger: Ledger, *, by_id: bool) -> list[str]:
    """Acknowledged records missing, duplicated or changed."""
    problems = []
    tickets = {
        key: (ticket_id, number, status, counter)
        for ticket_id, number, key, status, counter in conn.execute(
            text("SELECT id, number, request_key, status, counter FROM tickets")
        )
    }
    for key, (ticket_id, number) in ledger.tickets.items():
        row = tickets.get(key)
        if row is None or row[1] != number or (by_id and row[0] != ticket_id):
            problems.append(f"ticket {number} ({key}) shown to a visitor: stored as {row}")
    status_of = {row[0]: (row[2], row[3]) for row in tickets.values()}
    for ticket_id, counter in ledger.called.items():
        if by_id and status_of.get(ticket_id, ("", None)) not in {
            (s, counter) for s in ("called", "serving", "completed")
        }:
            problems.append(f"ticket {ticket_id} called to counter {counter}: stored as {status_of.get(ticket_id)}")
    for ticket_id in ledger.completed:
        if by_id and status_of.get(ticket_id, ("",))[0] != "completed":
            problems.append(f"ticket {ticket_id} completed: stored as {status_of.get(ticket_id)}")
    notes: dict[str, str] = dict(conn.execute(text("SELECT request_key, receipt FROM feedback")).fetchall())
    counts: dict[str, int] = dict(
        conn.execute(text("SELECT request_key, count(*) FROM feedback GROUP BY request_key")).fetchall()
    )
    for key, (receipt, _pin) in ledger.notes.items():
        if notes.get(key) != receipt or counts.get(key) != 1:
            problems.append(f"receipt {receipt} ({key}) shown to a visitor: stored as {notes.get(key)}")
    return problems


def sqlite_integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def _spawn(data_dir: Path, seed: int, node: tuple[str, ...]) -> subprocess.Popen[str]:
    with (data_dir.parent / f"worker-{seed}.err").open("w") as errors:  # read if it dies on its own
        return subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), str(seed), *node],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )


def run_kills(
    data_dir: Path,
    rounds: int,
    seed: int,
    check: Callable[[Ledger], None],
    node: tuple[str, ...] = (),
) -> Ledger:
    """Start, burst, kill -9, check; ``rounds`` times, the next process warming up meanwhile."""
    rng = random.Random(seed)
    ledger = Ledger()
    spare = _spawn(data_dir, seed * 1000, node)
    for n in range(rounds):
        proc = spare
        assert proc.stdin is not None and proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.stdin.write(" ".join(["go", *ledger.replay]) + "\n")
        proc.stdin.flush()
        ledger.retried += len(ledger.replay)
        spare = _spawn(data_dir, seed * 1000 + n + 1, node)  # imports while this one works
        early = rng.random() < 0.15
        if early:  # while it opens the store
            time.sleep(rng.uniform(0.0, 0.02))
            first = ""
        else:
            first = proc.stdout.readline()
            time.sleep(rng.uniform(0.02, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        output = first + proc.stdout.read()
        proc.wait()
        errors = (data_dir.parent / f"worker-{seed * 1000 + n}.err").read_text()
        assert proc.returncode == -signal.SIGKILL, output[-300:] + errors[-3000:]
        ledger.kills += 1
        ledger.replay = ledger.read(output)
        check(ledger)
    spare.kill()
    spare.wait()
    return ledger


def test_every_acknowledged_record_survives_kill_9_and_the_queue_stays_consistent(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    config = load_config(demo=True, data_dir=data_dir, env={})
    bootstrap(config).close()  # the store exists: the kills land on its use, not its creation
    db = data_dir / "demo.sqlite3"
    engine = create_engine(f"sqlite:///{db}")

    def check(ledger: Ledger) -> None:
        assert sqlite_integrity(db) == "ok"
        with engine.connect() as conn:
            problems = queue_problems(conn, local=True) + acknowledged_problems(conn, ledger, by_id=True)
        assert problems == [], f"after kill {ledger.kills}: {problems}"

    ledger = run_kills(data_dir, rounds=60, seed=20261201, check=check)
    assert ledger.kills >= 50
    assert len(ledger.tickets) > 100 and len(ledger.notes) > 30 and len(ledger.completed) > 30
    assert ledger.cut_mid_request > 0 and ledger.retried + len(ledger.replay) == ledger.cut_mid_request

    app = bootstrap(config)
    try:
        assert app.feedback is not None
        for receipt, pin in ledger.notes.values():  # the visitor's receipt and PIN still work
            assert app.feedback.status(receipt, pin).status == "received"
        for key, (_id, number) in list(ledger.tickets.items())[-5:]:  # a tap replayed: the same ticket
            assert app.queue.issue_ticket("A", request_key=key).number == number
        for request in ledger.replay:  # the request the last kill cut: tapped again, stored once
            kind, key = request.split(":", 1)
            if kind == "ticket":
                ledger.tickets[key] = (t := app.queue.issue_ticket("B", request_key=key)).id, t.number
            else:
                r = app.feedback.submit("complaint", f"대기실이 춥습니다 {key}", request_key=key)
                ledger.notes[key] = r.receipt, r.pin
        with engine.connect() as conn:
            assert acknowledged_problems(conn, ledger, by_id=True) == []
        for counter in range(1, 5):  # every counter is free or serving exactly one visitor
            current = app.queue.counter(counter).current
            if current is not None:
                app.queue.complete(current.id)
        # The line goes on in the order the screens showed it: priority first, then by arrival.
        shown = {s: [t.number for t in app.queue.queue(s)] for s in "ABC"}
        called: list[str] = []
        while True:
            calls = [app.queue.call_next(c, finish_current=True) for c in range(1, 5)]
            if all(t is None for t in calls):
                break
            called += [t.number for t in calls if t is not None]
        for service, numbers in shown.items():
            assert [n for n in called if n.startswith(f"{service}-")] == numbers, service
        assert app.queue.queue() == []
    finally:
        app.close()
        engine.dispose()


@pytest.mark.postgres
def test_a_node_killed_mid_burst_loses_nothing_at_the_centre(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    data_dir = tmp_path / "node"
    config = replace(
        load_config(demo=True, data_dir=data_dir, env={}),
        central_url=postgres_url,
        node_id="k1",
        node_tag="K1",
        feedback_key_file=data_dir / "feedback.key",
    )
    bootstrap(config).close()  # central schema, services and counters, the node's store
    central = create_engine(postgres_url)
    db = data_dir / "demo.sqlite3"

    def check(ledger: Ledger) -> None:
        assert sqlite_integrity(db) == "ok"
        with central.connect() as conn:
            problems = queue_problems(conn, local=False)
        assert problems == [], f"after kill {ledger.kills}: {problems}"

    ledger = run_kills(data_dir, rounds=20, seed=20261202, check=check, node=(postgres_url, "k1"))
    assert ledger.kills >= 20 and len(ledger.tickets) > 20 and len(ledger.notes) > 5

    app = bootstrap(config)  # sends whatever the node kept while it could not reach the centre
    try:
        assert app.sync is not None and app.sync.run_once().pending == 0
    finally:
        app.close()
    with central.connect() as conn:
        problems = queue_problems(conn, local=False) + acknowledged_problems(conn, ledger, by_id=False)
    central.dispose()
    assert problems == []
