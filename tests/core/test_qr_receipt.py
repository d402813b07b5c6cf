"""The voice box receipt's QR code read back from a picture: the kiosk's own code gives the receipt
number (the visitor then types only the PIN); any other code gives nothing, so nothing foreign is
ever typed into the receipt field. Pictures are rendered the way the receipt page renders them."""

from __future__ import annotations

import random
from datetime import date

import qrcode
from PIL import Image, ImageChops, ImageFilter

from kiosk.domain.feedback import new_receipt
from kiosk.services.qr_receipt import QR_PREFIX, decode_receipt, receipt_from_qr_text, receipt_qr_text

RECEIPT = "261125-7KQ4"


def receipt_qr(text: str, module_px: int = 8) -> Image.Image:
    """``text`` as the receipt page draws it (``kiosk_screen.qr_image``: level M, mask 0, 4-module border)."""
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0, box_size=module_px)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image().get_image().convert("L")


def photo_of(code: Image.Image, seed: int = 6) -> Image.Image:
    """A phone-camera-like 640 x 480 frame: the code small, tilted, on a gray desk, dim, noisy, soft."""
    rng = random.Random(seed)
    frame = Image.new("L", (640, 480), 110)
    small = code.resize((200, 200), Image.Resampling.BILINEAR).rotate(
        7, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=110
    )
    frame.paste(small, (260, 120))
    dim = frame.point(lambda v: 30 + v * 0.7)  # glare-free but gray: the paper is not white, the ink not black
    noise = Image.frombytes("L", dim.size, rng.randbytes(dim.width * dim.height)).point(lambda v: v // 5)
    noisy = ImageChops.subtract(ImageChops.add(dim, noise), noise.transpose(Image.Transpose.ROTATE_180))
    return noisy.filter(ImageFilter.GaussianBlur(0.8))


def test_the_receipt_page_code_reads_back_as_its_receipt_number() -> None:
    text = receipt_qr_text(RECEIPT)
    assert text == f"kiosk://feedback/{RECEIPT}" and text.startswith(QR_PREFIX)
    assert decode_receipt(receipt_qr(text)) == RECEIPT
    assert decode_receipt(receipt_qr(text).convert("RGB")) == RECEIPT  # a colour frame too


def test_a_photo_of_the_code_small_tilted_and_noisy_still_reads() -> None:
    photo = photo_of(receipt_qr(receipt_qr_text(RECEIPT)))
    assert decode_receipt(photo) == RECEIPT
    # The same picture as the kiosk's scanner hands it over: gray rows in a buffer, no Pillow.
    buffer = memoryview(photo.tobytes()).cast("B", (photo.height, photo.width))
    assert decode_receipt(buffer) == RECEIPT


def test_a_code_from_anywhere_else_gives_nothing() -> None:
    for text in (
        "https://www.example.go.kr/feedback/261125-7KQ4",  # a poster's web address
        "kiosk://ticket/2026-11-25/B-001",  # the kiosk's own queue ticket
        "kiosk://feedback/261125-7KQ4?pin=480213",  # not the receipt's form (and a PIN never goes in)
        "kiosk://feedback/hello",
        "KIOSK://FEEDBACK/261125-7KQ4",
    ):
        assert receipt_from_qr_text(text) is None, text
        assert decode_receipt(receipt_qr(text)) is None, text
    assert decode_receipt(Image.new("L", (320, 240), 255)) is None  # no code at all


def test_the_kiosk_code_is_found_beside_a_foreign_one() -> None:
    frame = Image.new("L", (900, 400), 255)
    frame.paste(receipt_qr("https://example.com/pay?id=1", 6), (10, 10))
    frame.paste(receipt_qr(receipt_qr_text(RECEIPT), 6), (480, 10))
    assert decode_receipt(frame) == RECEIPT


def test_receipt_numbers_are_normalized_as_typed_ones_are() -> None:
    assert receipt_from_qr_text(" kiosk://feedback/26ll25-7kq4 ") == RECEIPT
    assert receipt_from_qr_text("kiosk://feedback/261125-K1-7KQ4") == "261125-K1-7KQ4"  # issued offline
    for _ in range(20):
        receipt = new_receipt(date(2026, 11, 25), tag=random.choice(["", "K1", "N"]))
        assert receipt_from_qr_text(receipt_qr_text(receipt)) == receipt
