"""The byte stream a real ESC/POS printer gets: over TCP port 9100 and into a file.

Read back command by command: only initialise, status queries, ``GS v 0`` raster, feed and cut;
the raster rebuilt is the paper's width and its QR code reads as the ticket's status address.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.printing.escpos_backend import FilePrinter, NetworkPrinter, PngPrinter, ticket_bytes
from kiosk.printing.render import render_receipt, render_ticket
from kiosk.printing.status import PrinterFault, parse_realtime
from tests.printing.escpos_stream import RecordingPrinter, free_port, jobs, qr_texts, raster_image, wait_for
from tests.printing.samples import receipt, ticket

NORMAL = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


def hangul_free(stream: bytes) -> bool:
    """The ticket's words are not in the stream as UTF-8 or CP949 text (``jobs``/``parse`` already
    fail on any byte outside a command: the words are only dots)."""
    words = ("번호표", "서울시설공단", "우선")
    return not any(w.encode(enc) in stream for w in words for enc in ("utf-8", "cp949"))


@pytest.mark.parametrize(("paper_mm", "dots"), [(58, 384), (80, 576)])
def test_a_ticket_over_the_network_is_a_raster_then_a_cut(recorder: RecordingPrinter, paper_mm: int, dots: int) -> None:
    printer = NetworkPrinter("127.0.0.1", recorder.port, paper_mm, status_timeout=0.2)
    image = render_ticket(ticket(priority="장애인"), paper_mm)
    printer.print_image(image)
    assert wait_for(lambda: len(recorder.connections) == 1)
    stream = recorder.stream()
    (job,) = jobs(stream)  # parse() fails on any text or code-page byte
    names = [c.name for c in job]
    assert names[0] == "status" and names.index("init") < names.index("raster")
    assert names[-1] == "cut"
    printed = raster_image(job)
    assert printed.size == (dots, image.height)
    assert printed.tobytes() == image.tobytes()
    assert qr_texts(printed) == ["kiosk://ticket/2026-11-25/A-017"]
    assert hangul_free(stream)


def test_a_printer_that_never_answers_status_is_printed_to_without_asking_again(recorder: RecordingPrinter) -> None:
    printer = NetworkPrinter("127.0.0.1", recorder.port, 80, status_timeout=0.2)
    for number in ("A-001", "A-002"):
        printer.print_image(render_ticket(ticket(number, qr=f"kiosk://ticket/2026-11-25/{number}")))
    assert wait_for(lambda: len(recorder.connections) == 2)
    first, second = (jobs(c) for c in recorder.connections)
    assert [c.name for c in first[0]].count("status") == 1
    assert "status" not in [c.name for c in second[0]]
    assert [qr_texts(raster_image(j[0])) for j in (first, second)] == [
        ["kiosk://ticket/2026-11-25/A-001"],
        ["kiosk://ticket/2026-11-25/A-002"],
    ]


def test_the_file_printer_appends_each_job(tmp_path: Path) -> None:
    path = tmp_path / "printer.bin"
    printer = FilePrinter(path, 58)
    first, second = render_ticket(ticket(), 58), render_receipt(receipt(), 58)
    printer.print_image(first)
    printer.print_image(second)
    stream = path.read_bytes()
    printed = [raster_image(job) for job in jobs(stream)]
    assert [p.width for p in printed] == [384, 384]
    assert [qr_texts(p) for p in printed] == [[ticket().qr], ["kiosk://feedback/261125-7KQ4"]]
    assert printed[0].tobytes() == first.tobytes()
    assert stream == ticket_bytes(first, 384) + ticket_bytes(second, 384)
    assert hangul_free(stream)
    assert printer.status().ok


def test_a_long_ticket_goes_in_several_raster_blocks_that_join_seamlessly(tmp_path: Path) -> None:
    image = render_ticket(ticket(service="아주 긴 업무 이름 " * 20), 80)
    (job,) = jobs(ticket_bytes(image, 576))
    assert len([c for c in job if c.name == "raster"]) > 1
    assert raster_image(job).tobytes() == image.tobytes()


def test_a_raster_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="384"):
        FilePrinter(tmp_path / "p.bin", 58).print_image(render_ticket(ticket(), 80))


def test_nobody_listening_is_offline() -> None:
    printer = NetworkPrinter("127.0.0.1", free_port(), 80, timeout=1)
    status = printer.status()
    assert not status.online and not status.ok
    assert "connection refused" in status.reason.lower()
    with pytest.raises(PrinterFault) as fault:
        printer.print_image(render_ticket(ticket()))
    assert not fault.value.status.online


@pytest.mark.parametrize(
    ("replies", "field", "reason"),
    [
        ({1: 0x1A, 2: 0x32, 4: 0x7E}, "paper_out", "paper out"),  # offline because the roll ended
        ({1: 0x1A, 2: 0x16, 4: 0x12}, "cover_open", "cover open"),
        ({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}, "error", "cutter error"),
    ],
)
def test_a_printer_reporting_a_fault_gets_no_ticket(replies: dict[int, int], field: str, reason: str) -> None:
    server = RecordingPrinter(replies=replies)
    try:
        printer = NetworkPrinter("127.0.0.1", server.port, 80, status_timeout=1)
        status = printer.status()
        assert getattr(status, field) and status.online and not status.ok
        assert reason in status.reason
        with pytest.raises(PrinterFault) as fault:
            printer.print_image(render_ticket(ticket()))
        assert getattr(fault.value.status, field)
        assert wait_for(lambda: len(server.connections) == 2)
        assert b"\x1dv0" not in server.stream()
    finally:
        server.close()


def test_a_healthy_printer_that_answers_gets_its_ticket() -> None:
    server = RecordingPrinter(replies=NORMAL)
    try:
        printer = NetworkPrinter("127.0.0.1", server.port, 80, status_timeout=1)
        assert printer.status().ok
        printer.print_image(render_ticket(ticket()))
        assert wait_for(lambda: len(server.connections) == 2)
        (job,) = jobs(server.connections[1])
        assert [c.arg for c in job if c.name == "status"] == [1, 2, 4]
        assert qr_texts(raster_image(job)) == [ticket().qr]
    finally:
        server.close()


def test_realtime_status_bytes() -> None:
    assert parse_realtime(0x12, 0x12, None, 0x12).ok
    low = parse_realtime(0x12, 0x12, None, 0x1E)
    assert low.ok and low.paper_low and "paper low" in low.reason
    out = parse_realtime(0x1A, 0x32, None, 0x72)
    assert out.paper_out and not out.ok and out.online
    unexplained = parse_realtime(0x1A, 0x12, None, 0x12)
    assert not unexplained.online and unexplained.reason == "offline"


def test_the_png_printer_saves_what_would_be_printed(tmp_path: Path) -> None:
    printer = PngPrinter(tmp_path / "out", 80)
    printer.print_image(render_ticket(ticket()))
    (saved,) = (tmp_path / "out").iterdir()
    with Image.open(saved) as image:
        assert image.width == 576
        assert qr_texts(image) == [ticket().qr]
