"""Fixtures for store tests: a throw-away PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

ADMIN_URL = os.environ.get("KIOSK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the local server; dropped afterwards.

    In CI (``KIOSK_REQUIRE_POSTGRES=1``) a missing server fails the test instead of skipping it.
    """
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("KIOSK_REQUIRE_POSTGRES") == "1" or os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required here but unreachable: {exc}")
        pytest.skip("PostgreSQL not reachable (set KIOSK_REQUIRE_POSTGRES=1 to make this a failure)")
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
