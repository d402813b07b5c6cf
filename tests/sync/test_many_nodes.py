"""Separate processes, separate SQLite files, one central PostgreSQL database (runs in CI, never skipped)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
WORKER = str(ROOT / "tests" / "sync" / "node_worker.py")


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def prepare_central(tmp_path: Path, url: str) -> None:
    """The central database migrated, configured, and counters 1-3 open for every service."""
    config = load_config(demo=True, data_dir=tmp_path / "setup", env={})
    app = bootstrap(replace(config, central_url=url, node_id="setup"))
    for n in (1, 2, 3):
        app.queue.open_counter(n, ["A", "B", "C"], actor="test")
    app.close()


def test_two_kiosks_and_three_counters_share_one_queue(tmp_path: Path, postgres_url: str) -> None:
    prepare_central(tmp_path, postgres_url)
    done = tmp_path / "issuing-done"
    counters = [
        subprocess.Popen(
            [sys.executable, WORKER, "counter", str(tmp_path / f"c{n}"), postgres_url, f"c{n}", str(n), str(done)],
            env=env(),
        )
        for n in (1, 2, 3)
    ]
    kiosks = [
        subprocess.Popen(
            [sys.executable, WORKER, "kiosk", str(tmp_path / f"k{n}"), postgres_url, f"k{n}", "500", str(n)],
            env=env(),
        )
        for n in (1, 2)
    ]
    try:
        assert [k.wait(timeout=120) for k in kiosks] == [0, 0]
        done.touch()
        assert [c.wait(timeout=120) for c in counters] == [0, 0, 0]
    finally:
        for p in (*kiosks, *counters):
            if p.poll() is None:
                p.kill()

    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        tickets = conn.execute(
            text("SELECT id, number, service_code, priority_rank, status, issued_at, called_at FROM tickets")
        ).all()
        calls = conn.execute(
            text("SELECT ticket_id, count(*) FROM events WHERE kind = 'ticket.called' GROUP BY ticket_id")
        ).all()
    engine.dispose()
    assert len(tickets) == 1000
    assert len({(t.service_code, t.number) for t in tickets}) == 1000  # numbers unique across kiosks
    assert all(t.status == "completed" for t in tickets)
    assert len(calls) == 1000 and all(n == 1 for _, n in calls)  # every ticket called exactly once
    # At every call of an ordinary ticket, no priority ticket of that service was already waiting
    # (a small tolerance covers a priority ticket locked by another counter at that very moment).
    tolerance = timedelta(milliseconds=100)
    priority = [t for t in tickets if t.priority_rank == 0]
    assert len(priority) > 150
    violations = [
        (o.number, p.number)
        for o in tickets
        if o.priority_rank == 1
        for p in priority
        if p.service_code == o.service_code
        and p.issued_at + tolerance < o.called_at
        and p.called_at > o.called_at + tolerance
    ]
    assert violations == []


def test_a_kiosk_killed_in_the_middle_of_a_push_loses_and_duplicates_nothing(tmp_path: Path, postgres_url: str) -> None:
    prepare_central(tmp_path, postgres_url)
    config = load_config(demo=True, data_dir=tmp_path / "k1", env={})
    nowhere = postgres_url.replace("127.0.0.1:5432", "127.0.0.1:9")  # the centre is unreachable
    offline = bootstrap(replace(config, central_url=nowhere, node_id="k1", node_tag="K1"))
    for i in range(2000):
        offline.queue.issue_ticket("ABC"[i % 3], "elderly" if i % 7 == 0 else None)
    assert offline.sync is not None and offline.sync.status().pending == 2000
    offline.close()

    cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path / "k1"), "sync", "--json"]
    node_env = {**env(), "KIOSK_CENTRAL_URL": postgres_url, "KIOSK_NODE_ID": "k1", "KIOSK_NODE_TAG": "K1"}
    engine = create_engine(postgres_url)
    push = subprocess.Popen(cmd, env=node_env, stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        applied = 0
        while time.monotonic() < deadline and push.poll() is None:
            with engine.connect() as conn:
                applied = conn.execute(text("SELECT count(*) FROM sync_inbox")).scalar_one()
            if applied > 0:
                break
            time.sleep(0.005)
        assert applied > 0 and push.poll() is None, "the push finished before it could be interrupted"
        push.send_signal(signal.SIGKILL)
        push.wait(timeout=10)
    finally:
        if push.poll() is None:
            push.kill()
    with engine.connect() as conn:
        partial = conn.execute(text("SELECT count(*) FROM tickets")).scalar_one()
    assert 0 < partial < 2000  # it really died halfway

    again = subprocess.run(cmd, env=node_env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*), count(DISTINCT request_key) FROM tickets")).one()
        issued = conn.execute(text("SELECT count(*) FROM events WHERE kind = 'ticket.issued'")).scalar_one()
        inbox = conn.execute(text("SELECT count(*) FROM sync_inbox WHERE node_id = 'k1'")).scalar_one()
    engine.dispose()
    assert tuple(total) == (2000, 2000) and issued == 2000 and inbox == 2000
    status = subprocess.run([*cmd[:-2], "sync", "status", "--json"], env=node_env, capture_output=True, text=True)
    assert '"pending": 0' in status.stdout and '"online": true' in status.stdout
