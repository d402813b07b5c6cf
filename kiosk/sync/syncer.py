"""Push the outbox to the central database, pull the central queue into the node's mirror.

Push: the oldest outbox rows, in batches, each applied centrally in one transaction together
with its idempotency key (node id + local sequence, ``ON CONFLICT DO NOTHING``); the rows are
deleted locally only after the central commit. A push that dies halfway (crash, cut connection)
resends the unacknowledged rows and the central inbox skips what already committed: nothing is
lost and nothing is applied twice.

Pull: the central tickets touched since the node's cursor (the central event id, re-read with an
overlap because ids are handed out before commit), written into the node's store unless the node
has unsent changes of its own for them. Seat charts and presence are small: every pull compares
them whole (a chart's document is fetched only when the central edit is not the one held here)
and writes what differs, again unless the node has unsent changes of its own for them. Notes of
the voice box changed since the same cursor (and the audit log's and the last purge's) come too,
so a kiosk cut off from the centre still shows a receipt holder the answer given elsewhere.

``BackgroundSync`` runs both on a thread, retrying with exponential backoff and jitter, and tells
the ``FailoverQueue`` when the node may go back online (only once everything offline is sent).
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from kiosk.domain.errors import StoreUnavailable
from kiosk.services.node import FailoverQueue
from kiosk.store import sync_store as ss
from kiosk.store.engine import WRITE

Progress = Callable[[int, int], None]
"""``progress(sent, total)`` during a long catch-up."""


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    duplicates: int
    pulled: int
    pending: int
    online: bool


@dataclass(frozen=True)
class SyncStatus:
    node_id: str
    online: bool
    pending: int
    lag_seconds: float | None
    """Age of the oldest change not yet on the central database (``None`` when nothing is pending)."""
    last_sync: str
    last_error: str
    cursor: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return (str(orig or exc).splitlines() or [""])[0][:200]


class Syncer:
    def __init__(
        self,
        local: Engine,
        central: Engine,
        node_id: str,
        queue: FailoverQueue | None = None,
        *,
        batch: int = 500,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        """``prepare`` runs once before the first successful sync (schema upgrade, configuration)."""
        self.prepare = prepare
        self.local = local
        self.local_write = local.execution_options(**WRITE)
        self.central = central
        self.node_id = node_id
        self.queue = queue
        self.batch = batch

    # -- the two directions -----------------------------------------------------------------
    def push(self, progress: Progress | None = None) -> tuple[int, int]:
        """Send every pending outbox row; returns (applied, duplicates skipped)."""
        applied = duplicates = 0
        with Session(self.local) as s:
            total = ss.pending_count(s)
            marked = ss.has_mark(s)
        if not marked:
            self._start_numbering()
        while True:
            with Session(self.local) as s:
                rows = [(r.id, r.kind, r.payload) for r in ss.pending(s, self.batch)]
            if not rows:
                return applied, duplicates
            with Session(self.central) as cs, cs.begin():
                a, d = ss.apply_batch(cs, self.node_id, rows)
            with Session(self.local_write) as s, s.begin():
                ss.acknowledge(s, [r[0] for r in rows])
            applied, duplicates = applied + a, duplicates + d
            if progress is not None:
                progress(applied + duplicates, max(total, applied + duplicates))

    def _start_numbering(self) -> None:
        """A store journalled before the acknowledged mark existed: number on from what the centre saw.

        Only while nothing is pending (the check and the mark in one local transaction, so no change
        is journalled in between); otherwise the first acknowledgement sets the mark.
        """
        with Session(self.central) as cs:
            seen = ss.central_seq(cs, self.node_id)
        with Session(self.local_write) as s, s.begin():
            if not ss.has_mark(s) and ss.pending_count(s) == 0:
                ss.set_mark(s, seen)

    def pull(self) -> int:
        """Bring the central queue, seat charts, presence and notes into this store; returns rows changed."""
        with Session(self.local) as s:
            cursor = int(ss.get_state(s, "cursor", "0") or 0)
            audit_cursor = int(ss.get_state(s, "feedback_audit_cursor", "0") or 0)
            purged = ss.get_state(s, "feedback_purged")
            have = ss.chart_heads(s)
        with Session(self.central) as cs:
            snaps, top = ss.changed_since(cs, cursor)
            counters = ss.counters_snapshot(cs)
            charts = ss.charts_snapshot(cs, have)
            people = ss.people_snapshot(cs)
            notes, audit_top, purged_mark = ss.feedback_changed_since(
                cs, cursor, audit_cursor, datetime.fromisoformat(purged) if purged else None
            )
        with Session(self.local_write) as s, s.begin():
            changed = ss.mirror(s, snaps, counters)
            changed += ss.mirror_charts(s, charts, people)
            changed += ss.mirror_feedback(s, notes)
            ss.set_state(s, "cursor", str(top))
            ss.set_state(s, "feedback_audit_cursor", str(audit_top))
            if purged_mark is not None:
                ss.set_state(s, "feedback_purged", purged_mark.isoformat())
        return changed

    def run_once(self, progress: Progress | None = None) -> SyncReport:
        """One full sync: push everything, pull, and bring the node back online if it was not."""
        try:
            if self.prepare is not None:
                self.prepare()
                self.prepare = None
            applied, duplicates = self.push(progress)
            pulled = self.pull()
        except StoreUnavailable:
            if self.queue is not None:
                self.queue.set_online(False)
            raise
        except (DBAPIError, OSError) as exc:
            self._note("last_error", f"{datetime.now(UTC).isoformat(timespec='seconds')} {_reason(exc)}")
            if self.queue is not None:
                self.queue.set_online(False)
            raise StoreUnavailable(reason=_reason(exc)) from exc
        with Session(self.local) as s:
            remaining = ss.pending_count(s)
        self._note("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
        online = remaining == 0
        if self.queue is not None and online:
            self.queue.set_online(True)
        return SyncReport(applied, duplicates, pulled, remaining, online)

    def _note(self, key: str, value: str) -> None:
        try:
            with Session(self.local_write) as s, s.begin():
                ss.set_state(s, key, value)
        except DBAPIError:
            pass  # the local store is busy; the note is only informative

    def probe(self) -> bool:
        """Whether the central database answers right now."""
        try:
            with self.central.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except (DBAPIError, OSError):
            return False

    def status(self, *, probe: bool = False) -> SyncStatus:
        """Pending changes, lag, last sync; ``probe`` asks the central database instead of the node's last view."""
        with Session(self.local) as s:
            pending = ss.pending_count(s)
            oldest = ss.oldest_pending(s)
            last_sync, last_error = ss.get_state(s, "last_sync"), ss.get_state(s, "last_error")
            cursor = int(ss.get_state(s, "cursor", "0") or 0)
        lag = None if oldest is None else max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        known = self.queue.online if self.queue is not None else pending == 0
        online = self.probe() if probe else known
        return SyncStatus(self.node_id, online, pending, lag, last_sync, last_error, cursor)


