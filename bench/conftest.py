"""Benchmarks: Qt offscreen, and the p95/p99 lines pytest-benchmark's table does not show."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_PERCENTILES: list[str] = []


def _percentile(sorted_data: list[float], q: float) -> float:
    """Nearest-rank percentile: the value below which ``q`` of the rounds fall."""
    rank = max(1, min(len(sorted_data), round(q * len(sorted_data) + 0.5)))
    return sorted_data[rank - 1]


def _record(benchmark: BenchmarkFixture) -> None:
    stats = getattr(benchmark, "stats", None)
    if stats is None:  # benchmarks disabled
        return
    data = sorted(stats.stats.data)
    ms = {q: _percentile(data, q) * 1000 for q in (0.5, 0.95, 0.99)}
    benchmark.extra_info.update({"p95_ms": round(ms[0.95], 3), "p99_ms": round(ms[0.99], 3)})
    _PERCENTILES.append(
        f"{benchmark.name}: {len(data)} rounds, median {ms[0.5]:.2f} ms, "
        f"p95 {ms[0.95]:.2f} ms, p99 {ms[0.99]:.2f} ms, max {data[-1] * 1000:.2f} ms"
    )


@pytest.fixture
def percentiles() -> Callable[[BenchmarkFixture], None]:
    """Call with the benchmark fixture after ``benchmark(...)`` to report its p95/p99."""
    return _record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _PERCENTILES:
        terminalreporter.section("percentiles")
        for line in _PERCENTILES:
            terminalreporter.write_line(line)
