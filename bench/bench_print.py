"""An 80 mm ticket with its QR code, ready on the printer (target ≤ 150 ms median).

    .venv/bin/python bench/bench_print.py [rounds]

One round is what the spooler's worker does for a ticket: draw the raster (Pillow, Korean font,
QR code), build the ESC/POS stream (python-escpos: ``GS v 0`` blocks and the cut), open a TCP
connection to the printer, ask its real-time status (``DLE EOT 1, 2, 4``), write the bytes and
close. The printer is a local thread on 127.0.0.1 that answers "ready" and reads every byte, so
the figure is the kiosk's own work, not a printer's wire speed. Each round prints another number.
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
import time

from kiosk.printing.escpos_backend import NetworkPrinter, ticket_bytes
from kiosk.printing.jobs import TicketPrint
from kiosk.printing.render import render_ticket

READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


def _printer_port() -> tuple[int, list[int]]:
    """A printer on 127.0.0.1 that answers status queries and counts the bytes it was sent."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    received = [0]

    def serve(conn: socket.socket) -> None:
        with conn:
            tail = b""
            while chunk := conn.recv(65536):
                received[0] += len(chunk)
                data = tail + chunk
                at = data.find(b"\x10\x04")
                while at != -1 and at + 2 < len(data):
                    if data[at + 2] in READY:
                        conn.sendall(bytes((READY[data[at + 2]],)))
                    at = data.find(b"\x10\x04", at + 3)
                tail = data[-2:]

    def accept() -> None:
        while True:
            conn, _ = server.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1], received


def ticket(i: int) -> TicketPrint:
    number = f"A-{i % 1000:03d}"
    return TicketPrint(
        facility="서울시설공단 민원실",
        number=number,
        service="주민등록 등·초본 발급",
        priority="장애인" if i % 5 == 0 else None,
        ahead=i % 17,
        wait_min=5 + i % 10,
        wait_max=10 + i % 10,
        issued_at="2026-11-25 10:04",
        qr=f"kiosk://ticket/2026-11-25/{number}",
    )


def main(rounds: int = 200) -> None:
    port, received = _printer_port()
    printer = NetworkPrinter("127.0.0.1", port, 80, status_timeout=1.0)
    draw, build, whole = "raster drawn", "ESC/POS stream built", "end to end: drawn, built, status asked, sent"
    figures: dict[str, list[float]] = {draw: [], build: [], whole: []}
    for i in range(rounds + 5):
        job = ticket(i)
        t0 = time.perf_counter()
        image = render_ticket(job, 80)
        t1 = time.perf_counter()
        ticket_bytes(image, printer.dots)
        t2 = time.perf_counter()
        printer.print_image(render_ticket(job, 80))
        t3 = time.perf_counter()
        assert image.width == 576 and printer.reports_status
        if i >= 5:  # warm-up: font files, first QR tables
            figures[draw].append((t1 - t0) * 1000)
            figures[build].append((t2 - t1) * 1000)
            figures[whole].append((t3 - t2) * 1000)
    print(f"80 mm ticket with QR, {rounds} rounds (target ≤ 150 ms median end to end)")
    print(f"({received[0] / (rounds + 5) / 1024:.0f} KiB per ticket)")
    print("| step | median ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, samples in figures.items():
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | {samples[-1]:.1f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
