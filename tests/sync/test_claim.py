"""On PostgreSQL call next is one SKIP LOCKED statement: it must call exactly whom the policy function names."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from kiosk.bootstrap import bootstrap
from kiosk.config import Config

pytestmark = pytest.mark.postgres


def test_one_statement_call_next_follows_the_priority_policy(postgres_url: str, demo_config: Config) -> None:
    app = bootstrap(replace(demo_config, database_url=postgres_url))
    q = app.queue
    rng = random.Random(7)
    handled = {1: ["A"], 2: ["B", "C"], 3: ["A", "B", "C"], 4: ["C"]}
    try:
        for n, codes in handled.items():
            q.open_counter(n, codes, actor="test")
        for _ in range(80):
            q.issue_ticket(rng.choice("ABC"), rng.choice(["elderly", None, None, None]))
        calls = 0
        while q.queue():
            n = rng.choice(list(handled))
            expected = next((t for t in q.queue() if t.service in handled[n]), None)  # the policy's order
            called = q.call_next(n)
            assert (called and called.number) == (expected and expected.number)
            if called is not None:
                q.complete(called.id)
                calls += 1
        assert calls == 80
    finally:
        app.close()
