"""The SQLite store's health on start, before migrations touch it (issue 9).

A kiosk stands for years in a hall: its disk fills, its folder is made read-only by an update gone
wrong, its file is damaged by a power cut on failing hardware. Each of these is found here, on
start, and answered so that nothing is lost silently:

- a damaged file (not an SQLite header, or ``PRAGMA quick_check`` not ``ok``) is renamed aside,
  never deleted or overwritten (``demo.sqlite3.corrupt-20261130-101500``, with its ``-wal`` and
  ``-shm`` beside it), and a fresh store is started; staff are told which file was kept
  (``StoreRecovered``, kept in ``recoveries()`` for the CLI and the screens, and logged);
- a file or folder that cannot be written, or a disk too full to take a ticket, refuses the start
  with the reason (``StoreUnavailable`` with ``problem`` = ``read_only`` / ``disk_full`` /
  ``corrupt_kept`` and the path): the kiosk does not hand out tickets it cannot keep.

Only the standard library: the check runs before SQLAlchemy is needed, and costs a few
milliseconds on a day's store (``quick_check`` reads every page once).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.domain.errors import StoreUnavailable

log = logging.getLogger(__name__)

HEADER = b"SQLite format 3\x00"
MIN_FREE_BYTES = 4 * 1024 * 1024
"""Below this much free space a kiosk refuses to start: a day of tickets needs a few hundred KB,
and SQLite needs room for its write-ahead log; a full disk mid-issue is worse than a clear refusal."""
PROBE_BYTES = 64 * 1024
"""Written (and removed) in the store's folder on start: finds a read-only or full disk, a quota,
or a file-size limit, whatever the free-space figure says."""
FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
DAMAGED = {11, 26}
"""``SQLITE_CORRUPT`` and ``SQLITE_NOTADB``: the file itself is damaged (an I/O error is not)."""
SQLITE_FULL = 13


@dataclass(frozen=True)
class StoreRecovered:
    """The store file was damaged: kept aside as ``kept``, a fresh store started at ``path``."""

    path: Path
    kept: Path
    reason: str
    at: datetime

    def as_dict(self) -> dict[str, str]:
        return {"path": str(self.path), "kept": str(self.kept), "reason": self.reason, "at": self.at.isoformat()}


_recoveries: list[StoreRecovered] = []
_lock = threading.Lock()


def recoveries() -> list[StoreRecovered]:
    """Every damaged store this process kept aside (the CLI prints them, the screens show them)."""
    with _lock:
        return list(_recoveries)


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///...`` URL (``None`` for memory, or another database)."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or "mode=memory" in url:
        return None
    return Path(database)


def check_sqlite(url: str, *, clock: Callable[[], datetime] = datetime.now) -> StoreRecovered | None:
    """Check the store at ``url`` before it is opened; keep a damaged file aside (see the module).

    Raises ``StoreUnavailable`` (``problem``: ``read_only``, ``disk_full``, ``corrupt_kept``) when the
    kiosk cannot safely keep what it would be asked to record.
    """
    path = sqlite_path(url)
    if path is None:
        return None
    folder = path.parent
    if "mode=ro" in url:
        raise StoreUnavailable(reason="the store is opened read-only (mode=ro)", problem="read_only", path=str(path))
    _probe_folder(folder, path)
    _check_free(folder, path)
    if not path.exists():
        return None
    _probe_file(path)
    damage = _damage(path)
    if damage is None:
        return None
    return _keep_aside(path, damage, clock())


def _unavailable(exc: OSError, path: Path) -> StoreUnavailable:
    problem = "disk_full" if exc.errno in FULL else "read_only" if exc.errno in READ_ONLY else "io"
    return StoreUnavailable(reason=exc.strerror or str(exc), problem=problem, path=str(path))


def _probe_folder(folder: Path, path: Path) -> None:
    """Write and remove a small file where the store and its journal live."""
    probe = folder / f".{path.name}.probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            data = memoryview(b"\0" * PROBE_BYTES)
            while data:  # a short write is how a file-size limit first shows; the next one fails
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _unavailable(exc, folder) from exc
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the probe file %s", probe)


def _check_free(folder: Path, path: Path) -> None:
    try:
        free = shutil.disk_usage(folder).free  # statvfs on Linux, GetDiskFreeSpaceEx on Windows
    except OSError:
        return  # no figure here: the probe write stands for it
    if free < MIN_FREE_BYTES:
        raise StoreUnavailable(reason=f"only {free // 1024} KB free in {folder}", problem="disk_full", path=str(folder))


def _probe_file(path: Path) -> None:
    """Open the store for writing (nothing written): a read-only file or mount refuses here."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as exc:
        raise _unavailable(exc, path) from exc


def _damage(path: Path) -> str | None:
    """Why the file is not a sound SQLite store, or ``None``.

    Only what SQLite calls damage (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``, or ``quick_check`` findings)
    counts: a disk that fails or fills while the check reads is a store fault, refused as such.
    """
    with path.open("rb") as fh:
        head = fh.read(len(HEADER))
    if not head:
        return None  # an empty file: SQLite starts a store in it
    if head != HEADER:
        return "not an SQLite file (header)"
    db = None
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) in DAMAGED:
            return str(exc)
        problem = "disk_full" if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL else "io"
        raise StoreUnavailable(reason=str(exc), problem=problem, path=str(path)) from exc
    finally:
        if db is not None:
            db.close()
    result = [str(r[0]) for r in rows]
    return None if result == ["ok"] else "; ".join(result[:3])


def _keep_aside(path: Path, reason: str, now: datetime) -> StoreRecovered:
    """Rename the damaged store (and its journal files) aside; never delete, never overwrite."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while kept.exists():
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(kept.with_name(kept.name + suffix))
        path.rename(kept)
    except OSError as exc:
        raise StoreUnavailable(
            reason=f"damaged ({reason}) and cannot be kept aside: {exc.strerror or exc}",
            problem="corrupt_kept",
            path=str(path),
        ) from exc
    recovered = StoreRecovered(path=path, kept=kept, reason=reason, at=now)
    with _lock:
        _recoveries.append(recovered)
    log.warning("damaged store %s (%s) kept as %s; a fresh store was started", path, reason, kept)
    return recovered
