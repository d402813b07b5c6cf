"""Modes combine and reset; physical sizes follow the configured screen."""

from __future__ import annotations

import pytest

from kiosk.accessibility.modes import Mode, Modes
from kiosk.accessibility.sizes import Screen


def test_modes_parse_combine_and_double_the_time() -> None:
    modes = Modes.parse("large-text, high-contrast,voice,low-screen")
    assert modes.active == frozenset(Mode)
    assert modes.scale == 2.0 and modes.timeout_factor == 2
    assert Modes().timeout_factor == 1 and Modes().scale == 1.0
    assert Mode.VOICE not in modes.toggled(Mode.VOICE)
    with pytest.raises(ValueError, match="bigger"):
        Modes.parse("bigger")


def test_millimetres_on_a_15_inch_kiosk() -> None:
    screen = Screen(1280, 800, 345, 216)  # about 3.7 px per mm
    assert 3.6 < screen.px_per_mm < 3.8
    assert screen.min_control_px == screen.px(15) >= 55
    assert screen.min_text_px == 45  # a 12 mm glyph


def test_the_default_screen_is_a_27_inch_portrait_kiosk() -> None:
    screen = Screen()
    assert (screen.width_px, screen.height_px) == (1080, 1920)
    assert 3.2 < screen.px_per_mm < 3.25
    assert screen.min_text_px == 39 and screen.mm(screen.min_text_px) >= 12


def test_low_screen_keeps_controls_within_reach_of_a_wheelchair_user() -> None:
    screen = Screen(bottom_mm=1100, height_mm=216, width_mm=345, width_px=1280, height_px=800)  # top edge 1,316 mm
    top = screen.low_screen_top_px()
    assert screen.height_above_floor_mm(top) == pytest.approx(1220, abs=1)
    assert screen.height_above_floor_mm(screen.height_px) == 1100
    assert Screen(bottom_mm=600).low_screen_top_px() == 0  # all of it is low enough already
