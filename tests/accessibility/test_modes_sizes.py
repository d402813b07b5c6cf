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
    screen = Screen()  # 1280 x 800 on 345 x 216 mm: about 3.7 px per mm
    assert 3.6 < screen.px_per_mm < 3.8
    assert screen.min_control_px == screen.px(15) >= 55


def test_low_screen_keeps_controls_within_reach_of_a_wheelchair_user() -> None:
    screen = Screen(bottom_mm=1100)  # top edge at 1,316 mm: the upper part is out of reach
    top = screen.low_screen_top_px()
    assert screen.height_above_floor_mm(top) == pytest.approx(1220, abs=1)
    assert screen.height_above_floor_mm(screen.height_px) == 1100
    assert Screen(bottom_mm=700).low_screen_top_px() == 0  # all of it is low enough already
