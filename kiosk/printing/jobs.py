"""What goes on paper: plain values the screens fill in, independent of the services.

A job carries already-translated words (the service name, the priority reason) and numbers; the
fixed labels around them ("앞 대기", "Estimated wait") belong to the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPER_DOTS = {58: 384, 80: 576}
"""Printable dots across the paper at 203 dpi (8 dots/mm): 48 mm on 58 mm paper, 72 mm on 80 mm."""

DPI = 203


def paper_dots(paper_mm: int) -> int:
    """The raster width for ``paper_mm`` paper; a clear error for a paper the kiosk does not know."""
    try:
        return PAPER_DOTS[paper_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, not {paper_mm!r}") from None


@dataclass(frozen=True)
class TicketPrint:
    """One queue ticket as the visitor takes it from the slot."""

    facility: str
    number: str
    service: str
    priority: str | None
    """The priority reason in ``lang`` ("장애인", "Elderly"), or ``None`` for an ordinary ticket."""
    ahead: int
    """People waiting before this ticket when it was issued."""
    wait_min: int
    wait_max: int
    """The wait range in minutes; ``0, 0`` means the visitor is called right away."""
    issued_at: str
    """Local time as printed ("2026-11-25 10:04")."""
    qr: str
    """The ticket status URL the QR code holds."""
    lang: str = "ko"


@dataclass(frozen=True)
class ReceiptPrint:
    """The voice box's receipt: the number and PIN to read the answer later."""

    facility: str
    receipt: str
    pin: str
    answer_by: str
    """The promised answer date, local ("2026-12-02")."""
    qr: str
    """``kiosk://feedback/RECEIPT``: the receipt number only, never the PIN."""
    issued_at: str
    lang: str = "ko"


PrintJob = TicketPrint | ReceiptPrint
