"""The print queue: never in the way of the screen, nothing lost while the printer is away,
tickets out in the order they were issued."""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image

from kiosk.printing.escpos_backend import NetworkPrinter
from kiosk.printing.render import render_ticket
from kiosk.printing.spool import PrintSpooler
from kiosk.printing.status import PrinterStatus
from tests.printing.escpos_stream import RecordingPrinter, free_port, jobs, qr_texts, raster_image, wait_for
from tests.printing.samples import receipt, ticket

NORMAL = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x7E}


def printed_qrs(stream: bytes) -> list[str]:
    return [text for job in jobs(stream) for text in qr_texts(raster_image(job))]


def test_offline_printer_keeps_the_ticket_and_prints_it_once_when_back() -> None:
    port = free_port()
    statuses: list[PrinterStatus] = []
    spooler = PrintSpooler(
        lambda: NetworkPrinter("127.0.0.1", port, 80, timeout=1, status_timeout=0.3),
        on_status=statuses.append,
        poll_seconds=None,
        backoff=(0.05, 0.1),
    )
    server = None
    try:
        first = spooler.submit(ticket("A-001", qr="kiosk://ticket/2026-11-25/A-001"))
        assert wait_for(lambda: statuses and not statuses[-1].online)
        assert "connection refused" in statuses[-1].reason
        assert not spooler.status.ok
        assert spooler.state(first) == "queued" and spooler.pending() == 1
        second = spooler.submit(ticket("A-002", qr="kiosk://ticket/2026-11-25/A-002"))
        server = RecordingPrinter(port)  # the printer is switched back on
        assert spooler.wait_idle(10)
        assert (spooler.state(first), spooler.state(second)) == ("printed", "printed")
        assert spooler.status.ok and statuses[-1].ok
        assert wait_for(lambda: len(server.connections) >= 2)
        assert printed_qrs(server.stream()) == ["kiosk://ticket/2026-11-25/A-001", "kiosk://ticket/2026-11-25/A-002"]
    finally:
        spooler.stop()
        if server is not None:
            server.close()


def test_paper_out_holds_the_queue_until_the_roll_is_changed() -> None:
    server = RecordingPrinter(replies=PAPER_OUT)
    statuses: list[PrinterStatus] = []
    spooler = PrintSpooler(
        lambda: NetworkPrinter("127.0.0.1", server.port, 58, status_timeout=1),
        on_status=statuses.append,
        poll_seconds=None,
        backoff=(0.05,),
    )
    try:
        ids = [spooler.submit(ticket(f"B-00{i}", qr=f"kiosk://ticket/2026-11-25/B-00{i}")) for i in (1, 2, 3)]
        assert wait_for(lambda: statuses and statuses[-1].paper_out)
        assert spooler.status.online and not spooler.status.ok
        assert b"\x1dv0" not in server.stream()
        assert [spooler.state(i) for i in ids] == ["queued"] * 3
        server.replies = NORMAL  # staff put a new roll in
        spooler.retry_now()
        assert spooler.wait_idle(10)
        assert wait_for(lambda: len(printed_qrs(server.stream())) >= 3)  # the last connection recorded
        assert printed_qrs(server.stream()) == [f"kiosk://ticket/2026-11-25/B-00{i}" for i in (1, 2, 3)]
        assert statuses[-1].ok
    finally:
        spooler.stop()
        server.close()


def test_submit_returns_at_once_while_the_printer_hangs() -> None:
    # A printer that accepts the connection and then says nothing for a long time.
    server = RecordingPrinter(read=False)
    spooler = PrintSpooler(lambda: NetworkPrinter("127.0.0.1", server.port, 80, status_timeout=3), poll_seconds=None)
    try:
        spooler.submit(ticket())
        time.sleep(0.1)  # the worker is now waiting on the printer
        started = time.perf_counter()
        for i in range(20):
            spooler.submit(ticket(f"C-{i:03d}"))
        assert time.perf_counter() - started < 0.05
        assert spooler.pending() == 21
    finally:
        server.close()
        spooler.stop()


def test_a_job_that_can_never_print_is_dropped_and_the_queue_goes_on(tmp_path: Path) -> None:
    spooler = PrintSpooler.from_config(
        {"kind": "file", "path": str(tmp_path / "p.bin"), "paper_mm": 80}, poll_seconds=None
    )
    assert spooler is not None
    try:
        wrong = spooler.submit(Image.new("1", (100, 50), 1))
        right = spooler.submit(ticket())
        assert spooler.wait_idle(10)
        assert (spooler.state(wrong), spooler.state(right)) == ("failed", "printed")
        assert printed_qrs((tmp_path / "p.bin").read_bytes()) == [ticket().qr]
    finally:
        spooler.stop()


def test_png_spooler_from_config_renders_at_the_papers_width(tmp_path: Path) -> None:
    spooler = PrintSpooler.from_config({"kind": "png", "path": str(tmp_path), "paper_mm": 58})
    assert spooler is not None
    try:
        spooler.submit(receipt())
        spooler.submit(render_ticket(ticket(), 58))  # a raster drawn by the caller is printed as is
        assert spooler.wait_idle(10)
        assert spooler.status.ok
        saved = sorted(tmp_path.iterdir())
        assert len(saved) == 2
        texts = []
        for path in saved:
            with Image.open(path) as image:
                assert image.width == 384
                texts += qr_texts(image)
        assert texts == ["kiosk://feedback/261125-7KQ4", ticket().qr]
    finally:
        assert spooler.stop() == 0


def test_an_idle_spooler_notices_the_printer_going_away() -> None:
    server = RecordingPrinter(replies=NORMAL)
    statuses: list[PrinterStatus] = []
    spooler = PrintSpooler(
        lambda: NetworkPrinter("127.0.0.1", server.port, 80, timeout=1, status_timeout=0.5),
        on_status=statuses.append,
        poll_seconds=0.1,
    )
    try:
        assert wait_for(lambda: statuses and statuses[-1].ok and statuses[-1].reason == "")
        server.replies = PAPER_OUT
        assert wait_for(lambda: statuses[-1].paper_out)
        server.close()
        assert wait_for(lambda: not statuses[-1].online)
    finally:
        spooler.stop()


def test_no_printer_configured_means_no_spooler() -> None:
    assert PrintSpooler.from_config(None) is None
    assert PrintSpooler.from_config({"kind": "none"}) is None
