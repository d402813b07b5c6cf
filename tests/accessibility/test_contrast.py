"""Every text colour pair the screens use is readable (≥ 4.5:1)."""

from __future__ import annotations

import pytest

from kiosk.accessibility.contrast import contrast_ratio, parse_hex
from kiosk.ui import theme


def test_reference_values_of_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert parse_hex("#abc") == (0xAA, 0xBB, 0xCC)


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_standard_theme_text_is_at_least_4_5_to_1(name: str) -> None:
    fg, bg = theme.TEXT_PAIRS[name]
    assert contrast_ratio(fg, bg) >= 4.5, f"{name}: {contrast_ratio(fg, bg):.2f}:1"


def test_every_colour_in_the_style_sheets_is_in_a_checked_pair() -> None:
    """A colour added to a screen's style sheet must be added to TEXT_PAIRS (and so checked)."""
    import re

    from kiosk.ui import board, console, kiosk_screen

    checked = {c.upper() for pair in theme.TEXT_PAIRS.values() for c in pair}
    borders_only = {theme.PRIMARY, "#7A5B00", "#9AA3AE"}
    for module in (kiosk_screen, console, board):
        for colour in re.findall(r"#[0-9A-Fa-f]{6}", module.STYLE):
            assert colour.upper() in checked | {c.upper() for c in borders_only}, (module.__name__, colour)
