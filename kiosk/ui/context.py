"""What every screen shares: the queue API, configuration, language, operations, watcher."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.config import Config
from kiosk.i18n import error_message, tr
from kiosk.services.queue import QueueService
from kiosk.ui.operations import Operations
from kiosk.ui.watcher import QueueWatcher


class UiContext(QObject):
    sig_ready = Signal()
    """The store is open: screens shown before it (the kiosk, at start-up) can load their data."""

    sig_language_changed = Signal(str)
    """The visitor switched language ("ko" or "en"); screens re-translate their texts."""

    def __init__(
        self, queue: QueueService | None, config: Config, parent: QObject | None = None, poll_ms: int = 250
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self.config = config
        self.lang = config.language
        self.ops = Operations(self)
        self.watcher = QueueWatcher(queue, poll_ms, self)
        # A local write is seen at once, without waiting for the next poll.
        self.ops.sig_changed.connect(self.watcher.poll)

    @property
    def ready(self) -> bool:
        return self._queue is not None

    @property
    def queue(self) -> QueueService:
        if self._queue is None:
            raise RuntimeError("the store is not open yet")
        return self._queue

    def attach(self, queue: QueueService) -> None:
        """The store finished opening (in the background at start-up): tell every screen."""
        self._queue = queue
        self.watcher.set_queue(queue)
        self.sig_ready.emit()

    def tr(self, key: str, /, **params: Any) -> str:  # type: ignore[override]
        """The text for ``key`` in the visitor's current language (not Qt's ``QObject.tr``)."""
        return tr(key, self.lang, **params)

    def error_text(self, error: BaseException) -> str:
        from kiosk.domain.errors import KioskError

        if isinstance(error, KioskError):
            return error_message(error, self.lang)
        return tr("error.error", self.lang)

    def set_language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.sig_language_changed.emit(lang)

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "ko" else "ko")

    def facility(self) -> str:
        return self.config.facility(self.lang)
