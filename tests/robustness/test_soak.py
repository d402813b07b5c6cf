"""Soak (issue 9), a short day: ``bench/soak.py`` runs the full 10-hour one for the README.

A node lives two simulated hours on an injected clock (600 visitors, four counters with recalls and
no-shows, voice-box notes answered, staff stepping away, a sync every simulated minute, the centre
dropping out twice); afterwards every count reconciles at the centre, nothing was logged as an
error, and memory stayed flat after the warm-up. One day is lived once and read by every test here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from tests.pgdb import create_database, drop_database, required

BENCH = Path(__file__).resolve().parents[2] / "bench" / "soak.py"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_soak_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def soak() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def day(soak: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The short day, on a fresh central database (the ``postgres_url`` fixture's way, once per module)."""
    try:
        central = create_database()
    except OperationalError as exc:
        if required():
            pytest.fail(f"PostgreSQL is required here but unreachable: {exc}")
        pytest.skip("PostgreSQL not reachable (set KIOSK_REQUIRE_POSTGRES=1 to make this a failure)")
    try:
        result = soak.soak(hours=2.0, tickets=600, workdir=tmp_path_factory.mktemp("soak"), central_url=central)
        print(result.table())
        yield result
    finally:
        drop_database(central)


def test_every_count_reconciles_at_the_centre(day: Any) -> None:
    assert day.problems == []  # issued = completed + no-shows + waiting; notes; presence; outbox empty
    assert day.issued == 600 and day.dropouts == 2
    assert day.offline_tickets > 0  # visitors kept getting tickets while the centre was away
    assert day.answered > 0 and day.presence_changes > 0


def test_nothing_is_logged_as_an_error(day: Any) -> None:
    assert day.errors == []


def test_memory_stays_flat_after_the_warm_up(day: Any, soak: ModuleType) -> None:
    assert day.growth_mb < soak.MAX_GROWTH_MB


def test_no_counter_is_left_busy_by_a_drop_out(day: Any) -> None:
    assert day.anomalies == []
