"""Tickets and receipts as the kiosk fills them in."""

from __future__ import annotations

from kiosk.printing.jobs import ReceiptPrint, TicketPrint


def ticket(number: str = "A-017", **kw: object) -> TicketPrint:
    fields: dict[str, object] = {
        "facility": "서울시설공단 민원실",
        "number": number,
        "service": "주민등록 등·초본 발급",
        "priority": None,
        "ahead": 3,
        "wait_min": 10,
        "wait_max": 15,
        "issued_at": "2026-11-25 10:04",
        "qr": f"kiosk://ticket/2026-11-25/{number}",
        "lang": "ko",
    }
    fields.update(kw)
    return TicketPrint(**fields)  # type: ignore[arg-type]


def receipt(lang: str = "ko") -> ReceiptPrint:
    return ReceiptPrint(
        facility="서울시설공단 민원실" if lang == "ko" else "Seoul Facilities Service Center",
        receipt="261125-7KQ4",
        pin="4821",
        answer_by="2026-12-02",
        qr="kiosk://feedback/261125-7KQ4",
        issued_at="2026-11-25 10:04",
        lang=lang,
    )
