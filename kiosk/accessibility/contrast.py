"""Contrast ratios (WCAG 2.x definition), used to prove each theme's colour pairs.

Text needs ≥ 4.5:1 in the standard theme (WCAG 1.4.3, KS X 9211) and ≥ 7:1 in high contrast
(WCAG 1.4.6); control boundaries and focus indicators need ≥ 3:1 (WCAG 1.4.11).
"""

from __future__ import annotations


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    r, g, b = (_channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """From 1.0 (same colour) to 21.0 (black on white); order of the arguments does not matter."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)