class BackgroundSync:
    """Runs ``Syncer.run_once`` on a thread: every ``interval`` seconds, backing off while it fails."""

    def __init__(
        self,
        syncer: Syncer,
        interval: float = 2.0,
        *,
        max_delay: float = 60.0,
        on_report: Callable[[SyncReport | None, SyncStatus], None] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.syncer = syncer
        self.interval = interval
        self.max_delay = max_delay
        self.on_report = on_report
        self.progress = progress
        self.failures = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def wake(self) -> None:
        """Sync now (e.g. right after a change), instead of at the next interval."""
        self._wake.set()

    def next_delay(self) -> float:
        """The interval, or after failures an exponential backoff with ±50 % jitter, capped."""
        if self.failures == 0:
            return self.interval
        return min(self.max_delay, self.interval * 2 ** min(self.failures, 10)) * random.uniform(0.5, 1.5)

    def _run(self) -> None:
        while not self._stop.is_set():
            report: SyncReport | None = None
            try:
                report = self.syncer.run_once(self.progress)
                self.failures = 0
            except StoreUnavailable:
                self.failures += 1
            except Exception:  # never let the sync thread die: the kiosk must keep working
                self.failures += 1
            if self.on_report is not None:
                with contextlib.suppress(Exception):
                    self.on_report(report, self.syncer.status())
            self._wake.wait(self.next_delay())
            self._wake.clear()
            time.sleep(0)
