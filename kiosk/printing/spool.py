"""The print queue: the kiosk hands a job over and goes on; a worker thread prints it.

``submit`` only appends to a queue, so the UI thread never waits for a printer. The worker renders
the job at the printer's width and sends it. When the printer cannot print (offline, paper out,
cover open) the job stays at the head of the queue and is retried with a growing pause until the
printer is back, then the queue prints in the order the tickets were issued: a visitor's ticket is
never lost and never overtaken. Status changes go to listeners, called on the worker thread (the UI
relays them to its own thread).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Literal

from PIL import Image

from kiosk.printing.config import printer_from_config
from kiosk.printing.fonts import korean_fonts
from kiosk.printing.jobs import PrintJob
from kiosk.printing.render import render
from kiosk.printing.status import Printer, PrinterFault, PrinterStatus, offline

log = logging.getLogger(__name__)

JobState = Literal["queued", "printed", "failed", "unknown"]
StatusListener = Callable[[PrinterStatus], None]

UNCHECKED = PrinterStatus(online=True, reason="not checked yet")
BACK = PrinterStatus(online=True, reason="printing again")
BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0, 10.0)
"""Seconds between tries while the printer is at fault; the last one repeats."""
KEEP_STATES = 2000
"""Job states remembered (a busy day's tickets); older ones read as ``unknown``."""


@dataclass
class _Job:
    id: int
    job: PrintJob | Image.Image
    image: Image.Image | None = field(default=None, repr=False)


class PrintSpooler:
    """One printer's queue and worker. Construct, ``submit`` jobs, ``stop`` at shutdown."""

    def __init__(
        self,
        printer_factory: Callable[[], Printer],
        *,
        on_status: StatusListener | None = None,
        poll_seconds: float | None = 30.0,
        backoff: Sequence[float] = BACKOFF,
    ) -> None:
        """``printer_factory`` runs on the worker (again after it failed); ``poll_seconds`` asks an
        idle printer for its status so staff see "paper out" before the next ticket (``None``: never)."""
        korean_fonts()  # no Korean font is a startup error, not a queue of tickets that never print
        self._factory = printer_factory
        self._printer: Printer | None = None
        self._listeners: list[StatusListener] = [on_status] if on_status else []
        self._poll = poll_seconds
        self._backoff = tuple(backoff) or BACKOFF
        self._queue: deque[_Job] = deque()
        self._states: OrderedDict[int, JobState] = OrderedDict()
        self._ids = count(1)
        self._cond = threading.Condition()
        self._stopping = False
        self._wake = False
        self._busy = False
        self._status = UNCHECKED
        self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)
        self._thread.start()

    @classmethod
    def from_config(
        cls,
        table: Mapping[str, object] | None,
        *,
        on_status: StatusListener | None = None,
        poll_seconds: float | None = 30.0,
        backoff: Sequence[float] = BACKOFF,
    ) -> PrintSpooler | None:
        """The spooler for the ``[printer]`` table, or ``None`` when the kiosk has no printer
        (``PrinterConfigError`` for a table that cannot be used)."""
        printer = printer_from_config(table)
        if printer is None:
            return None
        return cls(lambda: printer, on_status=on_status, poll_seconds=poll_seconds, backoff=backoff)

    # -- the caller's side (any thread, never blocks on the printer) --------------------------

    def submit(self, job: PrintJob | Image.Image) -> int:
        """Queue ``job`` (a ticket, a receipt, or a raster already at the paper's width); its id."""
        with self._cond:
            if self._stopping:
                raise RuntimeError("the print spooler is stopped")
            job_id = next(self._ids)
            self._queue.append(_Job(job_id, job))
            self._remember(job_id, "queued")
            self._cond.notify_all()
        return job_id

    def add_listener(self, listener: StatusListener) -> None:
        """``listener(status)`` on every change, called on the worker thread."""
        with self._cond:
            self._listeners.append(listener)

    @property
    def status(self) -> PrinterStatus:
        """The printer's last known status (``ok``: a ticket submitted now comes out)."""
        return self._status

    def pending(self) -> int:
        """Jobs not printed yet, including one being printed."""
        with self._cond:
            return len(self._queue)

    def state(self, job_id: int) -> JobState:
        with self._cond:
            return self._states.get(job_id, "unknown")

    def retry_now(self) -> None:
        """Staff fixed the printer: try the waiting job at once instead of after the pause."""
        with self._cond:
            self._wake = True
            self._cond.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every job is printed (tests, the benchmark, an orderly shutdown)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def stop(self, timeout: float = 5.0) -> int:
        """Stop the worker (after the job in hand); the number of jobs left unprinted."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)
        with self._cond:
            left = len(self._queue)
        if left:
            log.warning("print spooler stopped with %d job(s) unprinted", left)
        return left

    # -- the worker ---------------------------------------------------------------------------

    def _remember(self, job_id: int, state: JobState) -> None:
        self._states[job_id] = state
        self._states.move_to_end(job_id)
        while len(self._states) > KEEP_STATES:
            self._states.popitem(last=False)

    def _publish(self, status: PrinterStatus) -> None:
        if status == self._status:
            return
        self._status = status
        if status.ok:
            log.info("printer ready %s", status.reason)
        else:
            log.warning("printer fault: %s", status.reason)
        with self._cond:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                log.exception("printer status listener failed")

    def _get_printer(self) -> Printer:
        if self._printer is None:
            try:
                self._printer = self._factory()
            except Exception as exc:
                raise PrinterFault(offline(f"printer not available: {exc}")) from exc
        return self._printer

    def _pause(self, seconds: float) -> None:
        """Sleep ``seconds`` unless stopped or woken by ``retry_now``."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while not (self._stopping or self._wake):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._wake = False

    def _check(self) -> None:
        try:
            self._publish(self._get_printer().status())
        except PrinterFault as fault:
            self._publish(fault.status)
        except Exception as exc:
            log.exception("printer status check failed")
            self._publish(offline(str(exc)))

    def _next(self) -> _Job | None:
        """The job at the head of the queue; while idle, poll the printer now and then."""
        with self._cond:
            while not self._queue and not self._stopping:
                if self._poll is None:
                    self._cond.wait()
                    continue
                interval = self._poll if self._status.ok else min(self._poll, 5.0)
                if not self._cond.wait(interval):
                    break  # idle long enough: poll (outside the lock)
            if self._stopping:
                return None
            if not self._queue:
                job = None
            else:
                job = self._queue[0]
                self._busy = True
        if job is None:
            self._check()
        return job

    def _run(self) -> None:
        if self._poll is not None:
            self._check()
        tries = 0
        while True:
            with self._cond:
                if self._stopping:
                    return
            job = self._next()
            if job is None:
                continue
            try:
                printer = self._get_printer()
                if job.image is None:
                    job.image = job.job if isinstance(job.job, Image.Image) else render(job.job, printer.paper_mm)
                printer.print_image(job.image)
            except PrinterFault as fault:
                self._publish(fault.status)
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
                self._pause(self._backoff[min(tries, len(self._backoff) - 1)])
                tries += 1
                continue
            except Exception:
                # Not a printer fault (a raster of the wrong width, a bug): retrying cannot help.
                log.exception("print job %d failed; dropped", job.id)
                outcome: JobState = "failed"
            else:
                outcome = "printed"
                tries = 0
                if not self._status.ok:
                    self._publish(BACK)
            with self._cond:
                if self._queue and self._queue[0] is job:
                    self._queue.popleft()
                self._remember(job.id, outcome)
                self._busy = False
                self._cond.notify_all()
