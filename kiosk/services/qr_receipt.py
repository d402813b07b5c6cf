"""The voice box receipt's QR code: what it holds, and reading a receipt number back from a picture.

The receipt page shows a QR code holding ``kiosk://feedback/RECEIPT`` (the receipt number only,
never the PIN). A kiosk with a camera can read it back, so the visitor only types the PIN. Only the
kiosk's own form is accepted: a QR code from anywhere else (a poster's web address, a payment code)
must never end up typed into the receipt field.

Qt-free: the kiosk's scanner hands in a grayscale frame; tests hand in Pillow images. Decoding uses
zxing-cpp, which releases the GIL while it works, so a worker thread decodes without stalling the UI.
"""

from __future__ import annotations

import re

from kiosk.domain.feedback import RECEIPT_ALPHABET, normalize_receipt

QR_PREFIX = "kiosk://feedback/"
"""What the receipt's QR code starts with; the receipt number follows (the one place this is spelled)."""

_RECEIPT = re.compile(rf"\d{{6}}(?:-[0-9A-Z]{{1,16}})?-[{RECEIPT_ALPHABET}]{{4}}")
"""``261125-7KQ4``, or ``261125-K1-7KQ4`` from a node that issued it offline (``new_receipt``)."""


def receipt_qr_text(receipt: str) -> str:
    """What the receipt page's QR code encodes for ``receipt``."""
    return f"{QR_PREFIX}{receipt}"


def receipt_from_qr_text(text: str) -> str | None:
    """The receipt number in a QR code's text, or ``None`` if it is not a kiosk receipt's code."""
    text = text.strip()
    if not text.startswith(QR_PREFIX):
        return None
    receipt = normalize_receipt(text[len(QR_PREFIX) :])
    return receipt if _RECEIPT.fullmatch(receipt) else None


def decode_receipt(image: object) -> str | None:
    """The first kiosk receipt number in ``image``, or ``None``.

    ``image``: anything zxing-cpp reads: a Pillow image, a numpy array (grayscale or BGR), or a
    buffer shaped ``(height, width)`` of 8-bit gray (``memoryview(data).cast("B", (h, w))``).
    Other QR codes in the picture are skipped, not reported.
    """
    import zxingcpp  # on first use: the kiosk without a camera never loads it

    formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    for barcode in zxingcpp.read_barcodes(image, formats=formats):
        receipt = receipt_from_qr_text(barcode.text)
        if receipt is not None:
            return receipt
    return None
