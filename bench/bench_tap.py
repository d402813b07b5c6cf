"""Tap → ticket committed and shown, through the real kiosk screen (offscreen Qt).

Each round starts on the "ordinary or priority" page with a service chosen, taps "ordinary", and
stops the clock when the ticket page shows the new number (committed in the SQLite file, label set,
page switched). Printing is not included. Targets: median ≤ 10 ms, p99 ≤ 30 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_tap.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.ui.app import ensure_app
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_TICKET, KioskScreen


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(rounds: int = 300) -> None:
    qapp = ensure_app()
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}))
        ctx = UiContext(app.queue, app.config)
        screen = KioskScreen(ctx)
        screen.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
        screen.show()
        qapp.processEvents()
        times: list[float] = []
        for _ in range(rounds + 10):
            screen.show_services()
            screen.choose_service("A")
            qapp.processEvents()
            before = screen.ticket
            t0 = time.perf_counter()
            QTest.mouseClick(screen.ordinary_button, Qt.MouseButton.LeftButton)
            while screen.page != PAGE_TICKET or screen.ticket is before:
                qapp.processEvents()
            times.append((time.perf_counter() - t0) * 1000)
        times = times[10:]  # warm-up
        ctx.ops.wait()
        app.close()
    print("| measure | rounds | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(
        f"| tap → ticket shown | {len(times)} | {statistics.median(times):.2f} | {percentile(times, 0.95):.2f} "
        f"| {percentile(times, 0.99):.2f} | {max(times):.2f} |"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
