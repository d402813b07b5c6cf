"""Queue latency on a real SQLite file (WAL, synchronous=FULL): `pytest bench --benchmark-only`.

Targets (issue 2): issuing a ticket median ≤ 10 ms; call next with 10,000 waiting median ≤ 5 ms.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    application = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}))
    yield application
    application.close()


def test_issue_ticket(benchmark: BenchmarkFixture, app: App) -> None:
    """One committed ticket with its event row and the position/wait shown to the visitor."""
    result = benchmark.pedantic(lambda: app.queue.issue_ticket("A"), rounds=300, warmup_rounds=10)
    assert result.status == "waiting"


def test_call_next_with_10000_waiting(benchmark: BenchmarkFixture, app: App) -> None:
    """Each round calls one ticket at counter 1 out of 10,000 waiting (plus priority ones mixed in).

    Between rounds (outside the timing) the called ticket is completed and a replacement is issued,
    so every round sees the full 10,000-ticket line.
    """
    q = app.queue
    for i in range(10_000):
        q.issue_ticket("ABC"[i % 3], "elderly" if i % 50 == 0 else None)

    def setup() -> tuple[tuple[()], dict[str, object]]:
        current = q.counter(1).current
        if current is not None:
            q.complete(current.id)
            q.issue_ticket("A")
        return (), {}

    called = benchmark.pedantic(lambda: q.call_next(1), setup=setup, rounds=200, warmup_rounds=5)
    assert called is not None
    assert len(q.queue()) == 9_999
