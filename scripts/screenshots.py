"""Render every screen offscreen into docs/screenshots/ (Korean first, plus English).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Uses a throw-away demo store, so the pictures show the demo facility's morning.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.accessibility.modes import Modes
from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.demo import seed_waiting_visitors
from kiosk.domain.presence import PresenceState
from kiosk.domain.ticket import PriorityReason
from kiosk.paths import seat_chart_dir
from kiosk.services.chart_file import read_chart
from kiosk.ui.app import ensure_app
from kiosk.ui.board import CallingBoard
from kiosk.ui.chart_screen import LIST, PLAN, ChartScreen
from kiosk.ui.console import CounterConsole
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import KioskScreen

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main(out: Path = OUT) -> list[Path]:
    qapp = ensure_app()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}))
        q = app.queue
        seed_waiting_visitors(q)
        # A believable moment: two counters busy, one visitor recalled, a priority visitor waiting.
        q.call_next(2)
        third = q.call_next(3)
        assert third is not None
        q.recall(third.id)
        q.issue_ticket("C", "disabled")
        ctx = UiContext(q, app.config, charts=app.charts)

        def settle() -> None:
            for _ in range(12):
                ctx.ops.wait()
                qapp.processEvents()

        def save(widget: object, name: str) -> None:
            settle()
            path = out / f"{name}.png"
            widget.grab().save(str(path))  # type: ignore[attr-defined]
            written.append(path)

        kiosk = KioskScreen(ctx)
        kiosk.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
        kiosk.show()
        console = CounterConsole(ctx, 1)
        console.resize(1200, 800)
        console.show()
        board = CallingBoard(ctx)
        board.resize(1280, 800)
        board.show()

        steps: list[tuple[str, Callable[[], None], object]] = [
            ("kiosk_services_ko", lambda: None, kiosk),
            ("kiosk_class_ko", lambda: kiosk.choose_service("A"), kiosk),
            ("kiosk_ticket_ko", lambda: kiosk.choose_class(PriorityReason.ELDERLY), kiosk),
            ("console_alert_ko", lambda: None, console),
            ("board_ko", lambda: None, board),
            ("console_serving_ko", console.call_next, console),
            ("board_call_ko", board.refresh, board),
        ]
        for name, action, widget in steps:
            action()
            save(widget, name)
        # A node whose central database is unreachable, in the middle of a long catch-up.
        ctx.report_sync({"online": False, "pending": 1234, "last_sync": "", "last_error": ""})
        ctx.report_sync_progress(500, 1734)
        save(console, "console_offline_ko")
        ctx.report_sync({"online": True, "pending": 0, "last_sync": datetime.now(UTC).isoformat(), "last_error": ""})
        settle()
        ctx.set_language("en")
        save(kiosk, "kiosk_ticket_en")
        save(board, "board_en")
        save(console, "console_en")
        ctx.set_language("ko")

        # Each accessibility mode on the visitor screen, then all of them at once.
        every = "large-text,high-contrast,voice,low-screen"
        for modes in ("", "high-contrast", "large-text", "low-screen", "voice", every):
            ctx.set_modes(Modes.parse(modes))
            kiosk.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)  # a kiosk's screen never grows
            tag = modes.replace(",", "+") or "standard"
            kiosk.show_services()
            save(kiosk, f"mode_{tag}_services")
            kiosk.choose_service("B")
            save(kiosk, f"mode_{tag}_class")
            kiosk.toggle_panel(True)
            save(kiosk, f"mode_{tag}_panel")
            kiosk.toggle_panel(False)
        ctx.set_modes(Modes())
        # The counter console's presence (two taps) and its seat-chart page (staff: numbers in full).
        console.presence_panel.choose(PresenceState.AWAY)
        save(console, "console_presence_away_ko")
        console.presence_panel.cancel()
        console.show_seat_chart(True)
        save(console, "console_seat_chart_ko")
        console.show_seat_chart(False)
        _seat_charts(ctx, kiosk, save)
        ctx.watcher.stop()
        ctx.ops.wait()
        app.close()
    return written


def _seat_charts(ctx: UiContext, kiosk: KioskScreen, save: Callable[[object, str], None]) -> None:
    """The seat chart (S1, S3, S4) with people out: both demo offices, portrait and landscape."""
    charts = ctx.charts
    assert charts is not None
    now = datetime.now(UTC)
    charts.set_presence("park-jimin", "away", destination="본사 회의", until=now + timedelta(hours=2))
    charts.set_presence("choi-yuna", "meeting", destination="3층 회의실", until=now + timedelta(minutes=45))
    kiosk.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
    kiosk.show_services()
    save(kiosk, "kiosk_services_away_ko")
    kiosk.choose_service("B")
    save(kiosk, "kiosk_class_away_ko")
    kiosk.show_chart()
    kiosk.chart.ask_duty(3)  # 4: payments, whose officer is away
    save(kiosk, "kiosk_chart_ko")
    kiosk.show_services()

    screen = ChartScreen(ctx)
    screen.show()
    for office, query in (("service-center", "환불"), ("floor-40", "주차")):
        if office != "service-center":
            result = read_chart((seat_chart_dir() / f"{office}.toml").read_text(encoding="utf-8"))
            assert result.chart is not None, result.errors
            charts.import_chart(result.chart, actor="screenshots")
            for person, state in ((result.chart.staff[0], "away"), (result.chart.staff[7], "meeting")):
                charts.set_presence(person.id, state, destination="본사", until=now + timedelta(hours=1))
            charts.set_presence(result.chart.staff[12].id, "leave", until=now + timedelta(days=2))
        screen.refresh()
        for width, height in ((1080, 1920), (1920, 1080)):
            screen.resize(width, height)
            screen.show_view(PLAN)
            screen.plan.fit()
            screen.search(query)
            save(screen, f"chart_{office}_{width}x{height}_ko")
        screen.show_view(LIST)
        save(screen, f"chart_{office}_list_ko")
    ctx.set_language("en")
    screen.show_view(PLAN)
    screen.search("parking")
    save(screen, "chart_floor-40_1920x1080_en")
    ctx.set_language("ko")
    screen.close()


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
