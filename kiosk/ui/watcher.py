"""Notice changes made by other processes (the CLI, another kiosk) on the same store.

Polls the event log's high-water mark; the query is an index lookup (well under a millisecond),
so a 250 ms poll keeps the calling board within a second of any call without loading anything.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.services.queue import QueueService


class QueueWatcher(QObject):
    sig_changed = Signal(int)
    """The queue changed; carries the new change marker."""

    def __init__(self, queue: QueueService | None, interval_ms: int = 250, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue = queue
        self.marker = -1
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def set_queue(self, queue: QueueService) -> None:
        self._queue = queue

    def poll(self) -> None:
        if self._queue is None:
            return
        try:
            marker = self._queue.change_marker()
        except Exception:  # a locked or missing store must not kill the screen; try next tick
            return
        if marker != self.marker:
            self.marker = marker
            self.sig_changed.emit(marker)
