"""Fixtures for sync tests: a fresh central PostgreSQL database, and a TCP proxy in front of it that can cut it off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.conftest import postgres_url  # noqa: F401  (a fresh central database per test)
from tests.sync.proxy import TcpProxy


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    p = TcpProxy("127.0.0.1", 5432)
    p.start()
    try:
        yield p
    finally:
        p.close()
