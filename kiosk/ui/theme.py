"""Colours, sizes and the application font.

Colours meet WCAG contrast for text (>= 4.5:1; checked by tests). Priority is never shown by
colour alone: it always carries a word and a symbol too. Sizes are in pixels at the kiosk's
typical 96 dpi; the accessibility issue (3) turns them into millimetres per configured DPI.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication

from kiosk.paths import assets_dir

BG = "#F4F6F8"
SURFACE = "#FFFFFF"
TEXT = "#1A1D21"
MUTED = "#4A5360"
PRIMARY = "#0B4F9C"
PRIMARY_TEXT = "#FFFFFF"
PRIORITY = "#8A1C1C"
PRIORITY_BG = "#FDECEC"
OK = "#1B5E20"
BOARD_BG = "#0E1A2B"
BOARD_TEXT = "#FFFFFF"
BOARD_ACCENT = "#FFD54F"

# Every text/background pair the screens' style sheets use (checked ≥ 4.5:1 by the tests).
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "text on background": (TEXT, BG),
    "text on surface": (TEXT, SURFACE),
    "help text on background": (MUTED, BG),
    "help text on surface": (MUTED, SURFACE),
    "button text on primary": (PRIMARY_TEXT, PRIMARY),
    "priority text on priority background": (PRIORITY, PRIORITY_BG),
    "alert text on priority": ("#FFFFFF", PRIORITY),
    "countdown text": (TEXT, "#FFF4CE"),
    "board text": (BOARD_TEXT, BOARD_BG),
    "board number": (BOARD_ACCENT, BOARD_BG),
    "board headings": ("#C9D3E0", BOARD_BG),
    "board priority": ("#FFB4A9", BOARD_BG),
    "board side panel text": (BOARD_TEXT, "#16263D"),
    "board waiting counts": ("#DDE5EF", BOARD_BG),
    "disabled call button": (TEXT, "#9AA3AE"),
    "disabled accept button": ("#4A0F0F", "#D9A3A3"),
}


@dataclass(frozen=True)
class Palette:
    """The colours of a visitor screen; every text pair is checked (4.5:1 standard, 7:1 high contrast)."""

    name: str
    bg: str
    surface: str
    text: str
    muted: str
    primary: str
    primary_text: str
    priority: str
    priority_bg: str
    bar: str
    focus: str
    warn_bg: str
    warn_border: str
    bar_edge: str
    bar_focus: str
    min_ratio: float

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        return {
            "text on background": (self.text, self.bg),
            "text on surface": (self.text, self.surface),
            "help text on background": (self.muted, self.bg),
            "button text on primary": (self.primary_text, self.primary),
            "priority text": (self.priority, self.priority_bg),
            "countdown text": (self.text, self.warn_bg),
        }

    def boundary_pairs(self) -> dict[str, tuple[str, str]]:
        """Non-text contrast (≥ 3:1): button borders and the focus ring against their background."""
        return {
            "button border": (self.primary, self.bg),
            "focus ring on background": (self.focus, self.bg),
            "focus ring on surface": (self.focus, self.surface),
            "bottom bar buttons": (self.bar_edge, self.bar),
            "focus ring on the bottom bar": (self.bar_focus, self.bar),
        }


STANDARD = Palette(
    "standard",
    BG,
    SURFACE,
    TEXT,
    MUTED,
    PRIMARY,
    PRIMARY_TEXT,
    PRIORITY,
    PRIORITY_BG,
    TEXT,
    TEXT,
    "#FFF4CE",
    "#7A5B00",
    SURFACE,
    "#FFD54F",
    4.5,
)
HIGH_CONTRAST = Palette(
    "high-contrast",
    "#000000",
    "#000000",
    "#FFFFFF",
    "#FFFFFF",
    "#FFE600",
    "#000000",
    "#FFC9C9",
    "#000000",
    "#1A1A1A",
    "#00E5FF",
    "#000000",
    "#FFE600",
    "#FFFFFF",
    "#00E5FF",
    7.0,
)

MIN_TOUCH_PX = 72
PRIORITY_MARK = "★"

KOREAN_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "Nanum Gothic",
    "NanumBarunGothic",
    "Malgun Gothic",  # Windows
    "Apple SD Gothic Neo",  # macOS
)


def load_bundled_fonts() -> None:
    """Register TTF/OTF files shipped in ``assets/fonts`` (the installer puts the Korean font there)."""
    fonts: Path = assets_dir() / "fonts"
    if fonts.is_dir():
        for f in sorted(fonts.iterdir()):
            if f.suffix.lower() in {".ttf", ".otf", ".ttc"}:
                QFontDatabase.addApplicationFont(str(f))


def korean_family() -> str:
    families = set(QFontDatabase.families())
    for name in KOREAN_FAMILIES:
        if name in families:
            return name
    return QGuiApplication.font().family()


def apply_app_font(app: QGuiApplication, point_size: int = 16) -> QFont:
    """Set a font that has Hangul explicitly; without it Qt may draw Korean as boxes."""
    load_bundled_fonts()
    font = QFont(korean_family(), point_size)
    app.setFont(font)
    return font


def font(point_size: int, bold: bool = False) -> QFont:
    f = QFont(korean_family(), point_size)
    f.setBold(bold)
    return f


HANGUL_SAMPLE = "한"
"""The glyph text height is measured on: Korean standards size characters by their Hangul."""


def glyph_height(f: QFont) -> int:
    """Pixel height of a Hangul syllable drawn in ``f`` (what a visitor sees as the text's size)."""
    return QFontMetrics(f).tightBoundingRect(HANGUL_SAMPLE).height()


@functools.cache
def _glyph_ratio(family: str) -> float:
    probe = QFont(family)
    probe.setPixelSize(200)
    return max(0.5, glyph_height(probe) / 200)


def font_px_for_glyph(glyph_px: int) -> int:
    """The smallest font pixel size whose Hangul glyphs are at least ``glyph_px`` tall."""
    ratio = _glyph_ratio(korean_family())
    size = math.ceil(glyph_px / ratio)
    probe = QFont(korean_family())
    while True:  # the ratio is measured at one size; hinting can lose a pixel at another
        probe.setPixelSize(size)
        if glyph_height(probe) >= glyph_px:
            return size
        size += 1
