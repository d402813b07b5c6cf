"""Queue latency through ``QueueService`` on a real SQLite file (WAL, ``synchronous=FULL``).

    .venv/bin/pytest bench --benchmark-only

The store is the one ``kiosk --demo`` uses: ``load_config(demo=True)`` in a scratch folder, then
``bootstrap()`` (migrations, services, counters open). Targets (issue 2): issuing a ticket median
≤ 10 ms; calling the next visitor with 10,000 waiting median ≤ 5 ms. p99 is printed at the end
of the run (pytest-benchmark has no percentile column). Timing is reported, never asserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config

WAITING = 10_000


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    application = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}))
    yield application
    application.close()


def test_issue_ticket(benchmark: BenchmarkFixture, app: App, percentiles: Callable[[BenchmarkFixture], None]) -> None:
    """One ticket as the kiosk issues it: committed with its event row, position and wait computed.

    The line grows by one ticket per round (to ~310), as on a busy morning.
    """
    result = benchmark.pedantic(lambda: app.queue.issue_ticket("A"), rounds=300, warmup_rounds=10)
    assert result.status == "waiting"
    percentiles(benchmark)


def test_call_next_with_10000_waiting(
    benchmark: BenchmarkFixture, app: App, percentiles: Callable[[BenchmarkFixture], None]
) -> None:
    """Counter 1 calls the next visitor while 10,000 tickets wait (every 50th one elderly).

    The 10,000 are real rows, issued one by one through ``issue_ticket`` before timing starts.
    Each timed round is exactly one ``call_next(1)``. Between rounds, outside the timing
    (pedantic ``setup``), the visitor called in the previous round is completed and one
    ordinary replacement ticket is issued, so every round starts with exactly 10,000 waiting
    and counter 1 free. The first ~200 rounds call the elderly visitors (absolute priority),
    the rest ordinary ones: both paths are in the figures.
    """
    q = app.queue
    for i in range(WAITING):
        q.issue_ticket("ABC"[i % 3], "elderly" if i % 50 == 0 else None)

    def setup() -> tuple[tuple[()], dict[str, object]]:
        current = q.counter(1).current
        if current is not None:
            q.complete(current.id)
            q.issue_ticket("A")
        assert sum(q.board().waiting.values()) == WAITING
        return (), {}

    called = benchmark.pedantic(lambda: q.call_next(1), setup=setup, rounds=200, warmup_rounds=5)
    assert called is not None
    assert len(q.queue()) == WAITING - 1
    percentiles(benchmark)
