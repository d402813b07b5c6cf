"""Start the screens for a role: kiosk (visitors), counter (staff), display (calling board), or all.

The kiosk paints its screen at once and opens the store on a background thread (importing the
database layer takes most of a cold start); its service buttons appear when the store is ready.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from kiosk.ui.theme import apply_app_font

if TYPE_CHECKING:
    from kiosk.services.auth import StaffSession
    from kiosk.ui.lockdown import Lockdown

ROLES = ("kiosk", "counter", "display", "chart", "survey", "report", "all")

Opened = QueueService | tuple[Any, ...]
"""What opening the store gives the screens: the queue, then (optional) the seat chart, voice box,
survey and report services, in ``UiContext.attach``'s order."""


def _kiosk(ctx: UiContext) -> QWidget:
    from kiosk.ui.kiosk_screen import KioskScreen

    return KioskScreen(ctx)


def _counter(ctx: UiContext, counter: int | None = None) -> QWidget:
    from kiosk.ui.console import CounterConsole

    numbers = [c.number for c in ctx.queue.counters()]
    return CounterConsole(ctx, counter or (numbers[0] if numbers else 1))


def _display(ctx: UiContext) -> QWidget:
    from kiosk.ui.board import CallingBoard

    return CallingBoard(ctx)


def _chart(ctx: UiContext) -> QWidget:
    from kiosk.ui.chart_screen import ChartScreen

    return ChartScreen(ctx)


def _survey(ctx: UiContext, counter: int | None = None) -> QWidget:
    """The counter-facing tablet's satisfaction question (S5), for one counter like the console."""
    from kiosk.ui.survey_screen import SurveyScreen

    numbers = [c.number for c in ctx.queue.counters()]
    return SurveyScreen(ctx, counter or (numbers[0] if numbers else 1))


def _report(ctx: UiContext) -> QWidget:
    """The service performance report (S15, S16) for administrators and the audit team."""
    from kiosk.ui.report_screen import ReportScreen

    return ReportScreen(ctx)


SCREENS: dict[str, tuple[str, Callable[[UiContext], QWidget]]] = {
    "kiosk": ("visitor", _kiosk),
    "counter": ("staff", _counter),
    "display": ("display", _display),
    "chart": ("visitor", _chart),
    "survey": ("visitor", _survey),
    "report": ("staff", _report),
}
"""Every screen the app can show, by role, with its audience. The accessibility audit walks this
registry, so a screen added here is audited without touching the tests."""


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Counter Kiosk")
        apply_app_font(app)
    return app


def build_windows(ctx: UiContext, role: str, counter: int | None = None, *, kiosk: bool = True) -> list[QWidget]:
    """The top-level windows for ``role`` (imports are local: a board loads no kiosk code)."""
    windows: list[QWidget] = []
    if role in ("kiosk", "all") and kiosk:
        windows.append(_kiosk(ctx))
    if role in ("counter", "all"):
        windows.append(_counter(ctx, counter))
    if role in ("display", "all"):
        windows.append(_display(ctx))
    if role == "chart":
        windows.append(_chart(ctx))
    if role == "survey":  # its own process per tablet: not in "all", whose visitor modes it would reset
        windows.append(_survey(ctx, counter))
    if role == "report":  # an office PC's, not the counters': not in "all"
        windows.append(_report(ctx))
    return windows


class _StoreOpener(QObject):
    sig_opened = Signal(object)
    """The store is open (``QueueService``), delivered on the UI thread."""

    sig_failed = Signal(object)
    """Opening the store failed with this exception."""

    def start(self, open_store: Callable[[], Opened]) -> None:
        def run() -> None:
            try:
                self.sig_opened.emit(open_store())
            except Exception as exc:
                self.sig_failed.emit(exc)

        threading.Thread(target=run, name="open-store", daemon=True).start()


def _window_size(w: QWidget, config: Config) -> tuple[int, int]:
    """A window's size when windowed: the kiosk as its configured panel, the survey as a portrait
    tablet, within the desktop."""
    width, height = (config.screen.width_px, config.screen.height_px) if w.objectName() == "kiosk" else (1280, 800)
    if w.objectName() == "survey":
        width, height = 800, 1280
    desktop = w.screen().availableGeometry() if w.screen() is not None else None
    if desktop is not None and desktop.width() > 0:
        width, height = min(width, desktop.width()), min(height, desktop.height() - 40)
    return width, height


