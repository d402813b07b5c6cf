"""Tickets on paper from the kiosk, never holding it up (issue 7): a ticket issued on the screen is
printed; with the printer off it is still issued and shown with "please note your number", every
counter console shows the fault, and the ticket prints when the printer is back."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.printing.escpos_backend import NetworkPrinter
from kiosk.printing.spool import PrintSpooler
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_TICKET, KioskScreen
from tests.printing.escpos_stream import RecordingPrinter, free_port, jobs, qr_texts, raster_image
from tests.ui.counter_helpers import open_console, settle


def kiosk(qtbot: QtBot, ctx: UiContext) -> KioskScreen:
    screen = KioskScreen(ctx, tick_ms=50)
    qtbot.addWidget(screen)
    screen.resize(1080, 1920)
    screen.show()
    return screen


def issue(qtbot: QtBot, screen: KioskScreen) -> str:
    screen.choose_service("A")
    with qtbot.waitSignal(screen.sig_ticket_issued, timeout=5000) as issued:
        screen.choose_class(None)
    assert screen.page == PAGE_TICKET
    return str(issued.args[0].number)


def test_the_demo_prints_each_ticket_to_a_png(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    spooler = PrintSpooler.from_config({"kind": "png", "path": str(tmp_path)}, on_status=ctx.report_printer)
    assert spooler is not None
    ctx.printer = spooler
    try:
        screen = kiosk(qtbot, ctx)
        number = issue(qtbot, screen)
        assert spooler.wait_idle(10)
        pngs = list(tmp_path.glob("*.png"))
        assert len(pngs) == 1 and not screen.print_note.isVisibleTo(screen)
        from PIL import Image

        with Image.open(pngs[0]) as image:
            assert image.width == 576 and qr_texts(image) == [screen.qr_text] and number in screen.qr_text
    finally:
        spooler.stop()


def test_printer_off_the_ticket_is_shown_staff_see_it_and_it_prints_when_back(qtbot: QtBot, ctx: UiContext) -> None:
    port = free_port()
    spooler = PrintSpooler(
        lambda: NetworkPrinter("127.0.0.1", port, 80, timeout=1, status_timeout=0.3),
        on_status=ctx.report_printer,
        poll_seconds=None,
        backoff=(0.05, 0.2),
    )
    ctx.printer = spooler
    server = None
    try:
        console = open_console(qtbot, ctx, 1)
        screen = kiosk(qtbot, ctx)
        with qtbot.waitSignal(ctx.sig_printer_status, timeout=5000):
            first = issue(qtbot, screen)  # the first try finds nobody listening
        second = issue(qtbot, screen)
        assert screen.print_note.isVisibleTo(screen)  # the visitor is told while it is off
        assert f"{second}번을 기억해 주십시오" in screen.print_note.text()
        qtbot.waitUntil(lambda: "연결 끊김" in console.printer_text(), timeout=5000)
        assert "번호표는 화면으로 계속 발급됩니다" in console.printer_text()

        server = RecordingPrinter(port)  # staff switch the printer back on
        spooler.retry_now()
        assert spooler.wait_idle(10)
        qtbot.waitUntil(lambda: len(jobs(server.stream())) == 2, timeout=5000)
        printed = [qr_texts(raster_image(job))[0] for job in jobs(server.stream())]
        assert [p.rsplit("/", 1)[1] for p in printed] == [first, second]  # both, once, in order
        qtbot.waitUntil(lambda: console.printer_text() == "", timeout=5000)
        settle(ctx, qtbot)
    finally:
        spooler.stop()
        if server is not None:
            server.close()
