"""Schema upgrades through Alembic, on SQLite and PostgreSQL alike (``kiosk db upgrade``).

Every start checks the schema, so the check is cheap: one query for the current revision and a
scan of the migration files for the head. Alembic itself (about a tenth of a second to import)
is loaded only when there is something to upgrade.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_ONE_AT_A_TIME = threading.Lock()
"""Alembic keeps the running migration in module globals (``op``, ``context``): one per process."""
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision(engine: Engine | None = None) -> str | None:
    """The newest revision among the migration files (the one nothing revises)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        values = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        revision = values.get("revision", "None").strip("'\"")
        if revision != "None":
            revisions.add(revision)
        for parent in re.findall(r"['\"]([^'\"]+)['\"]", values.get("down_revision", "")):
            parents.add(parent)
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"migrations have several heads: {sorted(heads)}")
    return next(iter(heads), None)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if value is None else str(value)


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the schema to ``revision``; a no-op when it is already there. Returns the new revision."""
    head = head_revision()
    if revision == "head" and current_revision(engine) == head:
        return head
    from alembic import command

    cfg = alembic_config(engine)
    with _ONE_AT_A_TIME, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Several nodes starting at once against a new central database: one migrates, the rest wait.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72410001)")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine)
