"""Upgrading a node's SQLite store on start (issue 10): a backup copy first, the old data back if
the upgrade fails.

A kiosk is upgraded by installing a newer package and restarting; the new program migrates its
store with Alembic before it serves anyone. Before that, the file is copied whole with SQLite's
online backup (the WAL's pages included) to ``<store>.r<old revision>-<time>.bak`` beside it. If
any migration fails, the copy is written back over the store page by page, and the start is
refused with the reason and the backup's name: the previous data stays exactly as it was, for the
previous version of the program to run on again; nothing is served from a half-migrated store.
(``bootstrap`` then starts that data read-only: ``kiosk.store.readonly``.) Every start tries
again, since the obstacle may have been removed; the last ``KEEP`` backups are kept, and the
previous upgrade's copy, so neither upgrades nor repeated failures fill the disk.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from kiosk.domain.errors import StoreUnavailable
from kiosk.store import migrate

log = logging.getLogger(__name__)
KEEP = 3


def _copy(source: Path, target: Path) -> None:
    """``source`` into ``target`` with SQLite's backup API: consistent, WAL included."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backups(store: Path) -> list[Path]:
    """This store's upgrade backups, oldest first."""
    return sorted(store.parent.glob(f"{store.name}.r*.bak"), key=lambda p: p.stat().st_mtime_ns)


def _revision(backup: Path, store: Path) -> str:
    return backup.name[len(store.name) + 2 :].split("-", 1)[0]


def _prune(store: Path) -> None:
    """Backups beyond the last ``KEEP`` go, with any ``-wal``/``-shm`` a reader left beside them;
    the newest copy of another revision than the newest copy's stays whatever its age, so failed
    attempts repeated at every start never push out the copy the previous upgrade made."""
    found = backups(store)
    if not found:
        return
    latest = _revision(found[-1], store)
    previous = next((b for b in reversed(found) if _revision(b, store) != latest), None)
    for old in found[:-KEEP]:
        if old == previous:
            continue
        for path in (old, old.with_name(old.name + "-wal"), old.with_name(old.name + "-shm")):
            path.unlink(missing_ok=True)


def upgrade_with_backup(engine: Engine, store: Path, clock: Callable[[], datetime] = datetime.now) -> Path | None:
    """Migrate ``store`` to the head revision; returns the backup made (``None``: nothing to do).

    Raises ``StoreUnavailable`` (``problem="upgrade_failed"``) after putting the old data back.
    """
    before = migrate.current_revision(engine)
    if before is None or before == migrate.head_revision():
        migrate.upgrade(engine)  # a new store (nothing to keep), or already there
        return None
    backup = store.with_name(f"{store.name}.r{before}-{clock():%Y%m%d-%H%M%S}.bak")
    engine.dispose()
    _copy(store, backup)
    try:
        migrate.upgrade(engine)
    except Exception as exc:
        engine.dispose()
        _copy(backup, store)  # page by page over the store: exactly the data before the upgrade
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        _prune(store)  # every start tries again (the obstacle may be gone): the copies stay few
        log.error("store upgrade from %s failed (%s); the store is back as it was, copy %s", before, reason, backup)
        raise StoreUnavailable(
            reason=reason, problem="upgrade_failed", path=str(store), revision=before, kept=str(backup)
        ) from exc
    _prune(store)
    log.info("store upgraded from %s to %s; backup %s", before, migrate.current_revision(engine), backup)
    return backup
