"""Run use cases off the UI thread, then tell every screen that something changed.

Like Anki's ``aqt/operations``: the database work happens in a worker thread, the result comes
back on the UI thread, and ``sig_changed`` lets each screen refresh only if it cares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.domain.errors import KioskError


class _Relay(QObject):
    sig_done = Signal(object, object, object)
    """(callback, result, error) delivered on the UI thread."""


class _Job(QRunnable):
    def __init__(self, relay: _Relay, fn: Callable[[], Any], callback: Callable[[Any, BaseException | None], None]):
        super().__init__()
        self._relay, self._fn, self._callback = relay, fn, callback

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except Exception as exc:  # delivered to the caller on the UI thread
            result, error = None, exc
        self._relay.sig_done.emit(self._callback, result, error)


class Operations(QObject):
    sig_changed = Signal()
    """A write finished: screens showing queue state should refresh."""

    sig_error = Signal(object)
    """A use case failed with this exception (``KioskError`` or anything unexpected)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer at a time keeps SQLite's write lock short
        self._relay = _Relay(self)
        self._relay.sig_done.connect(self._deliver)
        self.pending = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        changes: bool = True,
    ) -> None:
        """Run ``fn`` in the worker; call ``on_done(result)`` or ``on_error(exc)`` on the UI thread."""

        def callback(result: Any, error: BaseException | None) -> None:
            if error is not None:
                if on_error is not None:
                    on_error(error)
                self.sig_error.emit(error)
                return
            if on_done is not None:
                on_done(result)
            if changes:
                self.sig_changed.emit()

        self.pending += 1
        self._pool.start(_Job(self._relay, fn, callback))

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any, BaseException | None], None], result: Any, error: object) -> None:
        self.pending -= 1
        callback(result, error if isinstance(error, BaseException) else None)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the worker is idle (tests, shutdown)."""
        return self._pool.waitForDone(msecs)


def is_expected(error: BaseException) -> bool:
    """Errors with a message for people (as opposed to bugs)."""
    return isinstance(error, KioskError)