def _lock_down(app: QApplication, ctx: UiContext) -> Lockdown:
    """Full-screen roles: no leaving the app but through staff mode (``kiosk.ui.lockdown``)."""
    from kiosk.ui.lockdown import Lockdown, StaffExitPanel

    lockdown = Lockdown(app)
    lockdown.install(app)
    prompt: list[StaffExitPanel] = []

    def leave(session: StaffSession) -> None:
        def done(_result: object) -> None:
            lockdown.release()
            app.quit()

        auth = ctx.auth
        if auth is None:
            done(None)
            return
        # Who closed the kiosk is on record (staff.logout, reason kiosk_exit).
        ctx.ops.run(lambda: auth.logout(session, reason="kiosk_exit"), done, lambda _error: done(None), changes=False)

    def ask(window: object) -> None:
        if not prompt:
            panel = StaffExitPanel(ctx, leave)
            panel.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
            panel.sig_done.connect(panel.hide)
            prompt.append(panel)
        panel = prompt[0]
        screen = window.screen() if isinstance(window, QWidget) else None
        if screen is not None:
            panel.setGeometry(screen.geometry())
        panel.showFullScreen()
        panel.raise_()
        panel.activateWindow()

    lockdown.sig_staff_requested.connect(ask)
    return lockdown


def startup_fault_text(error: BaseException, lang: str) -> str | None:
    """Staff-facing words for a store found read-only, full or damaged on start (issue 9), or ``None``."""
    from kiosk.i18n import tr

    params = dict(getattr(error, "params", {}) or {})
    if getattr(error, "code", "") == "store_unavailable" and params.get("problem"):
        return tr(f"health.{params['problem']}", lang, **params)
    return None


def run_gui(
    open_store: Callable[[UiContext], Opened],
    config: Config,
    *,
    role: str = "all",
    counter: int | None = None,
    windowed: bool = False,
) -> int:
    app = ensure_app()
    ctx = UiContext(None, config)
    bench = bool(os.environ.get("KIOSK_EXIT_AFTER_FIRST_FRAME"))
    windows: list[QWidget] = []
    failure: list[BaseException] = []
    lockdown = None if role == "all" or windowed else _lock_down(app, ctx)

    def leave() -> None:
        """The program itself ends (a failed start, the start-up benchmark): the lock lets go."""
        if lockdown is not None:
            lockdown.release()
        app.quit()

    def show(new: list[QWidget]) -> None:
        for w in new:
            i = len(windows)
            windows.append(w)
            if lockdown is None:
                w.resize(*_window_size(w, config))
                w.move(40 * i, 40 * i)
                w.show()
            else:
                lockdown.lock(w)
                w.showFullScreen()

    def first_frame() -> None:
        if bench:
            print(f"first-frame {time.time():.6f}", flush=True)

    if role in ("kiosk", "all"):
        show(build_windows(ctx, "kiosk"))
        QTimer.singleShot(0, first_frame)

    def opened(result: Opened) -> None:
        parts = tuple(result) if isinstance(result, tuple) else (result,)
        ctx.attach(*parts)
        show(build_windows(ctx, role, counter, kiosk=False))
        if role not in ("kiosk", "all"):
            QTimer.singleShot(0, first_frame)
        ctx.watcher.start()
        # What start-up built (Qt wrappers, the ORM's mappings, translations) lives as long as the
        # process: move it out of the collector's way, so no full collection lands on a tap.
        gc.freeze()
        if bench:

            def ready() -> None:
                print(f"ready {time.time():.6f}", flush=True)
                leave()

            QTimer.singleShot(0, ready)

    def failed(error: BaseException) -> None:
        failure.append(error)
        kiosk = next((w for w in windows if w.objectName() == "kiosk"), None)
        text = startup_fault_text(error, ctx.lang)
        if kiosk is not None and text is not None and hasattr(kiosk, "banner") and not bench:
            # An unattended kiosk stays up and tells staff why it issues nothing (issue 9), rather
            # than leaving a bare desktop; quitting (staff) still ends with the store-unavailable code.
            kiosk.banner.setText(text)
            kiosk.banner.show()
            return
        leave()

    opener = _StoreOpener()
    opener.sig_opened.connect(opened)
    opener.sig_failed.connect(failed)
    # On the opener's thread: ``open_store`` may only use the context's thread-safe reporters
    # (``report_sync``, ``report_sync_progress``), e.g. to wire the background sync to the console.
    opener.start(lambda: open_store(ctx))
    code = app.exec()
    ctx.watcher.stop()
    ctx.ops.wait()
    if failure:
        raise failure[0]
    return int(code)
