"""Render every screen offscreen into docs/screenshots/ (Korean first, plus English).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Uses a throw-away demo store, so the pictures show the demo facility's morning.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
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


def _settle(ctx: UiContext, rounds: int = 12) -> None:
    """Let the screens' background work finish and the results it posts be shown."""
    qapp = ensure_app()
    for _ in range(rounds):
        ctx.ops.wait()
        qapp.processEvents()


def main(out: Path = OUT) -> list[Path]:
    ensure_app()
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
        ctx = UiContext(q, app.config, charts=app.charts, feedback=app.feedback)

        def settle() -> None:
            _settle(ctx)

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
        # The start page on a landscape panel: services, seat chart, voice box and charter on one screen.
        kiosk.resize(1920, 1080)
        save(kiosk, "kiosk_services_1920x1080_ko")
        kiosk.resize(ctx.config.screen.width_px, ctx.config.screen.height_px)
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
    written += _voice_box_inbox(out)
    written += _voice_box_kiosk(out)
    written += _survey_and_charter(out)
    written += _ticket_prints(out)
    written += _demo_printing(out)
    written += _report(out)
    written += _read_only(out)
    return written


def _read_only(out: Path) -> list[Path]:
    """The kiosk and a console on the previous data after a failed upgrade (issue 10). The demo
    store is told it is one revision behind, so the last migration finds its triggers already
    there and fails, as an interrupted upgrade would."""
    import sqlite3

    from kiosk.store import migrate

    ensure_app()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(demo=True, data_dir=tmp, env={})
        app = bootstrap(config)
        seed_waiting_visitors(app.queue)
        app.queue.call_next(1)
        app.close()
        head = migrate.head_revision()
        assert head is not None
        behind = f"{int(head) - 1:04d}"
        with sqlite3.connect(Path(tmp) / "demo.sqlite3") as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (behind,))
        conn.close()
        app = bootstrap(config)
        assert app.read_only is not None, "the upgrade was expected to fail"
        ctx = UiContext(None, config)
        ctx.attach(app.queue, app.charts, app.feedback, app.survey, app.reports, app.auth, dict(app.read_only.params))
        kiosk = KioskScreen(ctx)
        kiosk.resize(config.screen.width_px, config.screen.height_px)
        kiosk.show()
        console = CounterConsole(ctx, 1)
        console.resize(1200, 800)
        console.show()
        for widget, name in ((kiosk, "kiosk_read_only_ko"), (console, "console_read_only_ko")):
            kiosk.refresh_services()
            _settle(ctx)
            path = out / f"{name}.png"
            widget.grab().save(str(path))
            written.append(path)
        ctx.set_language("en")
        _settle(ctx)
        path = out / "kiosk_read_only_en.png"
        kiosk.grab().save(str(path))
        written.append(path)
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


def _voice_box_inbox(out: Path) -> list[Path]:
    """The counter console's voice-box inbox (S8–S13) at 1280x800: the list signed in as a team lead
    (Korean and English), one note in full, and the D-1 alert a few days later. Its own store and a
    clock it moves: the deadlines and D-days read the same on every run."""
    ensure_app()
    written: list[Path] = []
    now = [datetime(2026, 11, 20, 1, 0, tzinfo=UTC)]  # Friday 10:00 in Seoul
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}), clock=lambda: now[0])
        fb = app.feedback
        assert fb is not None
        choi = fb.user("choi")

        def note(category: str, text: str, handling: str | None = None, team: str = "", **kw: object) -> str:
            receipt = fb.submit(category, text, **kw).receipt  # type: ignore[arg-type]
            if handling:
                fb.classify(choi, receipt, handling)
            if team:
                fb.assign(choi, receipt, team)
            return receipt

        note("complaint", "민원실 출입문이 무거워서 휠체어로 열기 어렵습니다.", "simple", "민원팀")  # due 11.27
        now[0] += timedelta(days=3)
        first = note(
            "complaint",
            "엘리베이터 안내 방송이 작아서 잘 들리지 않습니다.\n3층 민원실 앞에서 특히 그렇습니다.",
            "simple",
            "민원팀",
            name="김민수",
            contact="010-1234-5678",
            consent=True,
        )
        note("suggestion", "번호표에 예상 대기 시간도 적어 주시면 좋겠습니다.", "review")
        note("misconduct", "채용 과정에서 특정인을 미리 정했다는 이야기가 있습니다.")  # the audit team's only
        now[0] += timedelta(days=2)
        note("proposal", "주차장 입구에 장애인 주차 구역 안내판을 크게 달아 주세요.", "simple")
        note("complaint", "체육관 샤워실 온수가 나오지 않습니다.", "simple", "시설운영팀")  # another team's
        note("praise", "창구 직원분이 서류 작성을 친절하게 도와주셨습니다.")

        ctx = UiContext(app.queue, app.config, charts=app.charts, feedback=fb, auth=app.auth)
        console = CounterConsole(ctx, 1)
        console.resize(1280, 800)
        console.show()

        def settle() -> None:
            _settle(ctx)

        def save(name: str) -> None:
            settle()
            path = out / f"{name}.png"
            console.grab().save(str(path))
            written.append(path)

        settle()  # the counter's first load, then its voice-box page with nobody signed in yet
        console.show_inbox(True)
        save("console_inbox_signin_ko")
        # The PIN prompt after a wrong PIN (the message says the tries left), the next one being typed.
        login = console.inbox.gate.login
        for lang, wrong in (("ko", "1234"), ("en", "9876")):
            ctx.set_language(lang)
            login.choose("lee")
            login.pin_field.setText(wrong)
            login.submit()
            settle()
            for digit in "22":
                login.press(digit)
            save(f"staff_login_{lang}")
        ctx.set_language("ko")
        console.inbox.sign_in("lee")
        save("console_inbox_ko")
        ctx.set_language("en")
        save("console_inbox_en")
        ctx.set_language("ko")
        console.inbox.open_item(first)
        save("console_inbox_item_ko")
        console.inbox.show_list()
        now[0] += timedelta(days=4)  # Sunday 11.29: the first note is due tomorrow, one is two days late
        console.inbox.reload()
        save("console_inbox_alert_ko")
        ctx.watcher.stop()
        ctx.ops.wait()
        console.close()
        app.close()
    return written


