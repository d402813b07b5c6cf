"""Rendering the 40-desk floor plan (target ≤ 50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_floor_plan.py [rounds]

One round is what a presence change or a language switch costs the screen: every desk's texts
from the chart state (``desk_facts``), the scene rebuilt (``FloorPlanView.show_chart``) and the
view painted into a 1920 x 1080 and a 1080 x 1920 image (``QWidget.grab``, every desk drawn).
The chart state is read from a real SQLite store once (not timed; ``ChartService.state`` is
about a millisecond). A few people are away so the longer presence texts are drawn too.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.paths import seat_chart_dir
from kiosk.services.chart_file import read_chart
from kiosk.ui.app import ensure_app
from kiosk.ui.chart_text import VISITOR, desk_facts
from kiosk.ui.floor_plan import FloorPlanView
from kiosk.ui.theme import STANDARD


def main(rounds: int = 200) -> None:
    qapp = ensure_app()
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}))
        assert app.charts is not None
        result = read_chart((seat_chart_dir() / "floor-40.toml").read_text(encoding="utf-8"))
        assert result.chart is not None, result.errors
        app.charts.import_chart(result.chart)
        now = datetime.now(UTC)
        for person in result.chart.staff[:6]:
            app.charts.set_presence(person.id, "away", destination="본사 회의", until=now + timedelta(hours=1))
        state = app.charts.state()
        assert state is not None and len(state.chart.desks) == 40
        tz = app.config.tz
        figures: dict[str, list[float]] = {}
        for size in ((1920, 1080), (1080, 1920)):
            view = FloorPlanView()
            view.resize(*size)
            view.show()
            qapp.processEvents()
            samples: list[float] = []
            for i in range(rounds + 5):
                t0 = time.perf_counter()
                lang = "ko" if i % 2 == 0 else "en"
                facts = {d.id: desk_facts(state, d, lang, VISITOR, tz, now) for d in state.chart.desks}
                view.show_chart(state.chart, facts, STANDARD, lang)
                image = view.grab()
                elapsed = (time.perf_counter() - t0) * 1000
                assert image.width() == size[0]
                if i >= 5:  # warm-up: font caches, first layout
                    samples.append(elapsed)
            figures[f"{size[0]} x {size[1]}"] = samples
            view.close()
        app.close()
    print(f"40-desk floor: facts + scene + paint, {rounds} rounds each (target ≤ 50 ms)")
    print("| screen | median ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, samples in figures.items():
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | {samples[-1]:.1f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
