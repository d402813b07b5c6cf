"""The ticket raster: the paper's width, a QR code a phone reads, Hangul and the priority mark
drawn, long names wrapped inside the paper."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from kiosk.printing import fonts
from kiosk.printing.fonts import FontNotFoundError, korean_fonts
from kiosk.printing.labels import ahead_text, wait_text
from kiosk.printing.render import render_receipt, render_ticket
from tests.printing.escpos_stream import qr_texts
from tests.printing.samples import receipt, ticket


def blank_column(image: Image.Image, x: int) -> bool:
    return image.crop((x, 0, x + 1, image.height)).convert("L").getextrema() == (255, 255)


@pytest.mark.parametrize(("paper_mm", "dots"), [(58, 384), (80, 576)])
def test_ticket_is_the_papers_width_in_one_bit_and_its_qr_reads(paper_mm: int, dots: int) -> None:
    image = render_ticket(ticket(), paper_mm)
    assert image.mode == "1"
    assert image.width == dots
    assert qr_texts(image) == ["kiosk://ticket/2026-11-25/A-017"]
    assert blank_column(image, 0) and blank_column(image, dots - 1)


def test_the_font_draws_hangul_and_the_star() -> None:
    font = korean_fonts().font(32, bold=True)
    missing = fonts._glyph(font, "\uffff")
    for char in ("가", "번", "★"):
        assert fonts._glyph(font, char) != missing, char


def band_rows(image: Image.Image) -> list[int]:
    """The tallest run of rows black from edge to edge and mostly black: the priority band with its
    white words (a rule is only 2 rows)."""
    gray, w = image.convert("L").tobytes(), image.width
    left, right = int(w * 0.04), int(w * 0.96)
    dark = [
        gray[y * w + left] == 0 and gray[y * w + right] == 0 and gray[y * w : (y + 1) * w].count(0) > 0.5 * w
        for y in range(image.height)
    ]
    best: list[int] = []
    run: list[int] = []
    for y, is_dark in enumerate(dark):
        run = [*run, y] if is_dark else []
        if len(run) > len(best):
            best = run
    return best


def text_extent_in_band(image: Image.Image, rows: list[int]) -> int:
    """How wide the white words inside the black band are."""
    band = image.crop((1, rows[0] + 2, image.width - 1, rows[-1] - 1))
    columns = [x for x in range(band.width) if any(band.getpixel((x, y)) for y in range(band.height))]
    # The band's own white margins lie outside it: only columns black on the band's first row count.
    inside = [x for x in columns if not image.getpixel((x + 1, rows[0]))]
    return max(inside) - min(inside) if inside else 0


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("paper_mm", [58, 80])
def test_a_priority_ticket_carries_the_mark_and_the_word(lang: str, paper_mm: int) -> None:
    plain = render_ticket(ticket(lang=lang), paper_mm)
    priority = render_ticket(ticket(lang=lang, priority="장애인" if lang == "ko" else "Disabled"), paper_mm)
    # Same head (facility, number, service), then the band and the other language's "★ …" line.
    top = plain.height // 3
    assert (
        ImageChops.difference(plain.crop((0, 0, plain.width, top)), priority.crop((0, 0, plain.width, top))).getbbox()
        is None
    )
    assert priority.height > plain.height + 40
    assert len(band_rows(plain)) < 5
    band = band_rows(priority)
    assert len(band) >= 20, "no black priority band"
    star = korean_fonts().font(30, bold=True).getlength("★") * priority.width / 576
    # "★ 우선 고객 · 장애인" / "★ Priority · Disabled": many times the star's width, never the star alone.
    assert text_extent_in_band(priority, band) > 5 * star
    assert qr_texts(priority) == [ticket().qr]


def test_the_mark_is_written_in_the_tickets_language() -> None:
    ko = render_ticket(ticket(priority="장애인"))
    en = render_ticket(ticket(priority="Disabled", lang="en"))
    ko_band, en_band = band_rows(ko), band_rows(en)
    assert ko_band and en_band
    assert (
        ko.crop((0, ko_band[0], ko.width, ko_band[-1])).tobytes()
        != en.crop((0, en_band[0], en.width, en_band[-1])).tobytes()
    )


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_long_service_names_wrap_inside_the_paper(paper_mm: int) -> None:
    short = render_ticket(ticket(), paper_mm)
    long_words = render_ticket(
        ticket(service="가족관계등록부 등 증명서 발급 및 인감증명서 발급 그리고 주민등록 전입신고"), paper_mm
    )
    one_word = render_ticket(ticket(service="가" * 60 + "W" * 30), paper_mm)
    for image in (long_words, one_word):
        assert image.height > short.height + 30
        assert blank_column(image, 0) and blank_column(image, image.width - 1)
        assert qr_texts(image) == [ticket().qr]


def test_a_long_number_shrinks_to_fit() -> None:
    image = render_ticket(ticket(number="A-K12-1234", qr="kiosk://ticket/2026-11-25/A-K12-1234"), 58)
    assert blank_column(image, 0) and blank_column(image, image.width - 1)
    assert qr_texts(image) == ["kiosk://ticket/2026-11-25/A-K12-1234"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_receipt_holds_its_qr_and_fits(lang: str) -> None:
    for paper_mm, dots in ((58, 384), (80, 576)):
        image = render_receipt(receipt(lang), paper_mm)
        assert image.width == dots and image.mode == "1"
        assert qr_texts(image) == ["kiosk://feedback/261125-7KQ4"]
        assert blank_column(image, dots - 1)


def test_wait_and_position_lines_read_naturally() -> None:
    assert ahead_text("ko", 0) == "앞에 기다리는 분이 없습니다"
    assert ahead_text("ko", 3) == "내 앞 대기 3명"
    assert ahead_text("en", 1) == "1 person ahead of you"
    assert ahead_text("en", 4) == "4 people ahead of you"
    assert wait_text("ko", 0, 0) == "곧 호출됩니다"
    assert wait_text("ko", 5, 5) == "예상 대기 약 5분"
    assert wait_text("ko", 10, 15) == "예상 대기 10~15분"
    assert wait_text("en", 15, 10) == "Estimated wait 10–15 min"


def test_no_korean_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_shipped", lambda: None)
    monkeypatch.setattr(fonts, "_system", lambda: None)
    korean_fonts.cache_clear()
    try:
        with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
            korean_fonts()
    finally:
        monkeypatch.undo()
        korean_fonts.cache_clear()
    assert korean_fonts().regular.path.is_file()
