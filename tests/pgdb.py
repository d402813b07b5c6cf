"""Throw-away PostgreSQL databases on the local server, for tests and benchmarks alike."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

ADMIN_URL = os.environ.get("KIOSK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def create_database(prefix: str = "kiosk_test") -> str:
    """A fresh, empty database; its URL. ``OperationalError`` when the server is unreachable."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    finally:
        admin.dispose()


def required() -> bool:
    """In CI (``KIOSK_REQUIRE_POSTGRES=1``) a missing server fails a test instead of skipping it."""
    return os.environ.get("KIOSK_REQUIRE_POSTGRES") == "1" or os.environ.get("CI") == "true"
