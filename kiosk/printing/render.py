"""Drawing a ticket or a receipt as a 1-bit raster at the printer's dot width.

The picture is the whole print: the printer gets dots, never text, so Hangul cannot be garbled by a
code page. Sizes are set for 80 mm paper (576 dots) and scaled for 58 mm (384 dots) with a floor
that keeps small lines legible (16 dots = 2 mm). Long words wrap, by characters if they must, so
nothing is cut at the paper's edge.
"""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw, ImageFont

from kiosk.printing.fonts import KoreanFonts, korean_fonts
from kiosk.printing.jobs import PrintJob, ReceiptPrint, TicketPrint, paper_dots
from kiosk.printing.labels import PRIORITY_MARK, ahead_text, label, other, wait_text

WHITE, BLACK = 1, 0
"""Pillow's mode "1": 1 is paper, 0 is a dot the printer burns."""

QR_QUIET = 4
"""Modules of blank paper a QR reader needs around the code."""


class _Sheet:
    """A column of blocks drawn top to bottom; the picture is cropped to what was drawn."""

    def __init__(self, width: int, fonts: KoreanFonts) -> None:
        self.width = width
        self.scale = width / 576
        self.margin = max(8, round(16 * self.scale))
        self.fonts = fonts
        self.image = Image.new("1", (width, 1600), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin

    def px(self, base: float, floor: int = 16) -> int:
        return max(floor, round(base * self.scale))

    def font(self, base: float, *, bold: bool = False, floor: int = 16) -> ImageFont.FreeTypeFont:
        return self.fonts.font(self.px(base, floor), bold=bold)

    @property
    def inner(self) -> int:
        return self.width - 2 * self.margin

    def _room(self, height: int) -> None:
        if self.y + height + self.margin <= self.image.height:
            return
        grown = Image.new("1", (self.width, max(self.image.height * 2, self.y + height + self.margin)), WHITE)
        grown.paste(self.image, (0, 0))
        self.image = grown
        self.draw = ImageDraw.Draw(self.image)

    def space(self, base: float) -> None:
        self.y += round(base * self.scale)

    def text(self, text: str, font: ImageFont.FreeTypeFont, *, align: str = "center", width: int | None = None) -> None:
        width = width or self.inner
        ascent, descent = font.getmetrics()
        for line in wrap(text, font, width):
            self._room(ascent + descent)
            length = font.getlength(line)
            x = self.margin + (width - length) / 2 if align == "center" else self.margin
            self.draw.text((x, self.y), line, font=font, fill=BLACK)
            self.y += ascent + descent

    def fit(self, text: str, base: float, *, bold: bool = True) -> None:
        """One line as large as ``base`` allows within the paper (ticket numbers, receipt codes)."""
        size = self.px(base)
        font = self.fonts.font(size, bold=bold)
        while size > 16 and font.getlength(text) > self.inner:
            size -= 4
            font = self.fonts.font(size, bold=bold)
        left, top, right, bottom = (round(v) for v in font.getbbox(text))
        self._room(bottom - top)
        x = self.margin + (self.inner - (right - left)) / 2 - left
        self.draw.text((x, self.y - top), text, font=font, fill=BLACK)
        self.y += bottom - top

    def bar(self, text: str, font: ImageFont.FreeTypeFont) -> None:
        """White words on a black band: the priority mark, seen at a glance."""
        ascent, descent = font.getmetrics()
        pad = self.px(8, floor=6)
        lines = wrap(text, font, self.inner - 2 * pad)
        height = len(lines) * (ascent + descent) + 2 * pad
        self._room(height)
        self.draw.rectangle((self.margin, self.y, self.width - self.margin - 1, self.y + height - 1), fill=BLACK)
        y = self.y + pad
        for line in lines:
            x = self.margin + (self.inner - font.getlength(line)) / 2
            self.draw.text((x, y), line, font=font, fill=WHITE)
            y += ascent + descent
        self.y += height

    def rule(self) -> None:
        gap = self.px(10, floor=6)
        self._room(2 * gap + 2)
        self.y += gap
        self.draw.rectangle((self.margin, self.y, self.width - self.margin - 1, self.y + 1), fill=BLACK)
        self.y += 2 + gap

    def qr(self, content: str, base: float) -> None:
        code = qr_image(content, self.px(base, floor=120))
        quiet = code.width // 10  # the code's own quiet zone is added as paper around it
        self._room(code.height + 2 * quiet)
        self.y += quiet
        self.image.paste(code, ((self.width - code.width) // 2, self.y))
        self.y += code.height + quiet

    def finish(self) -> Image.Image:
        return self.image.crop((0, 0, self.width, self.y + self.margin))


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines that fit ``width``: at spaces, and inside a word only when the word alone is too wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while font.getlength(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and font.getlength(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def qr_image(content: str, target: int) -> Image.Image:
    """The QR code at whole dots per module, as close to ``target`` dots wide as that allows,
    with its quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_QUIET)
    code.add_data(content)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    small = Image.new("1", (n, n), WHITE)
    small.putdata([BLACK if cell else WHITE for row in matrix for cell in row])
    box = max(3, target // n)
    return small.resize((n * box, n * box), Image.Resampling.NEAREST)


def render_ticket(ticket: TicketPrint, paper_mm: int = 80, fonts: KoreanFonts | None = None) -> Image.Image:
    """The ticket as the printer prints it: ``paper_dots(paper_mm)`` wide, 1 bit per dot."""
    sheet = _Sheet(paper_dots(paper_mm), fonts or korean_fonts())
    lang, second = ticket.lang, other(ticket.lang)
    sheet.text(ticket.facility, sheet.font(30, bold=True))
    sheet.text(label(lang, "title"), sheet.font(24))
    sheet.text(label(second, "title"), sheet.font(18))
    sheet.space(6)
    sheet.fit(ticket.number, 150)
    sheet.space(14)
    sheet.text(ticket.service, sheet.font(36, bold=True))
    if ticket.priority is not None:
        sheet.space(10)
        mark = f"{PRIORITY_MARK} {label(lang, 'priority')}"
        sheet.bar(f"{mark} · {ticket.priority}" if ticket.priority else mark, sheet.font(30, bold=True))
        sheet.text(f"{PRIORITY_MARK} {label(second, 'priority')}", sheet.font(20))
    sheet.rule()
    sheet.text(ahead_text(lang, ticket.ahead), sheet.font(30, bold=True))
    sheet.text(ahead_text(second, ticket.ahead), sheet.font(20))
    sheet.space(8)
    sheet.text(wait_text(lang, ticket.wait_min, ticket.wait_max), sheet.font(30, bold=True))
    sheet.text(wait_text(second, ticket.wait_min, ticket.wait_max), sheet.font(20))
    sheet.rule()
    sheet.qr(ticket.qr, 240)
    sheet.text(label(lang, "qr"), sheet.font(22))
    sheet.space(10)
    sheet.text(label(lang, "keep"), sheet.font(20))
    sheet.text(label(lang, "issued", time=ticket.issued_at), sheet.font(20))
    return sheet.finish()


def render_receipt(receipt: ReceiptPrint, paper_mm: int = 80, fonts: KoreanFonts | None = None) -> Image.Image:
    """The voice box's receipt: receipt number and PIN large, the answer date, the QR code."""
    sheet = _Sheet(paper_dots(paper_mm), fonts or korean_fonts())
    lang, second = receipt.lang, other(receipt.lang)
    sheet.text(receipt.facility, sheet.font(30, bold=True))
    sheet.text(label(lang, "receipt_title"), sheet.font(28, bold=True))
    sheet.text(label(second, "receipt_title"), sheet.font(18))
    sheet.rule()
    sheet.text(f"{label(lang, 'receipt')} · {label(second, 'receipt')}", sheet.font(22))
    sheet.fit(receipt.receipt, 64)
    sheet.space(12)
    sheet.text(f"{label(lang, 'pin')} · {label(second, 'pin')}", sheet.font(22))
    sheet.fit(receipt.pin, 64)
    sheet.space(8)
    sheet.text(label(lang, "pin_note"), sheet.font(20))
    sheet.rule()
    sheet.text(label(lang, "answer_by", date=receipt.answer_by), sheet.font(28, bold=True))
    sheet.text(label(second, "answer_by", date=receipt.answer_by), sheet.font(20))
    sheet.rule()
    sheet.qr(receipt.qr, 220)
    sheet.text(label(lang, "receipt_qr"), sheet.font(20))
    sheet.space(6)
    sheet.text(label(lang, "issued", time=receipt.issued_at), sheet.font(20))
    return sheet.finish()


def render(job: PrintJob, paper_mm: int = 80) -> Image.Image:
    if isinstance(job, TicketPrint):
        return render_ticket(job, paper_mm)
    return render_receipt(job, paper_mm)
