"""What every screen shares: the queue API, configuration, language, operations, watcher, sync status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.accessibility.modes import Mode, Modes
from kiosk.config import Config
from kiosk.i18n import error_message, tr
from kiosk.services.auth import StaffAuth
from kiosk.services.chart import ChartService
from kiosk.services.feedback import FeedbackService
from kiosk.services.queue import QueueService
from kiosk.services.report import ReportService
from kiosk.services.survey import SurveyService
from kiosk.ui.operations import Operations
from kiosk.ui.voice import Speaker
from kiosk.ui.watcher import QueueWatcher


class UiContext(QObject):
    sig_ready = Signal()
    """The store is open: screens shown before it (the kiosk, at start-up) can load their data."""

    sig_modes_changed = Signal(object)
    """The visitor switched accessibility modes (the new ``Modes``); screens restyle and re-layout."""

    sig_language_changed = Signal(str)
    """The visitor switched language ("ko" or "en"); screens re-translate their texts."""

    sig_sync_status = Signal(dict)
    """A sync run with the central database ended: the node's status as plain data (``online``,
    ``pending``, ``last_sync`` ISO time, ...; ``SyncStatus.as_dict()``), delivered on the UI thread."""

    sig_sync_progress = Signal(int, int)
    """A catch-up is sending the node's pending changes: (sent, total), delivered on the UI thread."""

    sig_printer_status = Signal(object)
    """This kiosk's ticket printer changed state (a ``PrinterStatus``), delivered on the UI thread."""

    _sig_printer_in = Signal(object)
    """``report_printer`` from the spooler's thread; relayed to ``sig_printer_status`` here."""

    _sig_sync_status_in = Signal(object)
    """``report_sync`` from any thread; relayed to ``sig_sync_status`` on the UI thread."""

    _sig_sync_progress_in = Signal(int, int)
    """``report_sync_progress`` from any thread; relayed to ``sig_sync_progress`` on the UI thread."""

    def __init__(
        self,
        queue: QueueService | None,
        config: Config,
        parent: QObject | None = None,
        poll_ms: int = 250,
        *,
        charts: ChartService | None = None,
        feedback: FeedbackService | None = None,
        survey: SurveyService | None = None,
        reports: ReportService | None = None,
        auth: StaffAuth | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self.charts = charts
        """The seat chart and presence (``None``: this store has no chart service)."""
        self.feedback = feedback
        """The customer voice box (``None``: not available on this store)."""
        self.survey = survey
        """Satisfaction answers after a visit (``None``: not available)."""
        self.reports = reports
        """The service performance report (``None``: not available on this store)."""
        self.auth = auth
        """Staff sign-in (``None``: the store is not open yet; staff screens then cannot sign anyone in)."""
        self.read_only: dict[str, Any] | None = None
        """Set when an upgrade failed: the previous data, read-only (path, revision, kept, reason)."""
        self.config = config
        self.lang = config.language
        self.modes = config.modes
        self._speaker: Speaker | None = None
        self.ops = Operations(self)
        self.watcher = QueueWatcher(queue, poll_ms, self)
        # A local write is seen at once, without waiting for the next poll.
        self.ops.sig_changed.connect(self.watcher.poll)
        # Sync reports come from the sync thread: always queued to this object's (the UI) thread.
        # The context must therefore be created on the UI thread, like every screen.
        self.sync_status: dict[str, Any] | None = None
        """The last sync status reported (``None``: no central database, or no run yet)."""
        self.sync_progress: tuple[int, int] | None = None
        """(sent, total) of the catch-up under way, if any."""
        self.printer: Any = None
        """This kiosk's print spooler (``kiosk.printing.spool.PrintSpooler``), or ``None``: no printer."""
        self._sig_printer_in.connect(self._on_printer, Qt.ConnectionType.QueuedConnection)
        self._sig_sync_status_in.connect(self._on_sync_status, Qt.ConnectionType.QueuedConnection)
        self._sig_sync_progress_in.connect(self._on_sync_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def ready(self) -> bool:
        return self._queue is not None

    @property
    def queue(self) -> QueueService:
        if self._queue is None:
            raise RuntimeError("the store is not open yet")
        return self._queue

    def attach(
        self,
        queue: QueueService,
        charts: ChartService | None = None,
        feedback: FeedbackService | None = None,
        survey: SurveyService | None = None,
        reports: ReportService | None = None,
        auth: StaffAuth | None = None,
        read_only: dict[str, Any] | None = None,
    ) -> None:
        """The store finished opening (in the background at start-up): tell every screen."""
        self._queue = queue
        self.read_only = read_only
        if charts is not None:
            self.charts = charts
        if feedback is not None:
            self.feedback = feedback
        if survey is not None:
            self.survey = survey
        if reports is not None:
            self.reports = reports
        if auth is not None:
            self.auth = auth
        self.watcher.set_queue(queue)
        self.sig_ready.emit()

    def report_sync(self, status: dict[str, Any]) -> None:
        """The sync run ended with ``status`` (``SyncStatus.as_dict()``); safe to call from any thread."""
        self._sig_sync_status_in.emit(dict(status))

    def report_sync_progress(self, sent: int, total: int) -> None:
        """A catch-up sent ``sent`` of ``total`` changes; safe to call from any thread."""
        self._sig_sync_progress_in.emit(int(sent), int(total))

    def report_printer(self, status: Any) -> None:
        """The printer's state changed; safe to call from any thread (the spooler's worker)."""
        self._sig_printer_in.emit(status)

    @Slot(object)
    def _on_printer(self, status: Any) -> None:
        self.sig_printer_status.emit(status)
        if self._queue is not None:  # every counter console reads it from the store
            data = {
                "ok": bool(status.ok),
                "reason": str(status.reason),
                "paper_out": bool(status.paper_out),
                "cover_open": bool(status.cover_open),
                "online": bool(status.online),
            }
            queue = self._queue
            self.ops.run(lambda: queue.report_printer(self.config.node_id, data), lambda _r: None, lambda _e: None)

    @Slot(object)
    def _on_sync_status(self, status: dict[str, Any]) -> None:
        self.sync_status = status
        self.sync_progress = None  # the run is over, and its catch-up with it
        self.sig_sync_status.emit(status)

    @Slot(int, int)
    def _on_sync_progress(self, sent: int, total: int) -> None:
        self.sync_progress = (sent, total)
        self.sig_sync_progress.emit(sent, total)

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

    def set_modes(self, modes: Modes) -> None:
        if modes != self.modes:
            self.modes = modes
            self.sig_modes_changed.emit(modes)

    def toggle_mode(self, mode: Mode) -> None:
        self.set_modes(self.modes.toggled(mode))

    def reset_for_next_visitor(self) -> None:
        """Back to the facility's language, default modes and voice settings (a new visitor starts fresh)."""
        self.set_modes(self.config.modes)
        self.set_language(self.config.language)
        if self._speaker is not None:
            self._speaker.reset_settings()

    @property
    def speaker(self) -> Speaker:
        """The voice, started on first use (the engine starts on a thread; silence if missing)."""
        if self._speaker is None:
            self._speaker = Speaker(self, engine=self.config.speech_engine)
        return self._speaker

    def speak(self, text: str) -> None:
        """Say ``text`` if voice guidance is on (interrupting whatever is being said)."""
        if Mode.VOICE in self.modes:
            self.speaker.say(text, self.lang)

    def facility(self) -> str:
        return self.config.facility(self.lang)
