"""What a printer says about itself, and the one interface every printer kind offers.

ESC/POS real-time status (``DLE EOT n``) answers one byte per query even while the printer is
offline: ``n=1`` printer, ``n=2`` offline cause, ``n=3`` error cause, ``n=4`` roll paper sensor.
Each reply byte has bit 1 and bit 4 set and bits 0 and 7 clear, which is how a reply is told apart
from noise. A printer that cannot be reached at all is offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image

DLE_EOT = b"\x10\x04"


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    paper_out: bool = False
    cover_open: bool = False
    error: bool = False
    paper_low: bool = False
    """Near the end of the roll: still printing, staff should change it soon."""
    reason: str = ""
    """For staff and the log, in plain words ("paper out", "offline: connection refused")."""

    @property
    def ok(self) -> bool:
        """A ticket sent now would come out of the slot."""
        return self.online and not (self.paper_out or self.cover_open or self.error)


ONLINE = PrinterStatus(online=True)


class PrinterFault(Exception):
    """The printer cannot print now; ``status`` says why. The job is kept and retried."""

    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(status.reason or "printer fault")
        self.status = status


def offline(reason: str) -> PrinterStatus:
    return PrinterStatus(online=False, reason=f"offline: {reason}")


class Printer(Protocol):
    """One printer as the spooler sees it. Both calls may block (network, USB): worker thread only."""

    paper_mm: int

    def print_image(self, image: Image.Image) -> None:
        """Print ``image`` (exactly the paper's dot width) and cut; ``PrinterFault`` if it cannot."""
        ...

    def status(self) -> PrinterStatus: ...


def valid_reply(byte: int) -> bool:
    return byte & 0x93 == 0x12


def parse_realtime(
    printer: int, offline_cause: int | None = None, error_cause: int | None = None, paper: int | None = None
) -> PrinterStatus:
    """A status from the reply bytes to ``DLE EOT 1`` (and ``2``, ``3``, ``4`` where asked)."""
    cover = bool(offline_cause is not None and offline_cause & 0x04)
    paper_stop = bool(offline_cause is not None and offline_cause & 0x20)
    error = bool(offline_cause is not None and offline_cause & 0x40)
    cutter = bool(error_cause is not None and error_cause & 0x08)
    unrecoverable = bool(error_cause is not None and error_cause & 0x20)
    paper_out = paper_stop or bool(paper is not None and paper & 0x60 == 0x60)
    paper_low = bool(paper is not None and paper & 0x0C)
    is_offline = bool(printer & 0x08)
    causes = [
        word
        for word, present in (
            ("paper out", paper_out),
            ("cover open", cover),
            ("cutter error", cutter),
            ("unrecoverable error", unrecoverable),
            ("printer error", error and not (cutter or unrecoverable)),
        )
        if present
    ]
    # A printer that stopped for a known cause still answers: it is reachable, just not ready.
    unexplained = is_offline and not causes
    notes = causes + (["offline"] if unexplained else []) + (["paper low"] if paper_low and not paper_out else [])
    return PrinterStatus(
        online=not unexplained,
        paper_out=paper_out,
        cover_open=cover,
        error=error or cutter or unrecoverable,
        paper_low=paper_low and not paper_out,
        reason=", ".join(notes),
    )
