"""Start the screens for a role: kiosk (visitors), counter (staff), display (calling board), or all."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.context import UiContext
from kiosk.ui.theme import apply_app_font

ROLES = ("kiosk", "counter", "display", "all")


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Counter Kiosk")
        apply_app_font(app)
    return app


def build_windows(ctx: UiContext, role: str, counter: int | None = None) -> list[QWidget]:
    """The top-level windows for ``role`` (imports are local: a board loads no kiosk code)."""
    windows: list[QWidget] = []
    if role in ("kiosk", "all"):
        from kiosk.ui.kiosk_screen import KioskScreen

        windows.append(KioskScreen(ctx))
    if role in ("counter", "all"):
        from kiosk.ui.console import CounterConsole

        numbers = [c.number for c in ctx.queue.counters()]
        windows.append(CounterConsole(ctx, counter or (numbers[0] if numbers else 1)))
    if role in ("display", "all"):
        from kiosk.ui.board import CallingBoard

        windows.append(CallingBoard(ctx))
    return windows


def run_gui(
    queue: QueueService, config: Config, *, role: str = "all", counter: int | None = None, windowed: bool = False
) -> int:
    app = ensure_app()
    ctx = UiContext(queue, config)
    windows = build_windows(ctx, role, counter)
    ctx.watcher.start()
    for i, w in enumerate(windows):
        if role == "all" or windowed:
            w.resize(1280 if i != 1 else 1200, 800)
            w.move(40 * i, 40 * i)
            w.show()
        else:
            w.showFullScreen()
    if os.environ.get("KIOSK_EXIT_AFTER_FIRST_FRAME"):
        # Benchmarks: print when the first frame has been painted, then leave.
        import time

        def done() -> None:
            print(f"first-frame {time.time():.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, done)
    code = app.exec()
    ctx.ops.wait()
    return int(code)