def _voice_box_kiosk(out: Path) -> list[Path]:
    """The visitor's side of the voice box (S8, S11–S13) on the kiosk at 1080x1920, Korean and English:
    the kind of note, the text being typed on the on-screen keyboard (a syllable still composing), the
    consent, the receipt, the status once a team has it, and the answer. Its own store, a fixed clock."""
    from PySide6.QtGui import QTextCursor

    from kiosk.domain.feedback import Category
    from kiosk.domain.hangul import keystrokes

    ensure_app()
    written: list[Path] = []
    now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 10:00 in Seoul
    notes = {
        "ko": (
            "3층 민원실 앞 엘리베이터 안내 방송이 작아서 잘 들리지 않습니다. 소리를 조금 키워 ",
            "주십시오",
            "김민수",
            "010-1234-5678",
            "안내 방송 음량을 높이고 3층 스피커를 새것으로 바꾸었습니다. 알려 주셔서 감사합니다.",
        ),
        "en": (
            "The lift announcements outside the 3rd-floor service centre are too quiet to hear. Please turn ",
            "them up",
            "Alex Kim",
            "alex@example.com",
            "We raised the announcement volume and replaced the 3rd-floor speaker. Thank you for telling us.",
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}), clock=lambda: now)
        fb = app.feedback
        assert fb is not None
        lee = fb.user("lee")
        ctx = UiContext(app.queue, app.config, charts=app.charts, feedback=fb)
        kiosk = KioskScreen(ctx)
        kiosk.resize(1080, 1920)
        kiosk.show()
        voice = kiosk.voice

        def settle() -> None:
            _settle(ctx)

        def save(name: str) -> None:
            settle()
            path = out / f"kiosk_voice_{name}_{ctx.lang}.png"
            kiosk.grab().save(str(path))
            written.append(path)

        for lang, (text, typed, name, contact, answer) in notes.items():
            ctx.set_language(lang)
            kiosk.show_voice_box()
            save("category")
            voice.choose_category(Category.COMPLAINT)
            voice.text_edit.setPlainText(text)
            voice.text_edit.moveCursor(QTextCursor.MoveOperation.End)
            for key in keystrokes(typed) if lang == "ko" else typed:  # on the keys, as a visitor types
                button = voice.keyboard.space_key if key == " " else voice.keyboard.key_for(key)
                assert button is not None, key
                button.click()
            save("write")
            voice.next_from_write()
            save("consent")
            voice.agree()
            voice.name_edit.setText(name)
            voice.contact_edit.setText(contact)
            voice.send()
            save("receipt")
            receipt = voice.receipt
            assert receipt is not None
            kiosk.finish()
            ctx.set_language(lang)  # the next visitor, who checks the answer in the same language
            fb.classify(lee, receipt.receipt, "simple")
            fb.assign(lee, receipt.receipt, "민원팀")
            kiosk.show_status_check()
            voice.receipt_edit.setText(receipt.receipt)
            voice.pin_edit.setText(receipt.pin)
            voice.lookup()
            save("status")
            fb.answer(lee, receipt.receipt, answer)
            voice.lookup()
            save("answer")
            kiosk.finish()
        ctx.watcher.stop()
        ctx.ops.wait()
        kiosk.close()
        app.close()
    return written


