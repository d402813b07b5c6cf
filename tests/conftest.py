"""Shared fixtures: a real SQLite store in a temporary directory, a controllable clock.

Qt runs offscreen by default (pytest-qt aborts without a display).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config, load_config
from kiosk.services.queue import QueueService


class Clock:
    """A clock tests move by hand; starts on a weekday morning in Seoul (01:00 UTC = 10:00 KST)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def demo_config(tmp_path: Path) -> Config:
    """The demo facility (3 services A/B/C, 4 counters, all open) on a fresh SQLite file."""
    return load_config(demo=True, data_dir=tmp_path / "data", env={})


@pytest.fixture
def app(demo_config: Config, clock: Clock) -> Iterator[App]:
    application = bootstrap(demo_config, clock=clock)
    yield application
    application.close()


@pytest.fixture
def queue(app: App) -> QueueService:
    return app.queue


@pytest.fixture
def closed_config(demo_config: Config) -> Config:
    """The demo facility's services and counters without opening the counters."""
    return replace(demo_config, demo=False)
