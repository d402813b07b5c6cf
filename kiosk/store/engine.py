"""Engines for the embedded SQLite store and PostgreSQL.

SQLite is tuned for a kiosk that may lose power at any moment: WAL, ``synchronous=FULL``
(a committed ticket survives a crash), foreign keys on, a busy timeout. Writers take the
write lock up front (``BEGIN IMMEDIATE``) because SQLite ignores ``SELECT ... FOR UPDATE``:
two processes calling "next" are serialised instead of both reading the same ticket.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

WRITE = {"kiosk_write": True}


def make_engine(url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """An engine for ``url``. Never called at import time; ``bootstrap()`` owns it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})
        _tune_sqlite(engine, busy_timeout_ms)
        return engine
    # A central database that went away must fail fast (the node then works offline), not hang.
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": 3})


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("kiosk_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