def _survey_and_charter(out: Path) -> list[Path]:
    """The counter-facing satisfaction tablet (S5) at 800x1280 through a real visit at counter 1, in
    Korean (예, then 4) and English (No, then 2: the voice-box note), and the charter panel (S14) at
    the kiosk's content width. Its own store; the text sizes are the demo kiosk's (the audit's)."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from kiosk.ui import theme
    from kiosk.ui.charter import CharterPanel
    from kiosk.ui.survey_screen import QUESTION, SurveyScreen

    ensure_app()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}))
        q = app.queue
        seed_waiting_visitors(q)
        ctx = UiContext(q, app.config, survey=app.survey)
        tablet = SurveyScreen(ctx, 1, poll_ms=100, answer_seconds=600, thanks_seconds=600, tap_guard_ms=0)
        tablet.resize(800, 1280)
        tablet.show()

        def settle() -> None:
            _settle(ctx)

        def save(widget: QWidget, name: str) -> None:
            settle()
            focused = ensure_app().focusWidget()
            if focused is not None:
                focused.clearFocus()  # a touch screen: no focus ring in the pictures
            path = out / f"{name}.png"
            widget.grab().save(str(path))
            written.append(path)

        def visit_completed() -> None:
            q.call_next(1, finish_current=True)  # the counter finishes its visitor (and calls the next)
            deadline = time.monotonic() + 5
            while tablet.state != QUESTION and time.monotonic() < deadline:
                settle()
            assert tablet.state == QUESTION, "the tablet did not ask about the completed visit"

        q.call_next(1)
        for lang, resolved, rating in (("ko", True, 4), ("en", False, 2)):
            ctx.set_language(lang)
            save(tablet, f"survey_idle_{lang}")
            visit_completed()
            save(tablet, f"survey_resolved_{lang}")
            tablet.answer_resolved(resolved)
            save(tablet, f"survey_rating_{lang}")
            tablet.answer_rating(rating)
            save(tablet, f"survey_thanks_{lang}")
            tablet.return_to_idle()
        tablet.close()

        page = QWidget()  # the kiosk's start page around it: its background and side margins
        page.setObjectName("page")
        page.setStyleSheet(f"QWidget#page {{ background: {theme.BG}; }}")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 24, 32, 24)
        panel = CharterPanel(ctx)
        layout.addWidget(panel)
        page.resize(ctx.config.screen.width_px, 200)
        page.show()
        panel.show_item(3)  # the answer deadlines: the longest promise
        for lang in ("ko", "en"):
            ctx.set_language(lang)
            settle()
            page.resize(ctx.config.screen.width_px, page.minimumSizeHint().height())
            save(page, f"charter_panel_{lang}")
        page.close()
        ctx.watcher.stop()
        ctx.ops.wait()
        app.close()
    return written


def _ticket_prints(out: Path) -> list[Path]:
    """What the thermal printer burns (kiosk.printing): the 1-bit rasters, dot for dot, of a priority
    ticket on 80 mm and 58 mm paper in Korean, one in English, and a voice-box receipt. No Qt."""
    from kiosk.printing.jobs import ReceiptPrint, TicketPrint
    from kiosk.printing.render import render_receipt, render_ticket

    def ticket(lang: str) -> TicketPrint:
        return TicketPrint(
            facility="서울시설공단 민원실" if lang == "ko" else "Seoul Facilities Service Center",
            number="C-017",
            service="가족관계등록부 증명서 발급" if lang == "ko" else "Family relation certificates",
            priority="장애인" if lang == "ko" else "Disabled",
            ahead=3,
            wait_min=10,
            wait_max=15,
            issued_at="2026-11-25 10:04",
            qr="kiosk://ticket/2026-11-25/C-017",
            lang=lang,
        )

    receipt = ReceiptPrint(
        facility="서울시설공단 민원실",
        receipt="261125-7KQ4",
        pin="482193",
        answer_by="2026-12-02",
        qr="kiosk://feedback/261125-7KQ4",
        issued_at="2026-11-25 10:04",
    )
    pictures = {
        "ticket_print_80mm_ko": render_ticket(ticket("ko"), 80),
        "ticket_print_58mm_ko": render_ticket(ticket("ko"), 58),
        "ticket_print_80mm_en": render_ticket(ticket("en"), 80),
        "receipt_print_80mm_ko": render_receipt(receipt, 80),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, image in pictures.items():
        path = out / f"{name}.png"
        image.save(path)
        written.append(path)
    return written


def _demo_printing(out: Path) -> list[Path]:
    """A ticket issued on the demo kiosk as its printer gets it (the demo prints PNGs), then the
    printer switched off: the kiosk's "please note your number" and the console's fault line."""
    import shutil
    import socket

    from kiosk.printing.escpos_backend import NetworkPrinter
    from kiosk.printing.spool import PrintSpooler

    ensure_app()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(demo=True, data_dir=Path(tmp) / "data", env={})
        app = bootstrap(cfg)
        ctx = UiContext(app.queue, cfg, charts=app.charts, feedback=app.feedback, survey=app.survey)

        def settle() -> None:
            _settle(ctx, 20)

        kiosk = KioskScreen(ctx)
        kiosk.resize(cfg.screen.width_px, cfg.screen.height_px)
        kiosk.show()
        console = CounterConsole(ctx, 1)
        console.resize(1200, 800)
        console.show()
        demo = PrintSpooler.from_config(cfg.printer, on_status=ctx.report_printer)
        assert demo is not None
        ctx.printer = demo
        kiosk.choose_service("A")
        kiosk.choose_class(PriorityReason.ELDERLY)
        settle()
        demo.wait_idle(10)
        demo.stop()
        printed = sorted((cfg.data_dir / "printed").glob("*.png"))
        if printed:
            shutil.copy(printed[-1], out / "ticket_print_demo_ko.png")
            written.append(out / "ticket_print_demo_ko.png")

        with socket.socket() as probe:  # a printer port nobody answers on: the printer is off
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        off = PrintSpooler(
            lambda: NetworkPrinter("127.0.0.1", port, 80, timeout=0.5, status_timeout=0.3),
            on_status=ctx.report_printer,
            poll_seconds=None,
        )
        ctx.printer = off
        for _ in range(2):
            kiosk.show_services()
            kiosk.choose_service("B")
            kiosk.choose_class(None)
            settle()
            time.sleep(0.8)  # the first try fails and is reported
            settle()
        console.reload()
        settle()
        for widget, name in ((kiosk, "kiosk_ticket_printer_off_ko"), (console, "console_printer_off_ko")):
            path = out / f"{name}.png"
            widget.grab().save(str(path))
            written.append(path)
        off.stop(timeout=1)
        kiosk.close()
        console.close()
        ctx.watcher.stop()
        ctx.ops.wait()
        app.close()
    return written


def _report(out: Path) -> list[Path]:
    """The service performance report (issue 8) at 1280x800 for an administrator, Korean (the top:
    filters, key figures) and English (scrolled to the charts), and the first page of its PDF as
    printed (rasterised by QtPdf at 150 dpi). A generated year in its own store, a fixed clock."""
    from datetime import date

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    from kiosk.store.sample_year import generate
    from kiosk.ui.report_export import write_pdf
    from kiosk.ui.report_screen import ReportScreen

    ensure_app()
    written: list[Path] = []
    now = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)  # Monday 09:30 in Seoul: last year's report
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}), clock=lambda: now, sync_on_start=False)
        generate(app.engine, tickets=20_000, year=2025)
        ctx = UiContext(
            app.queue, app.config, charts=app.charts, feedback=app.feedback, reports=app.reports, auth=app.auth
        )
        screen = ReportScreen(ctx)
        screen.resize(1280, 800)
        screen.show()

        def settle() -> None:
            _settle(ctx)

        def save(name: str) -> None:
            settle()
            path = out / f"{name}.png"
            screen.grab().save(str(path))
            written.append(path)

        screen.sign_in("choi")  # with her PIN, checked in the worker
        settle()
        screen.set_range(date(2025, 1, 1), date(2025, 12, 31))
        screen.path_edit.setText("~/보고서-2025.pdf")
        screen.run()
        save("report_screen_ko")
        ctx.set_language("en")
        settle()
        view = screen.chart_view("waiting_class")
        holder = None if view is None else view.parentWidget()
        if holder is not None:
            screen.scroll_area.verticalScrollBar().setValue(holder.y() - 40)
        save("report_screen_en")
        ctx.set_language("ko")
        settle()
        assert screen.report is not None
        pdf = Path(tmp) / "report.pdf"
        write_pdf(screen.report, pdf, "ko")
        doc = QPdfDocument()
        doc.load(str(pdf))
        points = doc.pagePointSize(0)
        size = QSize(round(points.width() * 150 / 72), round(points.height() * 150 / 72))

        def paper(index: int) -> QImage:
            """Page ``index`` on white paper (QtPdf leaves the page's background transparent)."""
            sheet = QImage(size, QImage.Format.Format_RGB32)
            sheet.fill(QColor("#FFFFFF"))
            painter = QPainter(sheet)
            painter.drawImage(0, 0, doc.render(index, size))
            painter.end()
            return sheet

        path = out / "report_pdf_page1_ko.png"
        paper(0).save(str(path))
        written.append(path)
        # The charts' page as a black-and-white printer would put it: the series must stay apart.
        path = out / "report_pdf_page2_gray_ko.png"
        paper(1).convertToFormat(QImage.Format.Format_Grayscale8).save(str(path))
        written.append(path)
        doc.close()
        ctx.watcher.stop()
        ctx.ops.wait()
        screen.close()
        app.close()
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
