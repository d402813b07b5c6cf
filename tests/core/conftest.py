"""Fixtures for store tests: a throw-away PostgreSQL database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError

from tests.pgdb import ADMIN_URL, create_database, drop_database, required

__all__ = ["ADMIN_URL", "postgres_url"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the local server; dropped afterwards.

    In CI (``KIOSK_REQUIRE_POSTGRES=1``) a missing server fails the test instead of skipping it.
    """
    try:
        url = create_database()
    except OperationalError as exc:
        if required():
            pytest.fail(f"PostgreSQL is required here but unreachable: {exc}")
        pytest.skip("PostgreSQL not reachable (set KIOSK_REQUIRE_POSTGRES=1 to make this a failure)")
    try:
        yield url
    finally:
        drop_database(url)
