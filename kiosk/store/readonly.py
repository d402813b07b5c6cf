"""The previous data, read-only, after a failed upgrade (issue 10).

When a new version cannot migrate a node's store, ``upgrade`` puts the old data back exactly as
it was. Rather than leave staff with a dead screen, the kiosk then starts on that data read-only:
the seat chart, the queue as it stood, a note's status, the report and the audit trail can all be
read, and nothing can change the store the previous version will need again.

Two things make the old data readable by the new program:

- **Shadow views.** The new models may name columns (or whole tables) that the old schema does not
  have yet. For each such table a ``TEMP VIEW`` of the same name is made on every connection; SQLite
  looks in ``temp`` before ``main``, so the ORM's plain ``SELECT``s read the old rows with the
  missing columns filled by their defaults (or ``NULL``), and a table the old schema lacks reads
  as empty.
- **query_only.** Every connection sets ``PRAGMA query_only``: SQLite itself refuses any write,
  whatever code path tries. A use case that writes fails with ``StoreReadOnly``, in words visitors
  and staff understand; nothing is half-done.

Staff must still sign in to read notes and reports, and every such read is audited. Those audit
entries cannot go into the store, so they go to an append-only spool file beside it
(``<store>.audit-spool.jsonl``) and are written into ``audit_log`` on the next start that upgrades
successfully (``replay_spool``). Failed PINs lock an account in memory for the same minutes.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.auth import Lockout
from kiosk.domain.errors import StoreReadOnly, StoreUnavailable
from kiosk.services.ports import FeedbackRecord
from kiosk.store.auth_repo import KEY_CHARS, SqlLockoutRepository
from kiosk.store.feedback_repo import SqlAuditLog, SqlFeedbackRepository
from kiosk.store.models import AuditRow, Base
from kiosk.store.uow import SqlUnitOfWork, SqlUnitOfWorkFactory

try:
    import fcntl
except ImportError:  # Windows: one kiosk process at a time there
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

_fallbacks: list[StoreUnavailable] = []
_fallbacks_lock = threading.Lock()


def note_fallback(problem: StoreUnavailable) -> None:
    """Remember that this process runs on the previous data read-only (the CLI tells staff)."""
    with _fallbacks_lock:
        _fallbacks.append(problem)


def fallbacks() -> list[StoreUnavailable]:
    """The failed upgrades this process fell back from, oldest first."""
    with _fallbacks_lock:
        return list(_fallbacks)


def spool_path(store: Path) -> Path:
    return store.with_name(f"{store.name}.audit-spool.jsonl")


# --- shadow views ---------------------------------------------------------------------------------


def _default_sql(column: Column[Any]) -> str:
    """The SQL literal a missing column reads as: its server default, else a plain scalar default."""
    server = column.server_default
    if server is not None and hasattr(server, "arg") and isinstance(server.arg, str):
        return "'" + server.arg.replace("'", "''") + "'"
    default = column.default
    arg = getattr(default, "arg", None) if default is not None else None
    if callable(arg) and getattr(arg, "__name__", "") in ("dict", "list"):
        return "'{}'" if arg.__name__ == "dict" else "'[]'"  # an empty JSON document, not NULL
    if isinstance(arg, bool):
        return "1" if arg else "0"
    if isinstance(arg, int | float):
        return repr(arg)
    if isinstance(arg, str):
        return "'" + arg.replace("'", "''") + "'"
    return "NULL"


def shadow_statements(existing: Mapping[str, set[str]], overrides: Mapping[str, str] | None = None) -> list[str]:
    """``CREATE TEMP VIEW`` statements that make the old schema ``existing`` (table -> its columns)
    read like the current models; tables that already match need none.

    ``overrides`` gives a missing column's value by name (``facility``: this node's id, which is
    what the upgrade would have stamped). An old table without a column that rows cannot lack
    (a primary key, a ``NOT NULL`` column without a default) is not one the models can read: it
    reads as empty, rather than as rows that cannot be loaded."""
    statements = []
    for table in Base.metadata.sorted_tables:
        have = existing.get(table.name)
        wanted = [c.name for c in table.columns]
        if have is not None and set(wanted) <= have:
            continue
        missing = [c for c in table.columns if have is None or c.name not in have]
        unreadable = any(
            c.primary_key or (not c.nullable and _default_sql(c) == "NULL" and c.name not in (overrides or {}))
            for c in missing
        )
        if have is not None and unreadable:
            log.warning("read-only store: the old table %s cannot be read by this version; it reads empty", table.name)
        parts = []
        for column in table.columns:
            name = f'"{column.name}"'
            if have is not None and column.name in have and not unreadable:
                parts.append(name)
            elif overrides and column.name in overrides:
                parts.append("'" + overrides[column.name].replace("'", "''") + f"' AS {name}")
            else:
                parts.append(f"{_default_sql(column)} AS {name}")
        source = f' FROM main."{table.name}"' if have is not None and not unreadable else " WHERE 0"
        statements.append(f'CREATE TEMP VIEW "{table.name}" AS SELECT {", ".join(parts)}{source}')
    return statements


def _existing_tables(dbapi_connection: Any) -> dict[str, set[str]]:
    cur = dbapi_connection.cursor()
    try:
        names = [r[0] for r in cur.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")]
        return {n: {r[1] for r in cur.execute(f'PRAGMA main.table_info("{n}")')} for n in names}
    finally:
        cur.close()


def make_read_only_engine(
    store: Path, *, busy_timeout_ms: int = 5000, overrides: Mapping[str, str] | None = None
) -> Engine:
    """An engine on ``store`` that reads the old schema through shadow views and writes nothing."""
    engine = create_engine(f"sqlite:///{store}", connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        for statement in shadow_statements(_existing_tables(dbapi_connection), overrides):
            cur.execute(statement)
        cur.execute("PRAGMA query_only=ON")  # from here SQLite refuses every write to the file
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")  # never BEGIN IMMEDIATE: that is a write under query_only

    return engine


# --- the audit spool and the lockout in memory ----------------------------------------------------


@dataclass
class AuditSpool:
    """Audit entries made while the store is read-only: one JSON line each, appended and fsynced.

    Each entry carries an ``id``, so a replay that is repeated (a crash between its commit and
    the file's removal, or an entry written twice, below) writes it once."""

    path: Path

    def append(self, entries: list[dict[str, Any]]) -> None:
        """Append ``entries`` (one ``write`` under an exclusive lock: lines of two processes never
        mix). If a replay claimed the file meanwhile, they are written again to the new file."""
        if not entries:
            return
        data = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in entries).encode("utf-8")
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        for _ in range(3):
            fd = os.open(self.path, flags, 0o600)  # who read which note is not for every account
            try:
                _lock(fd)
                os.write(fd, data)
                os.fsync(fd)
                claimed = _inode(self.path) != os.fstat(fd).st_ino  # renamed away by a replay
            finally:
                os.close(fd)  # the lock goes with it
            if not claimed:
                return

    def entries(self) -> list[dict[str, Any]]:
        return _read_entries(self.path)


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _read_entries(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    found = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            datetime.fromisoformat(entry["at"])
            if not isinstance(entry.get("action"), str) or not isinstance(entry.get("actor"), str):
                raise ValueError("no actor or action")
        except (ValueError, KeyError, TypeError):
            log.warning("audit spool %s: an unreadable line was skipped (a write cut short?)", path)
            continue
        found.append(entry)
    return found


class _SpooledAuditLog(SqlAuditLog):
    """The audit log of a read-only store: reads the store and the spool, adds to the spool."""

    def __init__(self, session: Session, spool: AuditSpool, pending: list[dict[str, Any]]) -> None:
        super().__init__(session)
        self._spool = spool
        self._pending = pending

    def add(
        self, *, at: datetime, actor: str, action: str, subject: str = "", data: Mapping[str, object] | None = None
    ) -> None:
        entry = {
            "id": uuid.uuid4().hex,
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "data": dict(data or {}),
        }
        self._pending.append(entry)

    def _spooled(self) -> list[tuple[datetime, str, str, str, dict[str, Any]]]:
        rows = [
            (datetime.fromisoformat(e["at"]), e["actor"], e["action"], e.get("subject", ""), dict(e.get("data") or {}))
            for e in self._spool.entries()
        ]
        return rows[::-1]  # newest first, like the store's

    def entries(
        self, subject: str | None = None, limit: int = 200
    ) -> list[tuple[datetime, str, str, str, dict[str, Any]]]:
        spooled = [r for r in self._spooled() if subject is None or r[3] == subject]
        return (spooled + super().entries(subject, limit))[:limit]

    def search(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 500,
    ) -> list[tuple[datetime, str, str, str, dict[str, Any]]]:
        spooled = [
            r
            for r in self._spooled()
            if (since is None or r[0] >= since)
            and (until is None or r[0] < until)
            and (actor is None or r[1] == actor)
            and (action is None or r[2] == action)
        ]
        stored = super().search(since=since, until=until, actor=actor, action=action, limit=limit)
        return sorted(spooled + stored, key=lambda r: r[0], reverse=True)[:limit]


class _MemoryLockout(SqlLockoutRepository):
    """Wrong PINs counted in memory (the store cannot take them); the store's locks still hold."""

    def __init__(self, session: Session, states: dict[str, Lockout]) -> None:
        super().__init__(session)
        self._states = states

    def get(self, user_id: str) -> Lockout:
        key = user_id[:KEY_CHARS]
        return self._states[key] if key in self._states else super().get(user_id)

    def save(self, user_id: str, state: Lockout, at: datetime) -> None:
        self._states[user_id[:KEY_CHARS]] = state

    def all(self) -> dict[str, Lockout]:
        return {**super().all(), **self._states}


class _MemoryPinFailures(SqlFeedbackRepository):
    """A note's wrong PINs counted in memory: the guess limit holds while nothing else can change."""

    def __init__(self, session: Session, states: dict[str, tuple[int, datetime | None]], params: dict[str, Any]):
        super().__init__(session)
        self._states = states
        self._params = params

    def get(self, receipt: str, *, for_update: bool = False) -> FeedbackRecord | None:
        record = super().get(receipt)
        if record is None or record.feedback.receipt not in self._states:
            return record
        failures, until = self._states[record.feedback.receipt]
        return replace(record, private=replace(record.private, pin_failures=failures, locked_until=until))

    def add(self, record: FeedbackRecord) -> None:
        raise StoreReadOnly(**self._params)

    def save(self, record: FeedbackRecord) -> None:
        stored = super().get(record.feedback.receipt)
        if stored is None:
            raise LookupError(record.feedback.receipt)
        bookkeeping = {"pin_failures", "locked_until", "updated_at"}
        same = stored.feedback == record.feedback and all(
            getattr(stored.private, f.name) == getattr(record.private, f.name)
            for f in fields(record.private)
            if f.name not in bookkeeping
        )
        if not same:  # an answer, a delay, a classification...: it could not be kept
            raise StoreReadOnly(**self._params)
        self._states[record.feedback.receipt] = (record.private.pin_failures, record.private.locked_until)


class _ReadOnlyUnitOfWork(SqlUnitOfWork):
    def __init__(self, factory: sessionmaker[Session], owner: ReadOnlyUnitOfWorkFactory) -> None:
        super().__init__(factory, journal=False, facility=owner.facility)
        self._owner = owner
        self._pending: list[dict[str, Any]] = []

    def __enter__(self) -> _ReadOnlyUnitOfWork:
        super().__enter__()
        self.audit = _SpooledAuditLog(self.session, self._owner.spool, self._pending)
        self.lockout = _MemoryLockout(self.session, self._owner.lockouts)
        self.feedback = _MemoryPinFailures(self.session, self._owner.pin_failures, self._owner.params)
        return self

    def translate(self, exc: DBAPIError) -> StoreUnavailable:
        """A write refused by ``query_only`` is ``StoreReadOnly``; any other fault (a lock) is itself."""
        fault = super().translate(exc)
        return StoreReadOnly(**self._owner.params) if "readonly" in str(fault.params["reason"]) else fault

    def commit(self) -> None:
        try:
            self.session.flush()  # any change to the store fails here: query_only
        except DBAPIError as exc:
            raise self.translate(exc) from exc
        try:
            with self._owner.spool_lock:
                self._owner.spool.append(self._pending)
        except OSError as exc:  # a read that cannot be audited does not happen
            raise StoreUnavailable(reason=f"{self._owner.spool.path}: {exc.strerror or exc}"[:200]) from exc
        self._pending.clear()


class ReadOnlyUnitOfWorkFactory(SqlUnitOfWorkFactory):
    """Units of work on the previous data after a failed upgrade: reads work, writes are refused."""

    def __init__(self, engine: Engine, store: Path, problem: StoreUnavailable, *, facility: str = "") -> None:
        super().__init__(engine, facility=facility)
        self._write = self._read  # no BEGIN IMMEDIATE: nothing is written to this store
        self.spool = AuditSpool(spool_path(store))
        self.spool_lock = threading.Lock()
        self.lockouts: dict[str, Lockout] = {}
        self.pin_failures: dict[str, tuple[int, datetime | None]] = {}
        self.params = {k: v for k, v in problem.params.items() if k in ("path", "revision", "kept", "reason")}

    def __call__(self, *, write: bool = False) -> SqlUnitOfWork:
        return _ReadOnlyUnitOfWork(self._read, self)


def replay_spool(store: Path, uow: SqlUnitOfWorkFactory) -> int:
    """Write the audit entries spooled during a read-only spell into ``audit_log``; returns how many.

    Runs on a start whose upgrade succeeded. The spool is first claimed by renaming it (so of two
    processes starting at once only one replays it), then its entries not yet in ``audit_log``
    (by their ``id``) are written, marked ``spooled``, and the claimed file is removed. A failure
    is logged and leaves the claimed file for the next start: the start itself goes on.
    """
    path = spool_path(store)
    claimed: list[Path] = []
    for candidate in [path, *sorted(store.parent.glob(f"{path.name}.replaying-*"))]:
        if not candidate.exists():
            continue
        target = path.with_name(f"{path.name}.replaying-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            os.replace(candidate, target)
        except FileNotFoundError:
            continue  # another process took it
        claimed.append(target)
    if not claimed:
        return 0
    try:
        entries: dict[str, dict[str, Any]] = {}
        for file in claimed:
            fd = os.open(file, os.O_RDONLY)
            try:
                _lock(fd)  # a writer that still had it open has finished
            finally:
                os.close(fd)
            for e in _read_entries(file):
                entries.setdefault(str(e.get("id") or uuid.uuid4().hex), e)
        written = _write_spooled(uow, entries)
    except Exception:
        log.exception("the audit spool %s could not be written to the audit log; kept for the next start", claimed)
        return 0
    for file in claimed:
        file.unlink(missing_ok=True)
    log.info("%d audit entries from the read-only spell written to the audit log", written)
    return written


def _write_spooled(uow: SqlUnitOfWorkFactory, entries: dict[str, dict[str, Any]]) -> int:
    if not entries:
        return 0
    times = [datetime.fromisoformat(e["at"]) for e in entries.values()]
    with uow(write=True) as work:
        rows = work.session.scalars(select(AuditRow.data).where(AuditRow.at >= min(times), AuditRow.at <= max(times)))
        done = {str(d.get("spool_id")) for d in rows if isinstance(d, dict) and d.get("spool_id")}
        written = 0
        for key, e in entries.items():
            if key in done:
                continue
            work.audit.add(
                at=datetime.fromisoformat(e["at"]),
                actor=str(e["actor"]),
                action=str(e["action"]),
                subject=str(e.get("subject", "")),
                data={**dict(e.get("data") or {}), "spooled": True, "spool_id": key},
            )
            written += 1
        work.commit()
    return written
